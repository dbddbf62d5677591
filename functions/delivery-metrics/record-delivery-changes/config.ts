import * as z from 'zod/mini';
import { deliveryEnv } from '#delivery-metrics/delivery-config';
import { positiveIntegerEnv, tableNameEnv } from '#platform/config/common-env';
import { readEnv } from '#platform/config/read-env';

export const config = readEnv(
  z.object({
    TABLE_NAME: tableNameEnv,
    // The facts it writes expire with the history (capped at 35 days after their last write).
    HISTORY_RETENTION_DAYS: positiveIntegerEnv(400),
    ...deliveryEnv,
  }),
);
