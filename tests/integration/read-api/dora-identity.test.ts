import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDeliveryFactsStore } from '../../../functions/delivery-metrics/adapters/delivery-facts-store';
import { executionFactOf } from '../../../functions/delivery-metrics/domain/execution-fact';
import { type FactWrite, factWriteFor } from '../../../functions/delivery-metrics/domain/fact-write';
import { parseDoraQuery } from '../../../functions/read-api/dora-query';
import { readDoraMetrics } from '../../../functions/read-api/read-dora-metrics';
import { createTestTable, TEST_HUB } from '../../support/dynamo';
import { execution } from '../../unit/delivery-metrics/dora-fixtures';

const SPOKE = { account: '210987654321', region: 'eu-west-1' };
const OTHER_REGION = { account: SPOKE.account, region: 'us-west-2' };
const config = { PRODUCTION_STAGES: {}, CHANGE_FAILURE_WINDOW_HOURS: 24 };
const noIncidents = async () => [];
const range = { from: '2026-11-16T00:00:00Z', to: '2026-11-18T00:00:00Z' };

/** `count` production deployments of `pipeline` on 2026-11-16, in `scope`. */
function deployments(pipeline: string, scope: { account: string; region: string }, count: number) {
  return Array.from({ length: count }, (_, index) => ({
    ...execution({
      id: `${scope.account}-${scope.region}-${pipeline}-${index}`,
      pipeline,
      start: `2026-11-16T0${index}:00:00.000Z`,
      status: 'SUCCEEDED',
      productionStatus: 'SUCCEEDED',
      productionAt: `2026-11-16T0${index}:30:00.000Z`,
    }),
    ...scope,
  }));
}

async function world() {
  const table = await createTestTable();
  const facts = createDeliveryFactsStore({
    client: table.client,
    tableName: table.tableName,
    retentionDays: 400,
    hub: TEST_HUB,
  });
  const recorded = [
    ...deployments('orders', TEST_HUB, 1),
    ...deployments('orders', SPOKE, 3),
    ...deployments('orders', OTHER_REGION, 2),
    ...deployments('billing', SPOKE, 4),
  ];
  for (const record of recorded) {
    await table.store.notePipeline(
      { account: record.account, region: record.region, pipeline: record.pipeline },
      record.startTime as string,
    );
    await facts.write(factWriteFor(undefined, record, undefined) as FactWrite);
  }
  const read = (params: Record<string, string>) =>
    readDoraMetrics({ history: table.store, facts }, noIncidents, config, parseDoraQuery(params));
  return { table, facts, read };
}

describe('DORA by account + region + pipeline (dynalite)', () => {
  it('keeps same-named pipelines of two accounts and two regions apart, and sums them per account and overall', async () => {
    const { read } = await world();
    const report = await read(range);
    expect(report.pipelines.map((p) => [p.pipeline, p.account, p.region, p.deployments])).toEqual([
      ['billing', SPOKE.account, SPOKE.region, 4],
      ['orders', TEST_HUB.account, TEST_HUB.region, 1],
      ['orders', SPOKE.account, SPOKE.region, 3],
      ['orders', SPOKE.account, OTHER_REGION.region, 2],
    ]);
    expect(report.accounts.map((a) => [a.account, a.pipelines, a.deployments])).toEqual([
      [TEST_HUB.account, 1, 1],
      [SPOKE.account, 3, 9],
    ]);
    expect(report.overall.deployments).toBe(10);
  });

  it('narrows to an account, a region and a pipeline with ?account=&region=&pipeline=', async () => {
    const { read } = await world();
    const spoke = await read({ ...range, account: SPOKE.account });
    expect(spoke.overall.deployments).toBe(9);
    expect(spoke.accounts.map((a) => a.account)).toEqual([SPOKE.account]);

    const oneRegion = await read({ ...range, ...SPOKE, pipeline: 'orders' });
    expect(oneRegion.pipelines.map((p) => [p.account, p.region, p.deployments])).toEqual([
      [SPOKE.account, SPOKE.region, 3],
    ]);
    expect(oneRegion.overall.deployments).toBe(3);

    const byName = await read({ ...range, pipeline: 'orders' });
    expect(byName.overall.deployments).toBe(6);
    expect(await read({ ...range, account: '999999999999' })).toMatchObject({
      pipelines: [],
      accounts: [],
      overall: { deployments: 0 },
    });
  });

  it('reads rollups written before account and region were in the key as the hub’s own', async () => {
    const { table, read } = await world();
    const [legacy] = deployments('orders', TEST_HUB, 3).slice(2);
    if (!legacy) throw new Error('no legacy execution');
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          pk: 'DORA#orders',
          sk: 'DAY#2026-11-16',
          itemType: 'dora-day',
          [legacy.executionId]: executionFactOf(legacy),
        },
      }),
    );
    const hub = await read({ ...range, ...TEST_HUB, pipeline: 'orders' });
    expect(hub.overall.deployments).toBe(2);
    const spoke = await read({ ...range, ...SPOKE, pipeline: 'orders' });
    expect(spoke.overall.deployments).toBe(3);
  });

  it('refuses an account or region AWS could not have issued with a 400 naming it', () => {
    expect(() => parseDoraQuery({ account: '12345' })).toThrow(/account/);
    expect(() => parseDoraQuery({ region: 'Mars' })).toThrow(/region/);
  });
});
