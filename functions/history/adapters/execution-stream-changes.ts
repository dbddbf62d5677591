import { keys, type ScopedPipeline } from '#history/adapters/history-keys';
import { registerFromOrderKey, type StatusRegister } from '#history/domain/status-register';
import type { StreamChange } from '#platform/dynamodb/stream-changes';

type Item = Record<string, unknown>;

/** The changes of one execution within a batch, in stream order. */
export interface ExecutionChanges {
  execution: ScopedPipeline & { executionId: string };
  /** Its first change's sequence number: a batch that fails here is retried from this change. */
  firstSequenceNumber: string;
  /** Each changed item as it was before the batch's first change of it (undefined: the batch created it). */
  itemsBefore: Map<string, Item | undefined>;
  /** Whether any change can move the delivery metrics or the execution's DORA fact (see `mattersToDelivery`). */
  mattersToDelivery: boolean;
}

const EXECUTION_PREFIX = 'EXECUTION#';

/**
 * The execution partitions a batch of stream changes touched, in the order of their first change, each with
 * its items as they were before the batch. A partition is the execution (keys.executionPartition), and the
 * stream keeps one partition's changes in order, so the first old image of an item is its state before the
 * batch. Changes of other items (runs, catalog, facts, approvals) are not executions and are left out.
 */
export function executionChangesOf(changes: readonly StreamChange[]): ExecutionChanges[] {
  const byPartition = new Map<string, ExecutionChanges>();
  for (const change of changes) {
    const execution = executionOfPartition(change.keys.pk);
    if (!execution) continue;
    let entry = byPartition.get(change.keys.pk);
    if (!entry) {
      entry = {
        execution,
        firstSequenceNumber: change.sequenceNumber,
        itemsBefore: new Map(),
        mattersToDelivery: false,
      };
      byPartition.set(change.keys.pk, entry);
    }
    if (!entry.itemsBefore.has(change.keys.sk)) entry.itemsBefore.set(change.keys.sk, change.oldItem);
    entry.mattersToDelivery ||= mattersToDelivery(change);
  }
  return [...byPartition.values()];
}

/**
 * `EXECUTION#<account>#<region>#<pipeline>#<executionId>`: account, region, pipeline name and execution id
 * never hold '#' (CodePipeline names are [A-Za-z0-9.@_-]), so the key splits back into its parts.
 */
export function executionOfPartition(pk: string): (ScopedPipeline & { executionId: string }) | undefined {
  if (!pk.startsWith(EXECUTION_PREFIX)) return undefined;
  const parts = pk.slice(EXECUTION_PREFIX.length).split('#');
  if (parts.length !== 4 || parts.some((part) => part === '')) return undefined;
  const [account, region, pipeline, executionId] = parts as [string, string, string, string];
  return { account, region, pipeline, executionId };
}

/**
 * Whether a change can move what delivery metrics read: the header and the details item (status, start,
 * version, trigger, revisions), a stage that ended, and an action's first event (it shows that a failed stage
 * ran its actions, rather than being kept closed by an entry condition). A stage still in progress and an
 * action's later events change nothing they read: an execution whose batch holds only those is not read.
 */
export function mattersToDelivery(change: StreamChange): boolean {
  const { sk } = change.keys;
  if (sk.startsWith(ACTION_PREFIX)) return change.oldItem === undefined;
  if (sk.startsWith(STAGE_PREFIX)) {
    const order = change.newItem?.order;
    if (typeof order !== 'string') return true;
    return !STAGE_IN_PROGRESS.has(registerFromOrderKey<StatusRegister>(order).status);
  }
  // The header, the details item and anything else of the execution.
  return true;
}

const ACTION_PREFIX = keys.actionItem('', '').slice(0, -1);
const STAGE_PREFIX = keys.stageItem('');
const STAGE_IN_PROGRESS: ReadonlySet<string> = new Set(['STARTED', 'RESUMED', 'STOPPING']);
