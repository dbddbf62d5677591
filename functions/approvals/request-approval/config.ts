import * as z from 'zod/mini';
import { tableNameEnv } from '#platform/config/common-env';
import { readEnv } from '#platform/config/read-env';
import { slackEnv } from '#platform/config/slack-env';

export const config = readEnv(
  z.object({
    TABLE_NAME: tableNameEnv,
    /** JSON approvals policy (docs/slack-approvals.md "Policy"). */
    APPROVALS_POLICY: z.string().check(z.minLength(2)),
    ...slackEnv,
  }),
);
