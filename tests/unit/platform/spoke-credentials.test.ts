import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodeDeployClient, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAwsClientFactory, SINGLE_ATTEMPT } from '../../../functions/platform/aws-clients';
import { SpokeRoleUnavailableError } from '../../../functions/platform/spoke-role-unavailable-error';

const HUB = '111111111111';
const SPOKE = '222222222222';
const ROLE = 'pipeline-control-plane-spoke';

/** STS's Query protocol, as far as AssumeRole goes: answers credentials, or refuses a role it is told to. */
interface StsStandIn {
  assumed: string[];
  refuse: Set<string>;
  expiresInMs: number;
}
const sts: StsStandIn = { assumed: [], refuse: new Set(), expiresInMs: 3_600_000 };
/** CodeDeploy stand-in: records which access key signed each request. */
const signedBy: string[] = [];
let stsServer: Server;
let codeDeployServer: Server;
let stsEndpoint: string;
let codeDeployEndpoint: string;

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  stsServer = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const roleArn = new URLSearchParams(body).get('RoleArn') ?? '';
    sts.assumed.push(roleArn);
    response.setHeader('content-type', 'text/xml');
    if (sts.refuse.has(roleArn)) {
      response.statusCode = 403;
      response.end(
        `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform: sts:AssumeRole on resource: ${roleArn}</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
      );
      return;
    }
    const account = roleArn.split(':')[4];
    const expiration = new Date(Date.now() + sts.expiresInMs).toISOString();
    response.end(
      `<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA${account}${sts.assumed.length}</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>${roleArn}/session</Arn><AssumedRoleId>AROA:session</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`,
    );
  });
  codeDeployServer = createServer((request, response) => {
    signedBy.push(/Credential=([^/]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? '(unsigned)');
    response.setHeader('content-type', 'application/x-amz-json-1.1');
    response.end(JSON.stringify({ deploymentInfo: { deploymentId: 'd-1', status: 'Succeeded' } }));
  });
  stsEndpoint = await listen(stsServer);
  codeDeployEndpoint = await listen(codeDeployServer);
});

afterAll(() => {
  stsServer.close();
  codeDeployServer.close();
});

beforeEach(() => {
  sts.assumed.length = 0;
  sts.refuse.clear();
  sts.expiresInMs = 3_600_000;
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
