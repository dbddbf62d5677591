import * as z from 'zod/mini';
import { positiveIntegerEnv, tableNameEnv } from '#platform/config/common-env';
import { readEnv } from '#platform/config/read-env';

export const config = readEnv(
  z.object({
    TABLE_NAME: tableNameEnv,
    AWS_REGION: z.string().check(z.minLength(1, { message: 'expected the AWS region (set by Lambda)' })),
    HISTORY_RETENTION_DAYS: positiveIntegerEnv(400),
    /** Pipelines to reconcile besides those already in the table, comma-separated (may be empty). */
    RECONCILE_PIPELINES: z._default(z.string(), ''),
    /** Hard cap: executions repaired per run, across all pipelines. */
    RECONCILE_MAX_REPAIRS: positiveIntegerEnv(50),
    RECONCILE_STALE_AFTER_MINUTES: positiveIntegerEnv(60),
    RECONCILE_INITIAL_LOOKBACK_HOURS: positiveIntegerEnv(24),
    RECONCILE_OVERLAP_MINUTES: positiveIntegerEnv(30),
    RECONCILE_MAX_PAGES: positiveIntegerEnv(10),
  }),
);
