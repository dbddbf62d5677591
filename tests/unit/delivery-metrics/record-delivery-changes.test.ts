import { describe, expect, it } from 'vitest';
import type { DeliveryChange } from '../../../functions/delivery-metrics/record-delivery-change';
import {
  batchResponseOf,
  recordDeliveryChanges,
} from '../../../functions/delivery-metrics/record-delivery-changes/record-delivery-changes';
import { keys } from '../../../functions/history/adapters/history-keys';
import type { ExecutionRecord } from '../../../functions/history/domain/execution-record';
import type { StreamChange } from '../../../functions/platform/dynamodb/stream-changes';

const scope = { account: '123456789012', region: 'us-east-1' };
const pk = (executionId: string) => keys.executionPartition({ ...scope, pipeline: 'shop' }, executionId);
const header = (
  executionId: string,
  sequenceNumber: string,
  eventName: StreamChange['eventName'] = 'MODIFY',
) =>
  ({
    sequenceNumber,
    eventName,
    keys: { pk: pk(executionId), sk: keys.executionHeader },
    oldItem: { before: executionId },
    newItem: {},
  }) as StreamChange;
const laterAction = (executionId: string, sequenceNumber: string) =>
  ({
    sequenceNumber,
    eventName: 'MODIFY',
    keys: { pk: pk(executionId), sk: keys.actionItem('Build', 'Compile') },
    oldItem: {},
    newItem: {},
  }) as StreamChange;

function fakes(failFor?: string) {
  const told: DeliveryChange[] = [];
  const reads: string[] = [];
  return {
    told,
    reads,
    deps: {
      executionAround: async (execution: { executionId: string }) => {
        reads.push(execution.executionId);
        const record = { pipeline: 'shop', executionId: execution.executionId } as ExecutionRecord;
        return { record, previous: { ...record, lastEventAt: 'before' } as ExecutionRecord };
      },
      recordChange: async (change: DeliveryChange) => {
        if (change.record.executionId === failFor) throw new Error('Rate exceeded');
        told.push(change);
      },
    },
  };
}

describe('recordDeliveryChanges', () => {
  it('reads each execution once, after all its changes, in the order of its first change', async () => {
    const { deps, reads, told } = fakes();
    const outcome = await recordDeliveryChanges([header('a', '1'), header('b', '2'), header('a', '3')], deps);
    expect(reads).toEqual(['a', 'b']);
    expect(told.map((change) => [change.record.executionId, change.before?.lastEventAt])).toEqual([
      ['a', 'before'],
      ['b', 'before'],
    ]);
    expect(outcome).toEqual({ executions: 2, told: 2 });
  });

  it('reads no execution whose changes cannot move its delivery facts, and ignores removals (TTL)', async () => {
    const { deps, reads } = fakes();
    const outcome = await recordDeliveryChanges([laterAction('a', '1'), header('b', '2', 'REMOVE')], deps);
    expect(reads).toEqual([]);
    expect(outcome).toEqual({ executions: 1, told: 0 });
  });

  it('stops at the first execution that fails and names its first change, so the batch is retried from there', async () => {
    const { deps, told } = fakes('b');
    const outcome = await recordDeliveryChanges(
      [header('a', '1'), header('b', '2'), header('c', '3'), header('b', '4')],
      deps,
    );
    expect(told.map((change) => change.record.executionId)).toEqual(['a']);
    expect(outcome.failed?.sequenceNumber).toBe('2');
    expect(outcome.failed?.execution.executionId).toBe('b');
    expect(outcome.failed?.error.message).toBe('Rate exceeded');
    // Lambda is told to retry the batch from that change on.
    expect(batchResponseOf(outcome)).toStrictEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
  });

  it('tells nothing of an execution whose items are gone (expired) by the time it is read, and fails no record', async () => {
    const { deps, told } = fakes();
    const outcome = await recordDeliveryChanges([header('gone', '1')], {
      ...deps,
      executionAround: async () => ({}),
    });
    expect(told).toEqual([]);
    expect(outcome).toEqual({ executions: 1, told: 1 });
    expect(batchResponseOf(outcome)).toStrictEqual({ batchItemFailures: [] });
  });
});
