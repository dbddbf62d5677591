import * as z from 'zod/mini';
import { positiveIntegerEnv, tableNameEnv } from '#platform/config/common-env';
import { readEnv } from '#platform/config/read-env';
import { slackEnv } from '#platform/config/slack-env';
import { slackChannelId } from '#platform/slack/slack-ids';
import { parseRollbackConfig } from '#rollback/domain/rollback-config';

export const config = readEnv(
  z.object({
    TABLE_NAME: tableNameEnv,
    HISTORY_RETENTION_DAYS: positiveIntegerEnv(400),
    // The config document itself (not an SSM name): changes go through the stack's review and deploy, and a
    // cold start costs no extra call or permission. Env vars cap at 4 KB in total: ~20 targets.
    ROLLBACK_CONFIG: z._default(z.string(), '{"targets":[]}'),
    // Optional SNS topic told about every rollback decided (taken, observed, refused).
    ROLLBACK_TOPIC_ARN: z._default(z.string(), ''),
    // Optional Slack channel id told the same as the topic; empty is off.
    ROLLBACK_SLACK_CHANNEL: z._default(z.union([z.literal(''), slackChannelId]), ''),
    ...slackEnv,
  }),
);

/**
 * Where Slack announcements go, or undefined when they are off: they need a channel and a way to reach Slack,
 * the stack's Slack secret in AWS or the Slack sink in local mode.
 */
export const rollbackSlackChannel =
  config.ROLLBACK_SLACK_CHANNEL && (config.SLACK_SECRET_ARN || config.SLACK_API_URL)
    ? config.ROLLBACK_SLACK_CHANNEL
    : undefined;

/** Parsed at cold start, so a bad document stops the function with the field's name. */
export const rollbackConfig = parseRollbackConfig(config.ROLLBACK_CONFIG);
