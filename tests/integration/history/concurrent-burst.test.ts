import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createHistoryStore } from '../../../functions/history/adapters/history-store';
import { recordEvent } from '../../../functions/history/record-execution/record-event';
import { parseRecorderEvent } from '../../../functions/history/record-execution/recorder-event-schema';
import { createTestTable } from '../../support/dynamo';
import { actionEvent } from '../../support/pipeline-events';
import { fixedExecutionDetails } from '../../support/recorder';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a burst of events on one execution (dynalite)', () => {
  it('records all 30 parallel action events of one stage, none given up as a conflict', async () => {
    const table = await createTestTable();
    // A few milliseconds each way, like DynamoDB from Lambda in the same region.
    const client = {
      send: async (command: unknown) => {
        await sleep(3 + Math.random() * 6);
        const result = await table.client.send(command as never);
        await sleep(2);
        return result;
      },
    } as unknown as DynamoDBDocumentClient;
    const deps = {
      store: createHistoryStore({ client, tableName: table.tableName, retentionDays: 400 }),
      fetchExecutionDetails: fixedExecutionDetails(60),
      warn: () => {},
    };
    const shards = Array.from({ length: 30 }, (_, index) => `Shard${index}`);
    const events = shards.map((shard) =>
      parseRecorderEvent(
        actionEvent('Test', shard, 'STARTED', { executionId: 'burst', time: '2026-11-20T10:05:00Z' }),
      ),
    );

    const results = await Promise.allSettled(events.map((event) => recordEvent(event, deps)));

    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    const record = await table.store.getExecution('orders', 'burst');
    expect(Object.keys(record?.stages.Test?.actions ?? {}).sort()).toEqual([...shards].sort());
  }, 60_000);
});
