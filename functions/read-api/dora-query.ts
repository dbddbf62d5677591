import * as z from 'zod/mini';
import type { Bucket } from '#delivery-metrics/domain/time-buckets';
import { recordedPipelineName } from '#events/ci-pipelines';
import { BadRequestError, describeIssues } from '#platform/errors';
import { queryTime } from './query-time';
import { timeRange } from './time-range';

export const DEFAULT_RANGE_DAYS = 30;

const doraQuery = z.object({
  pipeline: z.optional(recordedPipelineName),
  from: z.optional(queryTime),
  to: z.optional(queryTime),
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
  const { from, to } = timeRange(parsed.data, now, DEFAULT_RANGE_DAYS);
  return {
    pipeline: parsed.data.pipeline,
    from,
    to,
    bucket: parsed.data.bucket ?? 'day',
  };
}
