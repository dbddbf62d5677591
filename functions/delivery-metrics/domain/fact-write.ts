import type { ExecutionRecord } from '#history/domain/execution-record';
import { type ExecutionFact, executionFactOf, type FactContext, factDay, sameFact } from './execution-fact';

/** The rollup write one recorded change needs: the fact under its day, and the day it leaves (if it moved). */
export interface FactWrite {
  pipeline: string;
  /** The pipeline's account and region (absent on records made before they were recorded: the hub's own). */
  account?: string;
  region?: string;
  executionId: string;
  day: string;
  fact: ExecutionFact;
  /** The day the fact was filed under before (a late event moved the execution's start to another day). */
  leavesDay?: string;
}

/**
 * Whether a change from `previous` to `next` changes the execution's fact, and so needs a write. Most events
 * (an action starting or succeeding) change nothing DORA reads and cost no write. `redelivered`: the history
 * write changed nothing, which is also what a retry after a failed fact write looks like, so write again
 * (idempotent) rather than lose the fact.
 */
export function factWriteFor(
  previous: ExecutionRecord | undefined,
  next: ExecutionRecord,
  context: FactContext | undefined,
  redelivered = false,
): FactWrite | undefined {
  const fact = executionFactOf(next, context);
  const before = previous ? executionFactOf(previous, context) : undefined;
  if (!redelivered && sameFact(before, fact)) return undefined;
  return factWriteOf(next, fact, before);
}

/** The write that files `fact` of `next` under its day, and leaves the day of `stored` (the fact stored before). */
export function factWriteOf(next: ExecutionRecord, fact: ExecutionFact, stored?: ExecutionFact): FactWrite {
  const day = factDay(fact);
  const write: FactWrite = {
    pipeline: next.pipeline,
    ...(next.account && next.region ? { account: next.account, region: next.region } : {}),
    executionId: next.executionId,
    day,
    fact,
  };
  if (stored && factDay(stored) !== day) write.leavesDay = factDay(stored);
  return write;
}
