/** The demo replayed through the recorder and record-delivery-changes, for the delivery-metrics tests. */
import { readFileSync } from 'node:fs';
import { CodePipelineClient, GetPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'vitest';
import { createDeliveryFactsPacker } from '../../../functions/delivery-metrics/adapters/delivery-facts-packer';
import { createDeliveryFactsStore } from '../../../functions/delivery-metrics/adapters/delivery-facts-store';
import type { DeliveryMetric } from '../../../functions/delivery-metrics/domain/delivery-metrics';
import type { DoraReport } from '../../../functions/delivery-metrics/domain/dora-report';
import type { PipelineStructureSource } from '../../../functions/delivery-metrics/ports';
import { fetchExecutionDetails } from '../../../functions/history/adapters/fetch-execution-details';
import { recordEvent } from '../../../functions/history/record-execution/record-event';
import { parseRecorderEvent } from '../../../functions/history/record-execution/recorder-event-schema';
import { readDoraMetrics } from '../../../functions/read-api/read-dora-metrics';
import { createStreamedTestTable, deliveryStream } from '../../support/delivery-stream';
import { doraFromHistory } from './dora-from-history';

interface Scenario {
  events: { time: string }[];
  sourceRevisions: Record<string, Record<string, unknown>[]>;
}
export const scenario = JSON.parse(
  readFileSync(new URL('../../../events/demo/scenario.json', import.meta.url), 'utf8'),
) as Scenario;
const config = { PRODUCTION_STAGES: {}, CHANGE_FAILURE_WINDOW_HOURS: 24 };
const options = { failureWindowMs: 24 * 3_600_000 };

/**
 * The demo history replayed through the recorder, its writes followed from the table's stream by
 * record-delivery-changes (drained every `drainEvery` events, so batches hold one or many executions' changes):
 * the EMF metrics emitted along the way must add up to what GET /metrics/dora computes afterwards from the
 * stored records (one definition, two consumers).
 */
export async function replay(
  events: readonly { time: string }[],
  pipelineStructure?: PipelineStructureSource,
  drainEvery = 1,
  /** Every this many fact writes, one throws before it is made (a throttled or lost request). */
  failEveryFactWrite = 0,
) {
  const emitted: { pipeline: string; metric: DeliveryMetric }[] = [];
  let queries = 0;
  const table = await createStreamedTestTable();
  const facts = createDeliveryFactsStore({
    client: table.client,
    tableName: table.tableName,
    retentionDays: 400,
  });
  const codepipeline = mockClient(CodePipelineClient);
  codepipeline.on(GetPipelineExecutionCommand).callsFake((input) => ({
    pipelineExecution: {
      pipelineName: input.pipelineName,
      pipelineExecutionId: input.pipelineExecutionId,
      artifactRevisions: (scenario.sourceRevisions[input.pipelineExecutionId] ?? []).map((revision) => ({
        ...revision,
        created: new Date(String(revision.created)),
      })),
    },
  }));
  const store = table.store;
  // The delivery changes read recent facts only when an execution's metrics may change.
  let factWrites = 0;
  const countedFacts = {
    ...facts,
    write: (...args: Parameters<typeof facts.write>) => {
      factWrites += 1;
      if (failEveryFactWrite && factWrites % failEveryFactWrite === 0) {
        return Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
      }
      return facts.write(...args);
    },
    factsBetween: (...args: Parameters<typeof facts.factsBetween>) => {
      queries += 1;
      return facts.factsBetween(...args);
    },
  };
  const delivery = deliveryStream(table, {
    deliveryOptions: () => options,
    deliveryFacts: countedFacts,
    ...(pipelineStructure ? { pipelineStructure } : {}),
    emitDeliveryMetrics: (where, metrics) => {
      for (const metric of metrics) emitted.push({ pipeline: placeOf(where), metric });
    },
    warn: (message) => {
      throw new Error(message);
    },
  });
  for (const [index, event] of events.entries()) {
    await recordEvent(parseRecorderEvent(event), {
      store,
      fetchExecutionDetails: (pipeline, executionId, at) =>
        fetchExecutionDetails(new CodePipelineClient({ region: 'us-east-1' }), pipeline, executionId, at),
      warn: (message) => {
        throw new Error(message);
      },
    });
    if ((index + 1) % drainEvery === 0) await delivery.drain();
  }
  await delivery.drain();
  expect(delivery.failed).toEqual([]);
  const times = scenario.events.map((event) => event.time).sort();
  const query = {
    from: new Date(Date.parse(times[0] as string) - 86_400_000).toISOString(),
    to: new Date(Date.parse(times.at(-1) as string) + 86_400_000).toISOString(),
    bucket: 'day' as const,
  };
  const report = await readDoraMetrics({ history: table.store, facts }, async () => [], config, query);
  const reference = await doraFromHistory(table.store, config, query);
  codepipeline.restore();
  /** The same report once the daily packer has run and TTL has taken every single fact (five weeks on). */
  const packedReport = async () => {
    const packer = createDeliveryFactsPacker({
      client: table.client,
      tableName: table.tableName,
      retentionDays: 400,
    });
    for (const pipeline of await table.store.listPipelines()) await packer.pack(pipeline);
    const { Items = [] } = await table.client.send(new ScanCommand({ TableName: table.tableName }));
    for (const item of Items.filter((item) => item.itemType === 'dora-fact')) {
      await table.client.send(
        new DeleteCommand({ TableName: table.tableName, Key: { pk: item.pk, sk: item.sk } }),
      );
    }
    return readDoraMetrics({ history: table.store, facts }, async () => [], config, query);
  };
  const total = (name: string, pipeline?: string) =>
    emitted
      .filter((e) => e.metric.name === name && (!pipeline || e.pipeline === pipeline))
      .reduce((sum, e) => sum + e.metric.value, 0);
  return { emitted, report, reference, packedReport, queries: () => queries, total };
}

/** A pipeline is its account, region and name: two accounts' same-named pipelines are two series. */
export function placeOf(where: { account?: string; region?: string; pipeline: string }): string {
  return `${where.account}/${where.region}/${where.pipeline}`;
}

/** Per pipeline, the EMF deployments and change failures add up to the report's. */
export function expectEmittedAsReported(
  report: DoraReport,
  total: (name: string, pipeline?: string) => number,
) {
  for (const pipeline of report.pipelines) {
    expect(
      [total('Deployments', placeOf(pipeline)), total('ChangeFailures', placeOf(pipeline))],
      placeOf(pipeline),
    ).toEqual([pipeline.deployments, pipeline.changeFailures]);
  }
}

/** A seeded shuffle (mulberry32), so a failing order can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
