import * as z from 'zod/mini';
import { positiveIntegerEnv, tableNameEnv } from '#platform/config/common-env';
import { readEnv } from '#platform/config/read-env';

export const config = readEnv(
  z.object({
    TABLE_NAME: tableNameEnv,
    // CodePipeline itself keeps execution history for 12 months; keep a little longer by default.
    HISTORY_RETENTION_DAYS: positiveIntegerEnv(400),
  }),
);
