import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodeDeployClient, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAwsClientFactory, SINGLE_ATTEMPT } from '../../../functions/platform/aws-clients';
import { SpokeRoleUnavailableError } from '../../../functions/platform/spoke-role-unavailable-error';
import { startStsStandIn } from '../../support/sts-stand-in';

const HUB = '111111111111';
const SPOKE = '222222222222';
const ROLE = 'pipeline-control-plane-spoke';

let sts: Awaited<ReturnType<typeof startStsStandIn>>['state'];
let stsStandIn: Awaited<ReturnType<typeof startStsStandIn>>;
/** CodeDeploy stand-in: records which access key signed each request. */
const signedBy: string[] = [];
let codeDeployServer: Server;
let stsEndpoint: string;
let codeDeployEndpoint: string;

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  stsStandIn = await startStsStandIn();
  sts = stsStandIn.state;
  stsEndpoint = stsStandIn.endpoint;
  codeDeployServer = createServer((request, response) => {
    signedBy.push(/Credential=([^/]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? '(unsigned)');
    response.setHeader('content-type', 'application/x-amz-json-1.1');
    response.end(JSON.stringify({ deploymentInfo: { deploymentId: 'd-1', status: 'Succeeded' } }));
  });
  codeDeployEndpoint = await listen(codeDeployServer);
});

afterAll(() => {
  stsStandIn.close();
  codeDeployServer.close();
});

beforeEach(() => {
  stsStandIn.reset();
  signedBy.length = 0;
});

const factory = ({ spokeRoleName }: { spokeRoleName?: string } = { spokeRoleName: ROLE }) =>
  createAwsClientFactory({ accounts: { ownAccount: HUB, spokeRoleName, stsEndpoint } });

function getDeployment(
  clients: ReturnType<typeof createAwsClientFactory>,
  account?: string,
  overrides: object = {},
) {
  return clients
    .client(CodeDeployClient, {
      account,
      region: 'eu-west-1',
      overrides: { endpoint: codeDeployEndpoint, ...overrides },
    })
    .send(new GetDeploymentCommand({ deploymentId: 'd-1' }));
}

describe('clients for another account', () => {
  it("sign the hub's own calls with the function's own credentials, without AssumeRole", async () => {
    const clients = factory();
    await getDeployment(clients, HUB);
    await getDeployment(clients, undefined);
    expect(sts.assumed).toEqual([]);
    expect(signedBy).toEqual(['test', 'test']);
  });

  it("sign a spoke's calls with credentials of its spoke role, assumed once for every client of that account", async () => {
    const clients = factory();
    await getDeployment(clients, SPOKE);
    await getDeployment(clients, SPOKE, SINGLE_ATTEMPT);
    expect(sts.assumed).toEqual([`arn:aws:iam::${SPOKE}:role/${ROLE}`]);
    expect(signedBy).toEqual([`ASIA${SPOKE}1`, `ASIA${SPOKE}1`]);
  });

  it('assume the role again when the credentials near expiry', async () => {
    const clients = factory();
    await getDeployment(clients, SPOKE);
    // An hour's credentials, 58 minutes later: within the five minutes before expiry.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 58 * 60_000);
      sts.expiresInMs = 3_600_000;
      await getDeployment(clients, SPOKE, SINGLE_ATTEMPT);
    } finally {
      vi.useRealTimers();
    }
    expect(sts.assumed).toHaveLength(2);
    expect(signedBy).toEqual([`ASIA${SPOKE}1`, `ASIA${SPOKE}2`]);
  });

  it('fail with an error naming the account and the role when the spoke role refuses, and call nothing there', async () => {
    const roleArn = `arn:aws:iam::${SPOKE}:role/${ROLE}`;
    sts.refuse.add(roleArn);
    const clients = factory();
    const failure = await getDeployment(clients, SPOKE).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SpokeRoleUnavailableError);
    expect(failure).toMatchObject({ account: SPOKE, roleArn, $fault: 'client' });
    expect((failure as Error).message).toContain(roleArn);
    expect((failure as Error).message).toContain('AccessDenied');
    expect(signedBy).toEqual([]);
    // Not cached: once the spoke trusts the hub, the next call gets through.
    sts.refuse.clear();
    await getDeployment(clients, SPOKE);
    expect(signedBy).toEqual([`ASIA${SPOKE}2`]);
  });

  it('refuse another account outright when no spoke role is configured, rather than act as the hub', async () => {
    const clients = factory({});
    const failure = await getDeployment(clients, SPOKE).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SpokeRoleUnavailableError);
    expect((failure as Error).message).toContain(SPOKE);
    expect(sts.assumed).toEqual([]);
    expect(signedBy).toEqual([]);
  });
});
