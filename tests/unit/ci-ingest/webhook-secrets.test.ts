import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { secretsManagerWebhookSecrets } from '../../../functions/ci-ingest/adapters/webhook-secrets';
import { createAwsClientFactory } from '../../../functions/platform/aws-clients';

const secretsManager = mockClient(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:github-webhook';

describe('webhook secrets from Secrets Manager', () => {
  beforeEach(() => secretsManager.reset());

  it('is the whole SecretString', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'a'.repeat(64) });
    await expect(secretsManagerWebhookSecrets(createAwsClientFactory()).secret(ARN)).resolves.toBe(
      'a'.repeat(64),
    );
  });

  it('fails closed without a secret ARN, or with a short secret, never showing the value', async () => {
    const secrets = secretsManagerWebhookSecrets(createAwsClientFactory());
    await expect(secrets.secret(undefined)).rejects.toThrow(/every request is refused/);
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'hunter2' });
    const refusal = secrets.secret(ARN);
    await expect(refusal).rejects.toThrow(/at least 16 characters/);
    await expect(refusal).rejects.not.toThrow(/hunter2/);
  });
});
