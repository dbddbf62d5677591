import * as z from 'zod/mini';
import type { Bucket } from '#delivery-metrics/domain/time-buckets';
import { recordedAccount, recordedPipelineName, recordedRegion } from '#events/ci-pipelines';
import { BadRequestError, describeIssues } from '#platform/errors';
import { queryTime } from './query-time';
import { timeRange } from './time-range';

export const DEFAULT_RANGE_DAYS = 30;

const doraQuery = z.object({
  pipeline: z.optional(recordedPipelineName),
  account: z.optional(recordedAccount),
  region: z.optional(recordedRegion),
  from: z.optional(queryTime),
  to: z.optional(queryTime),
  bucket: z.optional(z.enum(['day', 'week'])),
});

export interface DoraQuery {
  pipeline?: string;
  /** Only pipelines of this account, and of this region. */
  account?: string;
  region?: string;
  from: string;
  to: string;
  bucket: Bucket;
}

/**
 * `?pipeline=&account=&region=&from=&to=&bucket=day|week`; the three names narrow the pipelines counted. Defaults: the last 30 days up to now, by day; a 400 names the bad
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
    account: parsed.data.account,
    region: parsed.data.region,
    from,
    to,
    bucket: parsed.data.bucket ?? 'day',
  };
}
