import * as z from 'zod/mini';
import { tableNameEnv } from '#platform/config/common-env';
import { readEnv } from '#platform/config/read-env';

export const config = readEnv(
  z.object({
    TABLE_NAME: tableNameEnv,
    /** JSON approvals policy (docs/slack-approvals.md "Policy"): the approver is authorised here. */
    APPROVALS_POLICY: z.string().check(z.minLength(2)),
    /** Secrets Manager secret {"botToken"}; unset only in local mode (dev credentials). */
    SLACK_SECRET_ARN: z.optional(z.string()),
    /** Local mode's Slack sink; unset in AWS (https://slack.com/api/). */
    SLACK_API_URL: z.optional(z.string()),
  }),
);
