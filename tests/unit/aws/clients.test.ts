import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { awsClient } from '#lib/aws/clients';

describe('awsClient', () => {
  it('reuses one client per class and attempt policy', () => {
    expect(awsClient(CodeDeployClient)).toBe(awsClient(CodeDeployClient));
    expect(awsClient(CodeDeployClient, 'once')).toBe(awsClient(CodeDeployClient, 'once'));
    expect(awsClient(CodeDeployClient, 'once')).not.toBe(awsClient(CodeDeployClient));
  });

  it('retries adaptively by default, and makes calls that act exactly once', async () => {
    expect(await awsClient(CodeDeployClient).config.maxAttempts()).toBe(5);
    expect(await awsClient(CodeDeployClient, 'once').config.maxAttempts()).toBe(1);
  });
});
