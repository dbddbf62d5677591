import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { awsClient, SINGLE_ATTEMPT } from '../../../functions/platform/aws-clients';

describe('awsClient', () => {
  it('reuses one client per class and configuration', () => {
    expect(awsClient(CodeDeployClient)).toBe(awsClient(CodeDeployClient));
    expect(awsClient(CodeDeployClient, SINGLE_ATTEMPT)).toBe(awsClient(CodeDeployClient, SINGLE_ATTEMPT));
    expect(awsClient(CodeDeployClient, SINGLE_ATTEMPT)).not.toBe(awsClient(CodeDeployClient));
  });

  it('retries adaptively by default, and makes calls that act exactly once', async () => {
    expect(await awsClient(CodeDeployClient).config.maxAttempts()).toBe(5);
    expect(await awsClient(CodeDeployClient, SINGLE_ATTEMPT).config.maxAttempts()).toBe(1);
  });
});
