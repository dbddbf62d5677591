import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AwsClientFactory } from '#platform/aws-clients';
import type { WebhookSecretSource } from '../ports';

export class WebhookSecretError extends Error {
  override name = 'WebhookSecretError';
}

// Re-read every 5 minutes: a rotated secret is picked up without a redeploy, at most 12 reads an hour.
const SECRET_MAX_AGE_SECONDS = 300;
/** GitHub accepts any secret; a short one is guessable, and this endpoint is public. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/**
 * A webhook's shared secret: the whole SecretString of a Secrets Manager secret (`openssl rand -hex 32`),
 * cached per container. Fails closed: without a secret, or with a short one, every request is refused.
 */
export function secretsManagerWebhookSecrets(clients: AwsClientFactory): WebhookSecretSource {
  let provider: SecretsProvider | undefined;
  return {
    async secret(secretArn) {
      if (!secretArn) throw new WebhookSecretError('no webhook secret ARN is set: every request is refused');
      provider ??= new SecretsProvider({ awsSdkV3Client: clients.client(SecretsManagerClient) });
      const value = await provider.get(secretArn, { maxAge: SECRET_MAX_AGE_SECONDS });
      if (typeof value !== 'string' || value.length < MIN_WEBHOOK_SECRET_LENGTH) {
        // The length only: the value never reaches a log.
        throw new WebhookSecretError(
          `webhook secret ${secretArn} must be a string of at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`,
        );
      }
      return value;
    },
  };
}
