import * as z from 'zod/mini';
import { positiveIntegerEnv, tableNameEnv } from '#lib/config/common-env';
import { readEnv } from '#lib/config/read-env';
import { parseRollbackConfig } from '#lib/rollback/rollback-config';

export const config = readEnv(
  z.object({
    TABLE_NAME: tableNameEnv,
    HISTORY_RETENTION_DAYS: positiveIntegerEnv(400),
    // The config document itself (not an SSM name): changes go through the stack's review and deploy, and a
    // cold start costs no extra call or permission. Env vars cap at 4 KB in total: ~20 targets.
    ROLLBACK_CONFIG: z._default(z.string(), '{"targets":[]}'),
    // Optional SNS topic told about every rollback decided (taken, observed, refused).
    ROLLBACK_TOPIC_ARN: z._default(z.string(), ''),
  }),
);

/** Parsed at cold start, so a bad document stops the function with the field's name. */
export const rollbackConfig = parseRollbackConfig(config.ROLLBACK_CONFIG);
