import * as z from 'zod/mini';
import { tableNameEnv } from '#lib/config/common-env';
import { readEnv } from '#lib/config/read-env';

export const config = readEnv(z.object({ TABLE_NAME: tableNameEnv }));
