import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHistoryStore, type HistoryStore } from '../../../functions/history/adapters/history-store';
import { mergeAll } from '../../../functions/history/domain/merge-execution';
import { observeCodePipelineEvent } from '../../../functions/history/domain/observe-codepipeline-event';
import { parseRecorderEvent } from '../../../functions/history/record-execution/recorder-event-schema';
import { createTestTable, TEST_HUB as HUB } from '../../support/dynamo';
import { actionEvent, pipelineEvent, stageEvent } from '../../support/pipeline-events';

const observe = (event: unknown) => {
  const parsed = parseRecorderEvent(event);
  if (parsed.source !== 'aws.codepipeline') throw new Error('not a pipeline event');
  return observeCodePipelineEvent(parsed);
};

describe('history store against DynamoDB (dynalite)', () => {
  let store: HistoryStore;
  let table: Awaited<ReturnType<typeof createTestTable>>;
  beforeAll(async () => {
    table = await createTestTable();
    store = table.store;
  });

  it('converges to the in-order record when 30 shuffled events are written concurrently', async () => {
    const events = [
      pipelineEvent('STARTED', { executionId: 'race', time: '2026-11-20T10:00:00Z' }),
      ...['Source', 'Build', 'Deploy'].flatMap((stage, index) => [
        stageEvent(stage, 'STARTED', { executionId: 'race', time: `2026-11-20T10:0${index * 2}:00Z` }),
        actionEvent(stage, stage, 'STARTED', {
          executionId: 'race',
          time: `2026-11-20T10:0${index * 2}:00Z`,
        }),
        actionEvent(stage, stage, 'SUCCEEDED', {
          executionId: 'race',
          time: `2026-11-20T10:0${index * 2 + 1}:00Z`,
        }),
        stageEvent(stage, 'SUCCEEDED', { executionId: 'race', time: `2026-11-20T10:0${index * 2 + 1}:00Z` }),
      ]),
      pipelineEvent('SUCCEEDED', { executionId: 'race', time: '2026-11-20T10:06:00Z' }),
    ];
    const observations = events.map(observe);
    const delivered = [...observations, ...observations.slice(0, 16)].sort(() => Math.random() - 0.5);

    const results = await Promise.all(delivered.map((observation) => store.recordObservation(observation)));

    expect(await store.getExecution('orders', 'race')).toEqual({ ...mergeAll(observations), ...HUB });
    // Each distinct observation changed something once; its duplicates changed nothing.
    expect(results.filter((result) => result.changed).length).toBeLessThanOrEqual(observations.length);
  });

  it('changes nothing on a duplicate, and keeps only the time of an older event', async () => {
    const started = observe(pipelineEvent('STARTED', { executionId: 'dup', time: '2026-11-20T10:00:00Z' }));
    const succeeded = observe(
      pipelineEvent('SUCCEEDED', { executionId: 'dup', time: '2026-11-20T10:09:00Z' }),
    );
    const first = await store.recordObservation(succeeded);
    const duplicate = await store.recordObservation(succeeded);
    const older = await store.recordObservation(started);
    expect([first.changed, duplicate.changed, older.changed]).toEqual([true, false, true]);
    expect(await store.getExecution('orders', 'dup')).toEqual({ ...mergeAll([started, succeeded]), ...HUB });
    expect(await store.getExecution('orders', 'dup')).toMatchObject({
      status: { status: 'SUCCEEDED' },
      firstEventAt: '2026-11-20T10:00:00.000Z',
    });
  });

  it('records 30 parallel action results of one execution in one winning write each', async () => {
    let writes = 0;
    let failedConditions = 0;
    const client = {
      send: async (command: unknown) => {
        if (command instanceof UpdateCommand || command instanceof PutCommand) writes++;
        try {
          return await table.client.send(command as never);
        } catch (error) {
          if ((error as Error).name === 'ConditionalCheckFailedException') failedConditions++;
          throw error;
        }
      },
    } as unknown as typeof table.client;
    const counted = createHistoryStore({ client, tableName: table.tableName, retentionDays: 400, hub: HUB });
    await counted.recordObservation(
      observe(pipelineEvent('STARTED', { executionId: 'wide', time: '2026-11-20T10:00:00Z' })),
    );
    const shards = Array.from({ length: 30 }, (_, index) => `Shard${index}`);
    writes = 0;
    failedConditions = 0;
    const results = await Promise.all(
      shards.map((shard) =>
        counted.recordObservation(
          observe(
            actionEvent('Test', shard, 'SUCCEEDED', { executionId: 'wide', time: '2026-11-20T10:05:00Z' }),
          ),
        ),
      ),
    );

    expect(results.every((result) => result.changed)).toBe(true);
    // One conditional UpdateItem on the action's own item, none retried; the store wrote the header itself.
    expect(writes).toBe(30);
    expect(failedConditions).toBe(0);
    const record = await counted.getExecution('orders', 'wide');
    expect(Object.keys(record?.stages.Test?.actions ?? {}).sort()).toEqual([...shards].sort());
  });

  it('reads an execution recorded before the upgrade (one item under the pipeline name) as the hub’s own', async () => {
    const legacy = {
      pipeline: 'orders',
      executionId: 'before-upgrade',
      firstEventAt: '2026-10-01T10:00:00.000Z',
      lastEventAt: '2026-10-01T10:05:00.000Z',
      status: { status: 'SUCCEEDED', statusAt: '2026-10-01T10:05:00.000Z', attempt: 1 },
      stages: {},
    };
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          pk: 'PIPELINE#orders',
          sk: 'EXEC#before-upgrade',
          gsi1pk: 'PIPELINE#orders',
          gsi1sk: '2026-10-01T10:00:00.000Z#before-upgrade',
          rev: 3,
          ...legacy,
        },
      }),
    );
    expect(await store.getExecution('orders', 'before-upgrade')).toEqual(legacy);
    const { items } = await store.listExecutions('orders', { limit: 100 });
    expect(items.at(-1)?.executionId).toBe('before-upgrade');
  });

  describe('queries (the OwnerTime index: a pipeline’s executions by start time)', () => {
    beforeAll(async () => {
      for (let day = 1; day <= 7; day++) {
        const time = `2026-11-0${day}T12:00:00Z`;
        const started = pipelineEvent('STARTED', { pipeline: 'catalog', executionId: `c-${day}`, time });
        const observation = { ...observe(started), startTime: `2026-11-0${day}T12:00:00.000Z` };
        const final = observe(
          pipelineEvent(day % 3 === 0 ? 'FAILED' : 'SUCCEEDED', {
            pipeline: 'catalog',
            executionId: `c-${day}`,
            time: `2026-11-0${day}T12:30:00Z`,
          }),
        );
        await store.mergeExecution(
          'catalog',
          `c-${day}`,
          (current) => mergeAll([observation, final], current) as never,
        );
      }
    });

    it('lists newest first and pages with an opaque cursor', async () => {
      const first = await store.listExecutions('catalog', { limit: 3 });
      expect(first.items.map((item) => item.executionId)).toEqual(['c-7', 'c-6', 'c-5']);
      const second = await store.listExecutions('catalog', { limit: 3, cursor: first.nextCursor });
      expect(second.items.map((item) => item.executionId)).toEqual(['c-4', 'c-3', 'c-2']);
      const third = await store.listExecutions('catalog', { limit: 3, cursor: second.nextCursor });
      expect(third.items.map((item) => item.executionId)).toEqual(['c-1']);
    });

    it('filters by time window and by status', async () => {
      const window = await store.listExecutions('catalog', {
        from: '2026-11-03T00:00:00.000Z',
        to: '2026-11-05T23:59:59.999Z',
      });
      expect(window.items.map((item) => item.executionId)).toEqual(['c-5', 'c-4', 'c-3']);
      const failed = await store.listExecutions('catalog', { status: 'FAILED', limit: 100 });
      expect(failed.items.map((item) => item.executionId)).toEqual(['c-6', 'c-3']);
    });

    it('keeps a catalog of pipelines with their latest execution time', async () => {
      const pipelines = await store.listPipelines();
      expect(pipelines).toContainEqual({
        ...HUB,
        pipeline: 'catalog',
        lastExecutionAt: '2026-11-07T12:00:00.000Z',
      });
    });
  });
});
