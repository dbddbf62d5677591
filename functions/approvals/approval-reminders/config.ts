import * as z from 'zod/mini';
import { positiveIntegerEnv, tableNameEnv } from '#platform/config/common-env';
import { readEnv } from '#platform/config/read-env';
import { slackEnv } from '#platform/config/slack-env';

export const config = readEnv(
  z.object({
    TABLE_NAME: tableNameEnv,
    APPROVALS_POLICY: z.string().check(z.minLength(2)),
    /** Remind in the request's thread this many minutes before the approval's deadline. */
    REMIND_BEFORE_MINUTES: positiveIntegerEnv(60),
    ...slackEnv,
  }),
);
