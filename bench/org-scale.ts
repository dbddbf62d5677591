/**
 * The organisation-scale section of `npm run bench` (`--org`): one hub recording the pipelines of 50 accounts ×
 * 2 regions × 20 pipelines (every pipeline name in every account and region, so names collide as they do in a
 * real organisation), then GET /metrics/dora across all of them, per account and per pipeline. It measures the
 * recorder's per-event path and the delivery changes that follow it from the table's stream (the local stream
 * stand-in in front of the metered DynamoDB engine), and the read units the engine charges each DORA read.
 */
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDeliveryFactsStore } from '../functions/delivery-metrics/adapters/delivery-facts-store';
import { createHistoryStore } from '../functions/history/adapters/history-store';
import { recordEvent } from '../functions/history/record-execution/record-event';
import { parseRecorderEvent } from '../functions/history/record-execution/recorder-event-schema';
import { parseDoraQuery } from '../functions/read-api/dora-query';
import { readDoraMetrics } from '../functions/read-api/read-dora-metrics';
import { deliveryChangesConsumer } from '../local/delivery-changes-consumer';
import { createStreamDelivery } from '../local/stream-delivery';
import { startTableStream } from '../local/table-stream';
import { loadTemplate, streamSourceOf, tableDefinition } from '../tooling/template';

export interface OrgScaleOptions {
  /** The metered DynamoDB engine's endpoint. */
  endpoint: string;
  accounts?: number;
  regionsPerAccount?: number;
  pipelinesPerRegion?: number;
  /** Executions recorded per pipeline (each four events: pipeline and production stage, start and end). */
  executionsPerPipeline?: number;
  /** Events recorded at once, as concurrent Lambda invocations would. */
  concurrency?: number;
  progress?: (message: string) => void;
}

const REGIONS = ['eu-west-1', 'us-east-1'];
const HUB = { account: '100000000000', region: 'us-east-1' };
const DAY0 = Date.parse('2026-10-01T00:00:00Z');

const accountId = (index: number) => String(200_000_000_000 + index);

/** One execution's events, as EventBridge delivers them to the hub's recorder (in order here). */
function executionEvents(scope: { account: string; region: string }, pipeline: string, run: number) {
  const start = DAY0 + run * 86_400_000 + (Number(scope.account.slice(-3)) % 60) * 60_000;
  const executionId = `${scope.account.slice(-4)}${scope.region.slice(0, 2)}-${pipeline}-${run}`;
  const failed = run % 5 === 4;
  const at = (minutes: number) => new Date(start + minutes * 60_000).toISOString();
  const detail = {
    pipeline,
    'execution-id': executionId,
    'start-time': at(0),
    version: 1,
    'pipeline-execution-attempt': 1,
  };
  const event = (detailType: string, time: string, extra: Record<string, string>) => ({
    version: '0',
    id: `${executionId}-${detailType.length}-${time}`,
    'detail-type': detailType,
    source: 'aws.codepipeline',
    ...scope,
    time,
    resources: [`arn:aws:codepipeline:${scope.region}:${scope.account}:${pipeline}`],
    detail: { ...detail, ...extra },
  });
  const pipelineChange = 'CodePipeline Pipeline Execution State Change';
  const stageChange = 'CodePipeline Stage Execution State Change';
  const end = failed ? 'FAILED' : 'SUCCEEDED';
  return [
    event(pipelineChange, at(0), { state: 'STARTED' }),
    event(stageChange, at(5), { stage: 'Production', state: 'STARTED' }),
    event(stageChange, at(12), { stage: 'Production', state: end }),
    event(pipelineChange, at(12), { state: end }),
  ];
}

