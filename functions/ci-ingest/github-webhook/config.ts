import * as z from 'zod/mini';
import { readEnv } from '#platform/config/read-env';
import { ciIngestEnv } from '../ci-ingest-env';

export const config = readEnv(
  z.object({
    ...ciIngestEnv,
    /** Secrets Manager secret whose SecretString is the webhook's secret; unset in local mode and tests. */
    GITHUB_WEBHOOK_SECRET_ARN: z.optional(z.string()),
  }),
);
