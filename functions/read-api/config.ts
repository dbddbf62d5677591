import * as z from 'zod/mini';
import { deliveryEnv } from '#delivery-metrics/delivery-config';
import { tableNameEnv } from '#platform/config/common-env';
import { readEnv } from '#platform/config/read-env';

export const config = readEnv(z.object({ TABLE_NAME: tableNameEnv, ...deliveryEnv }));
