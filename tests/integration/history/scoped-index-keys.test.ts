import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createApprovalStore } from '../../../functions/approvals/adapters/approval-store';
import { createTestTable, TEST_HUB } from '../../support/dynamo';

const SPOKE = { account: '210987654321', region: 'eu-west-1' };

/**
 * The index partitions readers query by name (a deployment group's deployments, an approval action's requests)
 * name the account and region too: a same-named group or action of another spoke is another partition. Items
 * indexed before, under the bare name, are read as the hub's own.
 */
describe('index keys scoped by account and region (dynalite)', () => {
  it("lists a deployment group's deployments of its own account and region, the hub's pre-upgrade ones last", async () => {
    const { store, client, tableName } = await createTestTable();
    const deploy = (id: string, at: string, scope: { account: string; region: string }) =>
      store.recordRun(
        {
          kind: 'deployment',
          runId: id,
          at,
          status: { status: 'SUCCESS', statusAt: at, attempt: 1 },
          attributes: { application: 'checkout', deploymentGroup: 'prod', region: scope.region },
        },
        scope,
      );
    await deploy('d-hub', '2026-11-24T10:00:00.000Z', TEST_HUB);
    await deploy('d-spoke-1', '2026-11-24T09:00:00.000Z', SPOKE);
    await deploy('d-spoke-2', '2026-11-24T11:00:00.000Z', SPOKE);
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: 'DEPLOYMENT#d-legacy',
          sk: 'DEPLOYMENT',
          kind: 'deployment',
          runId: 'd-legacy',
          firstEventAt: '2026-11-01T10:00:00.000Z',
          lastEventAt: '2026-11-01T10:00:00.000Z',
          gsi1pk: 'DEPLOYGROUP#checkout#prod',
          gsi1sk: '2026-11-01T10:00:00.000Z#d-legacy',
        },
      }),
    );

    const ids = async (scope: { account: string; region: string }, limit?: number) =>
      (await store.listDeployments('checkout', 'prod', scope, limit)).map((record) => record.runId);
    expect(await ids(SPOKE)).toEqual(['d-spoke-2', 'd-spoke-1']);
    expect(await ids(TEST_HUB)).toEqual(['d-hub', 'd-legacy']);
    expect(await ids(TEST_HUB, 1)).toEqual(['d-hub']);
    expect(await ids({ ...SPOKE, region: 'us-west-2' })).toEqual([]);
  });

  it("finds an approval action's requests in their own account and region, the hub's pre-upgrade ones too", async () => {
    const { client, tableName } = await createTestTable();
    const store = createApprovalStore({ client, tableName, hub: TEST_HUB });
    const request = (id: string, createdAt: string, place: { account?: string; region: string }) =>
      store.create({
        id,
        pipeline: 'orders',
        stage: 'Approve',
        action: 'Release',
        ...place,
        deadline: Date.parse(createdAt) + 86_400_000,
        quorum: 1,
        status: 'PENDING',
        decisions: [],
        token: `token-${id}`,
        channel: 'C0APPROVALS',
        createdAt,
      });
    await request('a-hub', '2026-11-24T10:00:00.000Z', { region: TEST_HUB.region });
    await request('a-spoke', '2026-11-24T10:05:00.000Z', SPOKE);
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: 'APPROVAL#a-legacy',
          sk: 'APPROVAL',
          id: 'a-legacy',
          pipeline: 'orders',
          stage: 'Approve',
          action: 'Release',
          region: TEST_HUB.region,
          status: 'PENDING',
          decisions: [],
          createdAt: '2026-11-20T10:00:00.000Z',
          rev: 0,
          gsi1pk: 'APPROVALS#orders#Approve#Release',
          gsi1sk: '2026-11-20T10:00:00.000Z#a-legacy',
        },
      }),
    );
    const action = { pipeline: 'orders', stage: 'Approve', action: 'Release' };
    const ids = (records: { id: string }[]) => records.map((record) => record.id);

    expect(ids(await store.latestForAction({ ...action, ...SPOKE }))).toEqual(['a-spoke']);
    expect(ids(await store.latestForAction(action))).toEqual(['a-hub', 'a-legacy']);
    expect(ids(await store.latestForAction({ ...action, ...TEST_HUB }, 1))).toEqual(['a-hub']);
    const between = (place: object) =>
      store.forActionBetween({ ...action, ...place }, '2026-11-01T00:00:00.000Z', '2026-11-30T00:00:00.000Z');
    expect(ids(await between(SPOKE))).toEqual(['a-spoke']);
    expect(ids(await between(TEST_HUB))).toEqual(['a-legacy', 'a-hub']);
  });
});
