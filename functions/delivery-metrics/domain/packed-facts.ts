import { canonicalJson, compareStrings } from '#history/domain/status-register';
import { type ExecutionFact, factDay } from './execution-fact';

/** One execution's fact as read back from the rollups. */
export interface StoredFact {
  executionId: string;
  fact: ExecutionFact;
}

/** A month's facts packed into one item: execution id → its fact. */
export type PackedMonth = Record<string, ExecutionFact>;

/**
 * The newest fact of each execution (the greatest `v`). An execution may be found more than once: in a
 * packed month and as its own item still alive, or under two days when a late event moved its start (until
 * the earlier copy is taken off). The first found wins a tie: copies of one version are the same fact.
 */
export function newestPerExecution(facts: readonly StoredFact[]): StoredFact[] {
  const newest = new Map<string, StoredFact>();
  for (const stored of facts) {
    const seen = newest.get(stored.executionId);
    if (!seen || stored.fact.v > seen.fact.v) newest.set(stored.executionId, stored);
  }
  return [...newest.values()];
}

/** The UTC month (yyyy-mm) a fact is packed under: the month of the day it is filed under. */
export function factMonth(fact: Pick<ExecutionFact, 's'>): string {
  return factDay(fact).slice(0, 7);
}

/**
 * What each month's packed item should hold, given what the months hold now and the facts still alive as
 * their own items: every execution once, at its newest, in the month it now starts in. A month that no
 * longer holds any execution (its only one moved) is kept, empty, so its stale copy is replaced.
 * Returns only the months whose content changes.
 */
export function repackedMonths(
  packed: ReadonlyMap<string, PackedMonth>,
  live: readonly StoredFact[],
): Map<string, PackedMonth> {
  const packedFacts = [...packed.values()].flatMap((month) =>
    Object.entries(month).map(([executionId, fact]) => ({ executionId, fact })),
  );
  const wanted = new Map<string, StoredFact[]>([...packed.keys()].map((month) => [month, []]));
  for (const stored of newestPerExecution([...live, ...packedFacts])) {
    const month = factMonth(stored.fact);
    const facts = wanted.get(month);
    if (facts) facts.push(stored);
    else wanted.set(month, [stored]);
  }
  const changed = new Map<string, PackedMonth>();
  for (const [month, facts] of wanted) {
    const content: PackedMonth = Object.fromEntries(
      facts.map(({ executionId, fact }) => [executionId, fact]),
    );
    // Canonical: a fact read back from DynamoDB need not keep its attributes' order.
    if (canonicalJson(content) !== canonicalJson(packed.get(month))) changed.set(month, content);
  }
  return changed;
}

/**
 * A month split into parts of at most `size` executions, in execution-id order (the same month always splits
 * the same way), so a busy pipeline's month stays far below DynamoDB's 400 KB item limit. At least one part,
 * empty for an empty month.
 */
export function partsOf(month: PackedMonth, size: number): PackedMonth[] {
  const ids = Object.keys(month).sort(compareStrings);
  const parts: PackedMonth[] = [];
  for (let start = 0; start === 0 || start < ids.length; start += size) {
    parts.push(
      Object.fromEntries(ids.slice(start, start + size).map((id) => [id, month[id] as ExecutionFact])),
    );
  }
  return parts;
}
