import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDeliveryFactsStore } from '../../../functions/delivery-metrics/adapters/delivery-facts-store';
import { observeCodePipelineEvent } from '../../../functions/history/domain/observe-codepipeline-event';
import { parseRecorderEvent } from '../../../functions/history/record-execution/recorder-event-schema';
import { backfillRollups } from '../../../tooling/backfill-rollups';
import { createTestTable, TEST_HUB } from '../../support/dynamo';
import { pipelineEvent, stageEvent } from '../../support/pipeline-events';

const observe = (event: unknown) => {
  const parsed = parseRecorderEvent(event);
  if (parsed.source !== 'aws.codepipeline') throw new Error('not a pipeline event');
  return observeCodePipelineEvent(parsed);
};

describe('backfill-rollups (dynalite)', () => {
  it('files a fact for every recorded execution, old layout included, and nothing on a dry run', async () => {
    const table = await createTestTable();
    // Recorded without the rollups: history only, as a stack did before they existed.
    for (const [executionId, hour] of [
      ['before-1', '10'],
      ['before-2', '12'],
    ] as const) {
      const common = { executionId, time: `2026-11-20T${hour}:00:00Z` };
      await table.store.recordObservation(observe(pipelineEvent('STARTED', common)));
      await table.store.recordObservation(
        observe(stageEvent('Deploy', 'SUCCEEDED', { ...common, time: `2026-11-20T${hour}:05:00Z` })),
      );
      await table.store.recordObservation(
        observe(pipelineEvent('SUCCEEDED', { ...common, time: `2026-11-20T${hour}:06:00Z` })),
      );
    }
    // An execution kept whole in one item under the pipeline name (before account and region were keys).
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          pk: 'PIPELINE#orders',
          sk: 'EXEC#legacy-1',
          itemType: 'execution',
          pipeline: 'orders',
          executionId: 'legacy-1',
          firstEventAt: '2026-11-19T09:00:00.000Z',
          lastEventAt: '2026-11-19T09:10:00.000Z',
          startTime: '2026-11-19T09:00:00.000Z',
          endTime: '2026-11-19T09:10:00.000Z',
          status: { status: 'SUCCEEDED', statusAt: '2026-11-19T09:10:00.000Z', attempt: 1 },
          stages: {
            Deploy: {
              status: { status: 'SUCCEEDED', statusAt: '2026-11-19T09:09:00.000Z', attempt: 1 },
              actions: {},
            },
          },
        },
      }),
    );
    const facts = createDeliveryFactsStore({
      client: table.client,
      tableName: table.tableName,
      retentionDays: 400,
    });
    const options = {
      client: table.client,
      tableName: table.tableName,
      retentionDays: 400,
      productionStages: {},
      progress: () => {},
    };

    const dry = await backfillRollups({ ...options, dryRun: true });
    expect(dry).toEqual({ executions: 3, factsWritten: 3, skipped: 0 });
    expect(await facts.factsBetween({ ...TEST_HUB, pipeline: 'orders' }, '2026-11-01', '2026-11-30')).toEqual(
      [],
    );

    await backfillRollups({ ...options, dryRun: false });
    const filed = await facts.factsBetween({ ...TEST_HUB, pipeline: 'orders' }, '2026-11-01', '2026-11-30');
    expect(filed.map((stored) => stored.executionId).sort()).toEqual(['before-1', 'before-2', 'legacy-1']);
    expect(filed.find((stored) => stored.executionId === 'before-2')?.fact.ok).toBe(
      Date.parse('2026-11-20T12:06:00Z'),
    );

    // Again: the same facts, none replaced by an older one.
    await backfillRollups({ ...options, dryRun: false });
    expect(
      await facts.factsBetween({ ...TEST_HUB, pipeline: 'orders' }, '2026-11-01', '2026-11-30'),
    ).toHaveLength(3);
  });
});
