import type { DynamoDBBatchResponse } from 'aws-lambda';
import type { DeliveryChange } from '#delivery-metrics/record-delivery-change';
import { executionChangesOf } from '#history/adapters/execution-stream-changes';
import type { ScopedPipeline } from '#history/adapters/history-keys';
import type { ExecutionRecord } from '#history/domain/execution-record';
import type { StreamChange } from '#platform/dynamodb/stream-changes';

type Item = Record<string, unknown>;

export interface DeliveryChangesDependencies {
  /** The execution before the batch's changes and as it is now (one Query of its partition). */
  executionAround: (
    execution: ScopedPipeline & { executionId: string },
    itemsBefore: ReadonlyMap<string, Item | undefined>,
  ) => Promise<{ previous?: ExecutionRecord; record?: ExecutionRecord }>;
  /** The execution's DORA fact, then its delivery metrics (record-delivery-change.ts). */
  recordChange: (change: DeliveryChange) => Promise<void>;
}

export interface DeliveryChangesOutcome {
  /** Executions the batch changed. */
  executions: number;
  /** Of those, the ones read and passed on (a change that can move their delivery facts). */
  told: number;
  /** The first execution that could not be passed on: the batch is retried from its first change. */
  failed?: { sequenceNumber: string; execution: ScopedPipeline & { executionId: string }; error: Error };
}

/**
 * What a batch of the history table's stream changes in the delivery metrics: each execution it touched is read
 * once, after all its changes, and passed on. Executions go in the order of their first change and stop at the
 * first failure, so Lambda retries from that change (an execution passed on again finds its fact already
 * written: the same fact, no metrics twice).
 */
export async function recordDeliveryChanges(
  changes: readonly StreamChange[],
  deps: DeliveryChangesDependencies,
): Promise<DeliveryChangesOutcome> {
  const executions = executionChangesOf(changes.filter((change) => change.eventName !== 'REMOVE'));
  let told = 0;
  for (const { execution, itemsBefore, mattersToDelivery, firstSequenceNumber } of executions) {
    if (!mattersToDelivery) continue;
    try {
      const { previous, record } = await deps.executionAround(execution, itemsBefore);
      if (record) await deps.recordChange({ record, ...(previous ? { before: previous } : {}) });
      told++;
    } catch (error) {
      return {
        executions: executions.length,
        told,
        failed: { sequenceNumber: firstSequenceNumber, execution, error: error as Error },
      };
    }
  }
  return { executions: executions.length, told };
}

/** Lambda's answer for a batch: the failed execution's first change, from which the batch is retried. */
export function batchResponseOf(outcome: DeliveryChangesOutcome): DynamoDBBatchResponse {
  return { batchItemFailures: outcome.failed ? [{ itemIdentifier: outcome.failed.sequenceNumber }] : [] };
}
