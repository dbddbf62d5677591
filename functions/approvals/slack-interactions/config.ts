import * as z from 'zod/mini';
import { tableNameEnv } from '#platform/config/common-env';
import { readEnv } from '#platform/config/read-env';
import { slackEnv } from '#platform/config/slack-env';

export const config = readEnv(
  z.object({
    TABLE_NAME: tableNameEnv,
    /** The decision worker (approval-decisions) that finishes each click after Slack got its answer. */
    DECISIONS_FUNCTION_NAME: z.string().check(z.minLength(1)),
    /** Optional separate secret {"signingSecret"}: then only this function can verify (or forge) Slack requests. */
    SLACK_SIGNING_SECRET_ARN: z.optional(z.string()),
    ...slackEnv,
  }),
);
