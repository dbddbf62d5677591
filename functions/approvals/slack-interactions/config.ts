import * as z from 'zod/mini';
import { tableNameEnv } from '#platform/config/common-env';
import { readEnv } from '#platform/config/read-env';

export const config = readEnv(
  z.object({
    TABLE_NAME: tableNameEnv,
    /** The decision worker (approval-decisions) that finishes each click after Slack got its answer. */
    DECISIONS_FUNCTION_NAME: z.string().check(z.minLength(1)),
    /** Secrets Manager secret {"botToken","signingSecret"}; unset only in local mode (dev credentials). */
    SLACK_SECRET_ARN: z.optional(z.string()),
    /** Optional separate secret {"signingSecret"}: then only this function can verify (or forge) Slack requests. */
    SLACK_SIGNING_SECRET_ARN: z.optional(z.string()),
    /** Local mode's Slack sink; unset in AWS (https://slack.com/api/). */
    SLACK_API_URL: z.optional(z.string()),
  }),
);
