import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { secretsManagerGitHubToken } from '../../../functions/approvals/adapters/github-token';
import { createAwsClientFactory } from '../../../functions/platform/aws-clients';

const ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:github-token-AbCdEf';
const secrets = mockClient(SecretsManagerClient);
beforeEach(() => secrets.reset());

const tokenFrom = (secretString: string) => {
  secrets.on(GetSecretValueCommand).resolves({ SecretString: secretString });
  return secretsManagerGitHubToken(createAwsClientFactory(), ARN)();
};

describe('GitHub token secret', () => {
  it.each([
    ['the token itself', 'ghp_abc123\n'],
    ['JSON {"token"}', '{"token":"ghp_abc123"}'],
  ])('reads %s', async (_case, secretString) => {
    expect(await tokenFrom(secretString)).toBe('ghp_abc123');
  });

  it('names the expected shape, never the value, when the secret holds something else', async () => {
    const failure = tokenFrom('{"password":"hunter2-secret-value"}');
    await expect(failure).rejects.toThrow('must hold the token, or JSON {"token":"…"}');
    await expect(failure).rejects.not.toThrow('hunter2');
  });
});