export async function measureOrgScale(options: OrgScaleOptions) {
  const accounts = options.accounts ?? 50;
  const regionsPerAccount = options.regionsPerAccount ?? 2;
  const pipelinesPerRegion = options.pipelinesPerRegion ?? 20;
  const executionsPerPipeline = options.executionsPerPipeline ?? 2;
  const concurrency = options.concurrency ?? 16;
  const progress = options.progress ?? (() => {});

  const readUnits = { total: 0 };
  const writeUnits = { total: 0 };
  // Writes become stream records here, delivered to record-delivery-changes as Lambda would.
  const stream = await startTableStream(options.endpoint);
  const rawClient = new DynamoDBClient({
    endpoint: stream.endpoint,
    region: HUB.region,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const client = DynamoDBDocumentClient.from(rawClient, { marshallOptions: { removeUndefinedValues: true } });
  // Units as the engine charges them: every request asks for its consumed capacity (table and indexes).
  client.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity;
      const meter = /Get|Query|Scan/.test(String(context.commandName)) ? readUnits : writeUnits;
      meter.total += consumed?.CapacityUnits ?? 0;
      return result;
    },
    { step: 'initialize', name: 'countOrgCapacity' },
  );
  const tableName = 'bench-org-scale';
  await rawClient.send(
    new CreateTableCommand({
      TableName: tableName,
      ...tableDefinition(loadTemplate()),
    } as CreateTableCommandInput),
  );
  const store = createHistoryStore({ client, tableName, retentionDays: 400, hub: HUB });
  const facts = createDeliveryFactsStore({ client, tableName, retentionDays: 400, hub: HUB });
  const deps = {
    store,
    // Source revisions are not what this measures: GetPipelineExecution answers without them.
    fetchExecutionDetails: async (pipeline: string, executionId: string, at: string) => ({
      kind: 'details' as const,
      pipeline,
      executionId,
      at,
    }),
    warn: (message: string) => {
      throw new Error(message);
    },
  };
  const deliveryDeps = {
    deliveryFacts: facts,
    deliveryOptions: () => ({ failureWindowMs: 24 * 3_600_000 }),
    emitDeliveryMetrics: () => {},
    warn: () => {},
  };
  const delivery = createStreamDelivery(stream, [deliveryChangesConsumer(store, deliveryDeps)]);
  const { batchSize } = streamSourceOf('RecordDeliveryChangesFunction');

  // Executions one after the other per pipeline, pipelines interleaved across accounts and regions.
  const scopes = Array.from({ length: accounts }, (_, a) =>
    REGIONS.slice(0, regionsPerAccount).map((region) => ({ account: accountId(a), region })),
  ).flat();
  const pipelineNames = Array.from({ length: pipelinesPerRegion }, (_, p) => `service-${p}`);
  const executions = Array.from({ length: executionsPerPipeline }, (_, run) =>
    scopes.flatMap((scope) => pipelineNames.map((pipeline) => ({ scope, pipeline, run }))),
  ).flat();
  const eventTotal = executions.length * 4;
  progress(
    `org scale: ${accounts} accounts × ${regionsPerAccount} regions × ${pipelinesPerRegion} pipelines, ${eventTotal} events`,
  );
  let next = 0;
  let recorded = 0;
  const recordStarted = performance.now();
  const worker = async () => {
    while (next < executions.length) {
      const execution = executions[next++];
      if (!execution) break;
      for (const event of executionEvents(execution.scope, execution.pipeline, execution.run)) {
        await recordEvent(parseRecorderEvent(event), deps);
        recorded += 1;
      }
      if (recorded % 4000 === 0) progress(`  ${recorded}/${eventTotal}`);
      // The stream is read as it fills, as Lambda polls it: a batch at a time while recording goes on.
      if (stream.pending >= batchSize) await delivery.drain();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await delivery.drain();
  const recordSeconds = (performance.now() - recordStarted) / 1000;
  const recordWriteUnits = writeUnits.total;
  const recordReadUnits = readUnits.total;

  const from = new Date(DAY0 - 86_400_000).toISOString();
  const to = new Date(DAY0 + (executionsPerPipeline + 1) * 86_400_000).toISOString();
  const config = { PRODUCTION_STAGES: {}, CHANGE_FAILURE_WINDOW_HOURS: 24 };
  const readDora = async (params: Record<string, string>) => {
    readUnits.total = 0;
    const started = performance.now();
    const report = await readDoraMetrics(
      { history: store, facts },
      async () => [],
      config,
      parseDoraQuery({ from, to, ...params }),
    );
    return {
      readUnits: round(readUnits.total, 1),
      milliseconds: round(performance.now() - started, 0),
      pipelines: report.pipelines.length,
      accounts: report.accounts.length,
      deployments: report.overall.deployments,
    };
  };
  const someAccount = accountId(Math.floor(accounts / 2));
  const dora = {
    allAccounts: await readDora({}),
    oneAccount: await readDora({ account: someAccount }),
    oneAccountOneRegion: await readDora({ account: someAccount, region: REGIONS[0] as string }),
    onePipelineOneAccountRegion: await readDora({
      account: someAccount,
      region: REGIONS[0] as string,
      pipeline: 'service-3',
    }),
    onePipelineNameEveryAccount: await readDora({ pipeline: 'service-3' }),
  };
  rawClient.destroy();
  await stream.close();
  return {
    accounts,
    regionsPerAccount,
    pipelinesPerRegion,
    pipelines: scopes.length * pipelinesPerRegion,
    executionsPerPipeline,
    events: recorded,
    concurrency,
    record: {
      eventsPerSecond: round(recorded / recordSeconds, 1),
      seconds: round(recordSeconds, 1),
      writeUnitsPerEvent: round(recordWriteUnits / recorded, 2),
      readUnitsPerEvent: round(recordReadUnits / recorded, 2),
    },
    dora,
    note:
      'The recorder path (recordEvent), and record-delivery-changes on the stream stand-in, in this process against the metered engine; units are ' +
      'what the engine reports (ReturnConsumedCapacity TOTAL). DORA reads cover the recorded days plus the 7-day margins; every ' +
      'read lists the catalog (one partition) and Queries each selected pipeline’s rollups.',
  };
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
