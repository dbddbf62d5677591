/**
 * A last-writer-wins register whose order does not depend on delivery order.
 *
 * EventBridge delivers at least once and in any order, so each status is kept together with the observation
 * that set it, and two observations are compared by a fixed total order:
 *   1. attempt (`pipeline-execution-attempt`): a retried stage (RESUMED) starts a new attempt and so
 *      re-opens a failed execution;
 *   2. the event's own time (when it happened, not when it arrived);
 *   3. the state's rank, so that within one second a terminal state beats STARTED and STOPPED beats STOPPING;
 *   4. the canonical JSON of the rest, so that even two different observations at the same rank are ordered.
 * Keeping the greater of two observations is commutative, associative and idempotent: any shuffle or
 * duplication of a set of events ends in the same register (tests/unit/merge-execution.property.test.ts).
 */
export interface StatusRegister<S extends string = string> {
  status: S;
  /** Time of the event that set `status` (UTC ISO-8601, milliseconds). */
  statusAt: string;
  attempt: number;
}

export type RankTable<S extends string> = Readonly<Record<S, number>>;

export function compareRegisters<S extends string, R extends StatusRegister<S>>(
  a: R,
  b: R,
  ranks: RankTable<S>,
): number {
  return compareStrings(registerOrderKey(a, ranks), registerOrderKey(b, ranks));
}

/**
 * The register's order as one string, `attempt#statusAt#rank#json`, so that DynamoDB can compare two
 * registers in a ConditionExpression (`order < :order`) exactly as compareRegisters does: fixed-width
 * attempt and rank, '#' below every character of an ISO time (a shorter time that is a prefix of a longer
 * one sorts first either way), and JSON escaped to ASCII, because DynamoDB compares UTF-8 bytes and
 * JavaScript UTF-16 units, which agree on ASCII only. The JSON tail is the whole register, so the key
 * alone restores it (registerFromOrderKey).
 */
export function registerOrderKey<S extends string, R extends StatusRegister<S>>(
  register: R,
  ranks: RankTable<S>,
): string {
  const attempt = String(register.attempt).padStart(ATTEMPT_DIGITS, '0');
  const rank = String(ranks[register.status]).padStart(2, '0');
  return `${attempt}#${register.statusAt}#${rank}#${asciiJson(register)}`;
}

export function registerFromOrderKey<R extends StatusRegister>(key: string): R {
  let start = 0;
  for (let separators = 0; separators < 3; separators++) start = key.indexOf('#', start) + 1;
  return JSON.parse(key.slice(start)) as R;
}

// Attempts count retries of one execution; six digits leave room for far more than CodePipeline allows.
const ATTEMPT_DIGITS = 6;

function asciiJson(value: unknown): string {
  return canonicalJson(value).replace(
    /[\u007f-\uffff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function laterRegister<S extends string, R extends StatusRegister<S>>(
  current: R | undefined,
  incoming: R,
  ranks: RankTable<S>,
): R {
  if (!current) return incoming;
  return compareRegisters(incoming, current, ranks) > 0 ? incoming : current;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minString(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a <= b ? a : b;
}

export function maxString(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a >= b ? a : b;
}

/** Picks one of two values deterministically (smallest canonical JSON), for facts that should be equal. */
export function stablePick<T>(a: T | undefined, b: T | undefined): T | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return canonicalJson(a) <= canonicalJson(b) ? a : b;
}

export function sortedUnion(
  a: readonly string[] | undefined,
  b: readonly string[] | undefined,
): string[] | undefined {
  if (a === undefined && b === undefined) return undefined;
  return [...new Set([...(a ?? []), ...(b ?? [])])].sort();
}

/** JSON with object keys sorted, so equal values always serialise to equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => compareStrings(a, b)))
      : inner,
  );
}
