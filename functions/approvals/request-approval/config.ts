import * as z from 'zod/mini';
import { tableNameEnv } from '#platform/config/common-env';
import { readEnv } from '#platform/config/read-env';
import { slackEnv } from '#platform/config/slack-env';

export const config = readEnv(
  z.object({
    TABLE_NAME: tableNameEnv,
    /** JSON approvals policy (docs/slack-approvals.md "Policy"). */
    APPROVALS_POLICY: z.string().check(z.minLength(2)),
    /** Secret holding a GitHub token that reads commit authors (separation of duties); empty: not read. */
    GITHUB_TOKEN_SECRET_ARN: z.optional(z.string()),
    /** GitHub's REST API (GitHub Enterprise Server: https://HOST/api/v3); tests point it at a local server. */
    GITHUB_API_URL: z.optional(z.string().check(z.url())),
    /** The template's SpokeAccountIds, comma-separated: with them, notifications from other accounts are refused. */
    SPOKE_ACCOUNT_IDS: z.optional(z.string()),
    /** The template's OrganizationId (empty: none). */
    ORGANIZATION_ID: z.optional(z.string()),
    ...slackEnv,
  }),
);
