import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAwsClientFactory } from '../../functions/platform/aws-clients';
import { createFaultInjector } from '../../local/fault-injection';
import type { Outbox } from '../../local/outbox';

/**
 * STS on a loopback port, as far as AssumeRole goes (the Query protocol the SDK speaks): answers credentials whose
 * access key names the account and the call's number, or AccessDenied for a role it is told to refuse.
 */
export async function startStsStandIn() {
  const state = { assumed: [] as string[], refuse: new Set<string>(), expiresInMs: 3_600_000 };
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const roleArn = new URLSearchParams(body).get('RoleArn') ?? '';
    state.assumed.push(roleArn);
    response.setHeader('content-type', 'text/xml');
    if (state.refuse.has(roleArn)) {
      response.statusCode = 403;
      response.end(
        `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform: sts:AssumeRole on resource: ${roleArn}</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
      );
      return;
    }
    const account = roleArn.split(':')[4];
    const expiration = new Date(Date.now() + state.expiresInMs).toISOString();
    response.end(
      `<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA${account}${state.assumed.length}</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>${roleArn}/session</Arn><AssumedRoleId>AROA:session</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`,
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    state,
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    reset() {
      state.assumed.length = 0;
      state.refuse.clear();
      state.expiresInMs = 3_600_000;
    },
    close: () => server.close(),
  };
}

/**
 * A hub's client factory whose calls to other accounts assume `roleName` through the stand-in, and whose every call
 * lands in the outbox (after the fault injector, as in local mode), which records the account and region it used.
 */
export function spokeClientsThroughOutbox(options: {
  hubAccount: string;
  roleName: string;
  stsEndpoint: string;
  outbox: Outbox;
}) {
  const faults = createFaultInjector();
  return createAwsClientFactory({
    accounts: {
      ownAccount: options.hubAccount,
      spokeRoleName: options.roleName,
      stsEndpoint: options.stsEndpoint,
    },
    decorate: (client, service, scope) => {
      faults.decorate(client as never, service);
      options.outbox.install(client as never, service, scope);
    },
  });
}
