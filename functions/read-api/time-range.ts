import { BadRequestError } from '#platform/errors';
import { queryTimeMillis } from './query-time';

const DAY_MS = 86_400_000;
export const MAX_RANGE_DAYS = 366;

/**
 * `from`/`to` of a ranged read (already checked to be ISO-8601): `to` defaults to now, `from` to `defaultDays`
 * before it; a range backwards or longer than a year is a 400, so one request cannot read (or fan out over)
 * the whole table.
 */
export function timeRange(
  params: { from?: string; to?: string },
  now: Date,
  defaultDays: number,
): { from: string; to: string } {
  const to = params.to ? new Date(queryTimeMillis(params.to)) : now;
  const from = params.from
    ? new Date(queryTimeMillis(params.from))
    : new Date(to.getTime() - defaultDays * DAY_MS);
  if (from >= to) throw new BadRequestError('Invalid query: from: must be before to');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw new BadRequestError(`Invalid query: from: the range may span at most ${MAX_RANGE_DAYS} days`);
  }
  return { from: from.toISOString(), to: to.toISOString() };
}
