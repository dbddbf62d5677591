import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDeliveryFactsStore } from '../../../functions/delivery-metrics/adapters/delivery-facts-store';
import type { ExecutionFact } from '../../../functions/delivery-metrics/domain/execution-fact';
import { createTestTable, partitionItems, TEST_HUB } from '../../support/dynamo';

const SPOKE = { account: '222222222222', region: 'eu-west-1', pipeline: 'orders' };
const PARTITION = 'DORA#222222222222#eu-west-1#orders';

// The writes below happen a day after the facts' days: each fact item lives five weeks from then.
const NOW = Date.parse('2026-11-22T00:00:00Z');
const LIVE_UNTIL = NOW / 1000 + 35 * 86_400;

const factAt = (day: string, version: number): ExecutionFact => ({
  s: Date.parse(`${day}T10:00:00Z`),
  g: {},
  v: version,
});

/** 2026-11-20's day item as the earlier layout wrote it: every fact of the day an attribute named by its execution id. */
function putDayItemOfEarlierLayout(
  table: { client: DynamoDBDocumentClient; tableName: string },
  attributes: Record<string, unknown>,
) {
  return table.client.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { pk: PARTITION, sk: 'DAY#2026-11-20', itemType: 'dora-day', ...attributes },
    }),
  );
}

async function world() {
  const table = await createTestTable();
  const facts = createDeliveryFactsStore({
    client: table.client,
    tableName: table.tableName,
    retentionDays: 400,
    hub: TEST_HUB,
    now: () => NOW,
  });
  const items = () => partitionItems(table, PARTITION);
  return { table, facts, items };
}

describe('delivery facts store (dynalite): one item per execution fact', () => {
  it('files each fact as its own item under its day, and never replaces it with an older one', async () => {
    const { facts, items } = await world();
    await facts.write({ ...SPOKE, executionId: 'e-1', day: '2026-11-20', fact: factAt('2026-11-20', 200) });
    await facts.write({ ...SPOKE, executionId: 'e-1', day: '2026-11-20', fact: factAt('2026-11-20', 100) });
    await facts.write({ ...SPOKE, executionId: 'e-2', day: '2026-11-20', fact: factAt('2026-11-20', 300) });

    expect(await items()).toEqual([
      {
        pk: PARTITION,
        sk: 'DAY#2026-11-20#e-1',
        itemType: 'dora-fact',
        executionId: 'e-1',
        fact: factAt('2026-11-20', 200),
        expiresAt: LIVE_UNTIL,
      },
      {
        pk: PARTITION,
        sk: 'DAY#2026-11-20#e-2',
        itemType: 'dora-fact',
        executionId: 'e-2',
        fact: factAt('2026-11-20', 300),
        expiresAt: LIVE_UNTIL,
      },
    ]);
  });

  it("reads the facts of the days asked for (from the first day's month, read whole for its packed item), the last day included, and day items of the earlier layout with them", async () => {
    const { table, facts } = await world();
    await facts.write({ ...SPOKE, executionId: 'first', day: '2026-11-19', fact: factAt('2026-11-19', 1) });
    await facts.write({ ...SPOKE, executionId: 'last', day: '2026-11-21', fact: factAt('2026-11-21', 2) });
    await facts.write({ ...SPOKE, executionId: 'after', day: '2026-11-22', fact: factAt('2026-11-22', 3) });
    await facts.write({ ...SPOKE, executionId: 'before', day: '2026-11-18', fact: factAt('2026-11-18', 4) });
    // A day item as the earlier layout wrote it: every fact of the day an attribute named by its execution id.
    await putDayItemOfEarlierLayout(table, {
      expiresAt: 1,
      'old-1': factAt('2026-11-20', 5),
      'old-2': factAt('2026-11-20', 6),
    });

    expect(await facts.factsBetween(SPOKE, '2026-11-19', '2026-11-21')).toEqual([
      { executionId: 'before', fact: factAt('2026-11-18', 4) },
      { executionId: 'first', fact: factAt('2026-11-19', 1) },
      { executionId: 'old-1', fact: factAt('2026-11-20', 5) },
      { executionId: 'old-2', fact: factAt('2026-11-20', 6) },
      { executionId: 'last', fact: factAt('2026-11-21', 2) },
    ]);
  });

  it('takes a fact that moved to another day off its former day, as its own item or in a day item of the earlier layout', async () => {
    const { table, facts, items } = await world();
    await facts.write({ ...SPOKE, executionId: 'moved', day: '2026-11-20', fact: factAt('2026-11-20', 1) });
    await putDayItemOfEarlierLayout(table, {
      moved: factAt('2026-11-20', 1),
      stays: factAt('2026-11-20', 1),
    });

    await facts.write({
      ...SPOKE,
      executionId: 'moved',
      day: '2026-11-19',
      fact: factAt('2026-11-19', 2),
      leavesDay: '2026-11-20',
    });

    expect(await items()).toEqual([
      expect.objectContaining({ sk: 'DAY#2026-11-19#moved', fact: factAt('2026-11-19', 2) }),
      { pk: PARTITION, sk: 'DAY#2026-11-20', itemType: 'dora-day', stays: factAt('2026-11-20', 1) },
      // The former fact item, emptied: keys and expiry only.
      {
        pk: PARTITION,
        sk: 'DAY#2026-11-20#moved',
        expiresAt: LIVE_UNTIL,
      },
    ]);
    expect(await facts.factsBetween(SPOKE, '2026-11-18', '2026-11-21')).toEqual([
      { executionId: 'moved', fact: factAt('2026-11-19', 2) },
      { executionId: 'stays', fact: factAt('2026-11-20', 1) },
    ]);
  });
});
