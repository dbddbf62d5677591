import * as z from 'zod/mini';
import { tableNameEnv } from '#lib/config/common-env';
import { readEnv } from '#lib/config/read-env';
import { deliveryEnv } from '#lib/metrics/delivery-config';

export const config = readEnv(z.object({ TABLE_NAME: tableNameEnv, ...deliveryEnv }));
