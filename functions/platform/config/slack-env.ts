import * as z from 'zod/mini';

/** The environment every function that talks to Slack reads, validated at cold start. */
export const slackEnv = {
  /** Secrets Manager secret {"botToken","signingSecret"} of the Slack app; unset in local mode and tests. */
  SLACK_SECRET_ARN: z.optional(z.string()),
  /** Base URL of the Slack Web API: unset means https://slack.com/api/ (local mode points it at its sink). */
  SLACK_API_URL: z.optional(z.string()),
};
