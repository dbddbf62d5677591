import * as z from 'zod/mini';
import { readEnv } from '#platform/config/read-env';

export const config = readEnv(
  z.object({
    // IAM lets the function read only secrets under this name prefix (template.yaml SmokeTestSecretPrefix).
    SMOKE_TEST_SECRET_PREFIX: z.string().check(z.minLength(1)),
  }),
);
