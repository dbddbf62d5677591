import * as z from 'zod/mini';

const DAY_MS = 86_400_000;
/** Nothing this control plane records happened before AWS CodePipeline existed; 2000 leaves ample room. */
export const EARLIEST_EVENT_TIME = Date.UTC(2000, 0, 1);

// Date-time with a `Z` or numeric offset, as AWS writes them: CodePipeline `2026-11-20T10:00:00Z`, CloudWatch
// `2026-11-20T10:00:00.985+0000`, the approval notification's `2026-11-27T10:00Z` (no seconds).
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Epoch milliseconds of a strict ISO-8601 date-time, or undefined. Date.parse alone is too lenient: it reads
 * "12" and "March 7" as dates in 2001 and rolls "02-30" over into March.
 */
export function parseIsoDateTime(value: string): number | undefined {
  const match = ISO_DATE_TIME.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '00', fraction = '', offset = 'Z'] = match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number) as Six<number>;
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0 to 99 as 1900 to 1999.
  const at = new Date(0);
  at.setUTCFullYear(y, mo - 1, d);
  const isRealDay = at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d;
  if (!isRealDay || h > 23 || mi > 59 || s > 59) return undefined;
  at.setUTCHours(h, mi, s, Number(fraction.padEnd(3, '0').slice(0, 3)));
  return at.getTime() - offsetMinutes(offset) * 60_000;
}

type Six<T> = [T, T, T, T, T, T];

function offsetMinutes(offset: string): number {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
}

/** A strict ISO-8601 time from 2000 up to `aheadMs` after now (a clock may run a little fast, not a year). */
export function isoTimeWithin(aheadMs: number) {
  const latest = () => Date.now() + aheadMs;
  return z.string().check(
    z.maxLength(40, 'expected an ISO-8601 time'),
    z.refine(
      (value) => {
        const at = parseIsoDateTime(value);
        return at !== undefined && at >= EARLIEST_EVENT_TIME && at <= latest();
      },
      {
        error: `expected an ISO-8601 time (like 2026-11-20T10:00:00Z) from 2000 to ${describeAhead(aheadMs)}`,
      },
    ),
  );
}

function describeAhead(aheadMs: number): string {
  const days = Math.round(aheadMs / DAY_MS);
  return days === 1 ? 'a day from now' : `${days} days from now`;
}

/** An event's time as AWS sends it, normalised to UTC ISO with milliseconds; at most a day in the future. */
export const awsTimestamp = z.pipe(
  isoTimeWithin(DAY_MS),
  z.transform((value) => new Date(parseIsoDateTime(value) as number).toISOString()),
);
