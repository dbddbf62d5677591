import { canonicalJson } from './status-register';

/**
 * Whether a reconciler write repaired something. Every API read moves `lastEventAt` to the time of the read's
 * newest fact, and re-reading a running execution moves its STARTED register's `statusAt` to the API's
 * `lastUpdateTime`, so a re-read that found nothing new still changes the stored record. Only a change to
 * anything else (a status, an attempt, an end time, a field, a stage, an action, a link) is a repair: the
 * "records repaired" figure and the repair log count these alone.
 */
export function isRealRepair<T extends { lastEventAt: string }>(before: T | undefined, after: T): boolean {
  if (!before) return true;
  return comparable(before) !== comparable(after);
}

const READ_TIMES = new Set(['lastEventAt', 'statusAt']);

function comparable(record: unknown): string {
  return canonicalJson(
    JSON.parse(JSON.stringify(record), (key, value) => (READ_TIMES.has(key) ? undefined : value)),
  );
}
