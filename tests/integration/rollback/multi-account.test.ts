import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClientFactory } from '../../../functions/platform/aws-clients';
import { createRollbackStore } from '../../../functions/rollback/adapters/rollback-store';
import { developmentSlackCredentials } from '../../../local/development-slack-credentials';
import { createFaultInjector } from '../../../local/fault-injection';
import { createOutbox } from '../../../local/outbox';
import { createTestTable } from '../../support/dynamo';
import { alarmEvent, seedDeployment } from '../../support/rollback';
import { startStsStandIn } from '../../support/sts-stand-in';

/**
 * One hub, two spokes with a deployment group of the same name: an alarm rolls back only the target of the account
 * and region it fired in, through a client for that account (the outbox records where each call went), and a
 * spoke whose role refuses the hub gets a recorded, announced failure rather than an act anywhere else.
 */
const HUB = '111111111111';
const SPOKE = '222222222222';
const UNTRUSTING = '333333333333';
const ROLE = 'pipeline-control-plane-spoke';
const context = {
  functionName: 'rollback-on-alarm',
  awsRequestId: 'test',
  getRemainingTimeInMillis: () => 30_000,
} as Context;

/** The sample alarm, fired in `account` and `region` at `stateTime`. */
const alarmIn = (account: string, region: string, stateTime: string) => ({
  ...alarmEvent('checkout-5xx', stateTime),
  account,
  region,
  resources: [`arn:aws:cloudwatch:${region}:${account}:alarm:checkout-5xx`],
});

describe('rollback across accounts', () => {
  let invoke: (event: unknown) => Promise<unknown>;
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let sts: Awaited<ReturnType<typeof startStsStandIn>>;
  const outbox = createOutbox();

  beforeAll(async () => {
    table = await createTestTable();
    sts = await startStsStandIn();
    sts.state.refuse.add(`arn:aws:iam::${UNTRUSTING}:role/${ROLE}`);
    // Each account's group has its own deployment in progress: a deployment group is account + region + name.
    for (const [account, region] of [
      [SPOKE, 'eu-west-1'],
      [HUB, 'eu-central-1'],
      [UNTRUSTING, 'eu-west-1'],
    ] as const) {
      await seedDeployment(table.store, 'd-BAD', 'START', '2026-11-24T11:40:00.000Z', { account, region });
    }
    outbox.respond('GetDeployment', () => ({ deploymentInfo: { creator: 'user', status: 'InProgress' } }));
    outbox.respond('StopDeployment', () => ({ status: 'Pending' }));
    Object.assign(process.env, {
      TABLE_NAME: table.tableName,
      AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
      ROLLBACK_TOPIC_ARN: `arn:aws:sns:us-east-1:${HUB}:deployments`,
      ROLLBACK_CONFIG: JSON.stringify({
        targets: [HUB, SPOKE, UNTRUSTING].map((account) => ({
          kind: 'codedeploy',
          application: 'checkout',
          deploymentGroup: 'prod',
          alarms: ['checkout-*'],
          mode: 'enforce',
          account,
          region: 'eu-*',
        })),
      }),
    });
    // As local mode builds it: every call but DynamoDB's goes to the outbox, which records its account and region.
    const faults = createFaultInjector();
    const clients = createAwsClientFactory({
      accounts: { ownAccount: HUB, spokeRoleName: ROLE, stsEndpoint: sts.endpoint },
      decorate: (client, service, scope) => {
        faults.decorate(client as never, service);
        if (service !== 'DynamoDB') outbox.install(client as never, service, scope);
      },
    });
    const { createHandler } = await import('../../../functions/rollback/rollback-on-alarm/handler');
    const handler = createHandler({ clients, slackCredentials: developmentSlackCredentials(clients) });
    invoke = (event) => handler(event, context);
  });
  afterAll(() => sts.close());
  beforeEach(() => outbox.clear());

  const incidentsOf = (account: string) =>
    createRollbackStore({
      client: table.client,
      tableName: table.tableName,
      retentionDays: 400,
    }).listIncidents(`codedeploy:checkout/prod@${account}/eu-*`);

  it("rolls back only the target of the spoke the alarm fired in, acting in that spoke's account and region", async () => {
    const result = await invoke(alarmIn(SPOKE, 'eu-west-1', '2026-11-24T11:45:00.000Z'));
    expect(result).toMatchObject({
      status: 'decided',
      targets: [
        {
          targetId: `codedeploy:checkout/prod@${SPOKE}/eu-*`,
          outcome: 'succeeded',
          action: 'stop-deployment',
        },
      ],
    });
    const calls = outbox.entries.filter((entry) => entry.service === 'CodeDeploy');
    expect(calls.map((entry) => entry.command)).toContain('StopDeployment');
    expect(new Set(calls.map((entry) => `${entry.account}@${entry.region}`))).toEqual(
      new Set([`${SPOKE}@eu-west-1`]),
    );
    expect(sts.state.assumed).toEqual([`arn:aws:iam::${SPOKE}:role/${ROLE}`]);
    expect(await incidentsOf(HUB)).toEqual([]);
    expect(await incidentsOf(SPOKE)).toHaveLength(1);
  });

  it("acts on the hub's own target with the function's own role when the alarm is the hub's", async () => {
    const assumedBefore = sts.state.assumed.length;
    const result = await invoke(alarmIn(HUB, 'eu-central-1', '2026-11-24T11:46:00.000Z'));
    expect(result).toMatchObject({
      targets: [{ targetId: `codedeploy:checkout/prod@${HUB}/eu-*`, outcome: 'succeeded' }],
    });
    const stops = outbox.entries.filter((entry) => entry.command === 'StopDeployment');
    expect(stops.map((entry) => `${entry.account}@${entry.region}`)).toEqual([`${HUB}@eu-central-1`]);
    expect(sts.state.assumed).toHaveLength(assumedBefore);
  });

  it('guards nothing for an alarm of an account or region no target names', async () => {
    const result = await invoke(alarmIn(SPOKE, 'us-east-1', '2026-11-24T11:47:00.000Z'));
    expect(result).toMatchObject({ targets: [{ outcome: 'unguarded' }] });
    expect(outbox.entries.filter((entry) => entry.service === 'CodeDeploy')).toEqual([]);
  });

  it('records and announces a failure, and calls nothing anywhere, when the spoke role does not trust the hub', async () => {
    const result = await invoke(alarmIn(UNTRUSTING, 'eu-west-1', '2026-11-24T11:48:00.000Z'));
    expect(result).toMatchObject({
      targets: [{ targetId: `codedeploy:checkout/prod@${UNTRUSTING}/eu-*`, outcome: 'failed' }],
    });
    const failure = (result as { targets: { message: string }[] }).targets[0];
    expect(failure?.message).toContain(`arn:aws:iam::${UNTRUSTING}:role/${ROLE}`);
    expect(outbox.entries.filter((entry) => entry.service === 'CodeDeploy')).toEqual([]);
    const [incident] = await incidentsOf(UNTRUSTING);
    expect(incident).toMatchObject({ outcome: 'failed' });
    // Announced from the hub's own account, where its topic is.
    const announcements = outbox.entries.filter((entry) => entry.command === 'Publish');
    expect(announcements).toHaveLength(1);
    expect(announcements[0]?.account).toBeUndefined();
    expect(JSON.stringify(announcements[0]?.input)).toContain(`arn:aws:iam::${UNTRUSTING}:role/${ROLE}`);
  });
});
