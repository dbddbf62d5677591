import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { createAwsClientFactory, SINGLE_ATTEMPT } from '../../../functions/platform/aws-clients';

describe('createAwsClientFactory', () => {
  it('reuses one client per class, scope and configuration', () => {
    const clients = createAwsClientFactory();
    expect(clients.client(CodeDeployClient)).toBe(clients.client(CodeDeployClient));
    const single = { overrides: SINGLE_ATTEMPT };
    expect(clients.client(CodeDeployClient, single)).toBe(clients.client(CodeDeployClient, single));
    expect(clients.client(CodeDeployClient, single)).not.toBe(clients.client(CodeDeployClient));
    const spoke = { account: '111122223333', region: 'eu-west-1' };
    expect(clients.client(CodeDeployClient, spoke)).not.toBe(clients.client(CodeDeployClient));
    expect(clients.client(CodeDeployClient, spoke)).toBe(clients.client(CodeDeployClient, { ...spoke }));
  });

  it('retries adaptively by default, and makes calls that act exactly once', async () => {
    const clients = createAwsClientFactory();
    expect(await clients.client(CodeDeployClient).config.maxAttempts()).toBe(5);
    expect(await clients.client(CodeDeployClient, { overrides: SINGLE_ATTEMPT }).config.maxAttempts()).toBe(
      1,
    );
  });

  it('sends a scoped client to its region, and lets the composition root decorate every client', async () => {
    const decorated: string[] = [];
    const clients = createAwsClientFactory({
      decorate: (_client, service, scope) => decorated.push(`${service}@${scope.region ?? 'own'}`),
    });
    expect(await clients.client(CodeDeployClient, { region: 'eu-west-1' }).config.region()).toBe('eu-west-1');
    clients.client(CodeDeployClient);
    expect(decorated).toEqual(['CodeDeploy@eu-west-1', 'CodeDeploy@own']);
  });
});
