import * as z from 'zod/mini';
import { readEnv } from '#platform/config/read-env';
import { ciIngestEnv } from '../ci-ingest-env';

export const config = readEnv(
  z.object({
    ...ciIngestEnv,
    /** Secrets Manager secret whose SecretString signs the events; unset in local mode and tests. */
    CI_WEBHOOK_SECRET_ARN: z.optional(z.string()),
  }),
);
