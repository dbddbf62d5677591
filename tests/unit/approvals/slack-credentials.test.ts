import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAwsClientFactory } from '../../../functions/platform/aws-clients';
import {
  type SlackCredentialSource,
  SlackSecretError,
  secretsManagerSlackCredentials,
} from '../../../functions/platform/slack/slack-credentials';
import {
  DEV_SIGNING_SECRET,
  developmentSlackCredentials,
} from '../../../local/development-slack-credentials';

const ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:slack-approvals-AbCdEf';
const secretsManager = mockClient(SecretsManagerClient);

let source: SlackCredentialSource;
const slackCredentials = (arn: string | undefined) => source.credentials(arn);
const slackSigningSecret = (arn: string | undefined, signingArn: string | undefined) =>
  source.signingSecret(arn, signingArn);

beforeEach(() => {
  secretsManager.reset();
  // A new source per test: its cache lives as long as the source, one container's lifetime in AWS.
  source = secretsManagerSlackCredentials(createAwsClientFactory());
});

describe('Secrets Manager Slack credentials', () => {
  it('reads the secret once per container and serves later calls from the cache', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ botToken: 'xoxb-123', signingSecret: 'abcdef0123456789abcdef' }),
    });
    expect(await slackCredentials(ARN)).toEqual({
      botToken: 'xoxb-123',
      signingSecret: 'abcdef0123456789abcdef',
    });
    await slackCredentials(ARN);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('names the bad field of a malformed secret without echoing its value', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({
        botToken: 'not-a-token-SECRETVALUE',
        signingSecret: 'abcdef0123456789abcdef',
      }),
    });
    const error = await slackCredentials(ARN).catch((e: Error) => e);
    expect(String(error)).toMatch(/botToken/);
    expect(String(error)).not.toContain('SECRETVALUE');
  });

  it('reads the signing secret from its own secret when the stack keeps it apart', async () => {
    const SIGNING_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:slack-signing-XyZ123';
    secretsManager
      .on(GetSecretValueCommand, { SecretId: ARN })
      .resolves({ SecretString: JSON.stringify({ botToken: 'xoxb-123' }) })
      .on(GetSecretValueCommand, { SecretId: SIGNING_ARN })
      .resolves({ SecretString: JSON.stringify({ signingSecret: 'fedcba9876543210fedcba' }) });
    expect(await slackCredentials(ARN)).toEqual({ botToken: 'xoxb-123' });
    expect(await slackSigningSecret(ARN, SIGNING_ARN)).toBe('fedcba9876543210fedcba');
    // Without the separate secret, an app secret holding only the bot token cannot authenticate anything.
    await expect(slackSigningSecret(ARN, undefined)).rejects.toThrow(/no signingSecret/);
  });

  it('fails closed without a secret ARN: a deployed function has no development credentials', async () => {
    await expect(slackCredentials(undefined)).rejects.toThrow(/SLACK_SECRET_ARN is not set/);
    await expect(slackCredentials('')).rejects.toThrow(SlackSecretError);
  });
});

describe('development Slack credentials (local mode and tests only)', () => {
  it('uses the documented development secret without a secret ARN', async () => {
    delete process.env.SLACK_SIGNING_SECRET;
    const development = developmentSlackCredentials(createAwsClientFactory());
    expect((await development.credentials(undefined)).signingSecret).toBe(DEV_SIGNING_SECRET);
    expect(await development.signingSecret(undefined, undefined)).toBe(DEV_SIGNING_SECRET);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });
});
