import * as z from 'zod/mini';
import { BadRequestError, describeIssues } from '#lib/errors';
import type { Bucket } from '#lib/metrics/time-buckets';

const DAY_MS = 86_400_000;
export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;

const isoTime = z
  .string()
  .check(z.refine((value) => !Number.isNaN(Date.parse(value)), { message: 'expected ISO-8601' }));

const doraQuery = z.object({
  pipeline: z.optional(z.string().check(z.minLength(1))),
  from: z.optional(isoTime),
  to: z.optional(isoTime),
  bucket: z.optional(z.enum(['day', 'week'])),
});

export interface DoraQuery {
  pipeline?: string;
  from: string;
  to: string;
  bucket: Bucket;
}

/**
 * `?pipeline=&from=&to=&bucket=day|week`. Defaults: the last 30 days up to now, by day; a 400 names the bad
 * parameter, and ranges are capped at a year so one request cannot read the whole table.
 */
export function parseDoraQuery(
  params: Record<string, string | undefined> | undefined,
  now: Date = new Date(),
): DoraQuery {
  const parsed = doraQuery.safeParse(params ?? {});
  if (!parsed.success) throw new BadRequestError(`Invalid query: ${describeIssues(parsed.error.issues)}`);
  const to = parsed.data.to ? new Date(parsed.data.to) : now;
  const from = parsed.data.from
    ? new Date(parsed.data.from)
    : new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (from >= to) throw new BadRequestError('Invalid query: from: must be before to');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw new BadRequestError(`Invalid query: from: the range may span at most ${MAX_RANGE_DAYS} days`);
  }
  return {
    pipeline: parsed.data.pipeline,
    from: from.toISOString(),
    to: to.toISOString(),
    bucket: parsed.data.bucket ?? 'day',
  };
}
