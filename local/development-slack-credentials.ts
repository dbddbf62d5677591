import type { AwsClientFactory } from '../functions/platform/aws-clients';
import {
  type SlackCredentialSource,
  secretsManagerSlackCredentials,
} from '../functions/platform/slack/slack-credentials';

/** Local mode's signing secret when SLACK_SIGNING_SECRET is unset (docs/slack-approvals.md). Never valid in Slack. */
export const DEV_SIGNING_SECRET = 'local-dev-signing-secret';
export const DEV_BOT_TOKEN = 'xoxb-local-dev-token';

/**
 * Slack credentials for local mode and the tests: the development values (or SLACK_BOT_TOKEN /
 * SLACK_SIGNING_SECRET) when no secret ARN is configured, Secrets Manager when one is (with --aws). Only the
 * local composition root passes this source; a deployed function has no way to reach it.
 */
export function developmentSlackCredentials(clients: AwsClientFactory): SlackCredentialSource {
  const secrets = secretsManagerSlackCredentials(clients);
  const development = () => ({
    botToken: process.env.SLACK_BOT_TOKEN || DEV_BOT_TOKEN,
    signingSecret: process.env.SLACK_SIGNING_SECRET || DEV_SIGNING_SECRET,
  });
  return {
    credentials: async (secretArn) => (secretArn ? secrets.credentials(secretArn) : development()),
    signingSecret: async (secretArn, signingSecretArn) =>
      secretArn || signingSecretArn
        ? secrets.signingSecret(secretArn, signingSecretArn)
        : development().signingSecret,
  };
}
