import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HistoryStore } from '../../../functions/history/adapters/history-store';
import { mergeAll, mergeExecution } from '../../../functions/history/domain/merge-execution';
import { observeCodePipelineEvent } from '../../../functions/history/domain/observe-codepipeline-event';
import { parseRecorderEvent } from '../../../functions/history/record-execution/recorder-event-schema';
import { createTestTable } from '../../support/dynamo';
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

    const results = await Promise.all(
      delivered.map((observation) =>
        store.mergeExecution('orders', 'race', (current) => mergeExecution(current, observation)),
      ),
    );

    expect(await store.getExecution('orders', 'race')).toEqual(mergeAll(observations));
    expect(results.filter((result) => result.created)).toHaveLength(1);
  });

  it('makes no write when an event changes nothing (a duplicate)', async () => {
    const observation = observe(
      pipelineEvent('STARTED', { executionId: 'dup', time: '2026-11-20T10:00:00Z' }),
    );
    const first = await store.mergeExecution('orders', 'dup', (current) =>
      mergeExecution(current, observation),
    );
    const second = await store.mergeExecution('orders', 'dup', (current) =>
      mergeExecution(current, observation),
    );
    expect([first.changed, second.changed]).toEqual([true, false]);
  });

  it('refuses to overwrite an item another writer changed since it was read', async () => {
    const observation = observe(
      pipelineEvent('STARTED', { executionId: 'stale', time: '2026-11-20T10:00:00Z' }),
    );
    await store.mergeExecution('orders', 'stale', (current) => mergeExecution(current, observation));
    let calls = 0;
    const later = observe(pipelineEvent('SUCCEEDED', { executionId: 'stale', time: '2026-11-20T10:09:00Z' }));
    const result = await store.mergeExecution('orders', 'stale', async (current) => {
      calls += 1;
      if (calls === 1) {
        // Another writer bumps the revision between our read and our conditional write.
        await table.client.send(
          new PutCommand({
            TableName: table.tableName,
            Item: { pk: 'PIPELINE#orders', sk: 'EXEC#stale', ...current, rev: 99 },
          }),
        );
      }
      return mergeExecution(current, later);
    });
    expect(calls).toBe(2);
    expect(result.record.status?.status).toBe('SUCCEEDED');
  });

  describe('queries (GSI1: a pipeline’s executions by start time)', () => {
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
      expect(pipelines).toContainEqual({ pipeline: 'catalog', lastExecutionAt: '2026-11-07T12:00:00.000Z' });
    });
  });
});
