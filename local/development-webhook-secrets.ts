import { secretsManagerWebhookSecrets } from '../functions/ci-ingest/adapters/webhook-secrets';
import type { WebhookHandlerPlatform } from '../functions/ci-ingest/ports';
import type { AwsClientFactory } from '../functions/platform/aws-clients';

/** Local mode's webhook secrets when GITHUB_WEBHOOK_SECRET / CI_WEBHOOK_SECRET are unset (docs/other-ci.md). */
export const DEV_GITHUB_WEBHOOK_SECRET = 'local-dev-github-webhook-secret';
export const DEV_CI_WEBHOOK_SECRET = 'local-dev-ci-webhook-secret';

/**
 * The CI endpoints' secrets for local mode and the tests: the environment's (or the development values)
 * when no secret ARN is configured, Secrets Manager when one is (with --aws). Only the local composition root
 * passes this source; a deployed function has no way to reach it.
 */
export function developmentWebhookSecrets(
  clients: AwsClientFactory,
): NonNullable<WebhookHandlerPlatform['webhookSecrets']> {
  const secrets = secretsManagerWebhookSecrets(clients);
  const fromEnvironment = (variable: string, fallback: string) => ({
    secret: async (secretArn: string | undefined) =>
      secretArn ? secrets.secret(secretArn) : process.env[variable] || fallback,
  });
  return {
    github: fromEnvironment('GITHUB_WEBHOOK_SECRET', DEV_GITHUB_WEBHOOK_SECRET),
    ci: fromEnvironment('CI_WEBHOOK_SECRET', DEV_CI_WEBHOOK_SECRET),
  };
}
