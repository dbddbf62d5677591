import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  ConcurrentPackingError,
  createDeliveryFactsPacker,
} from '../../../functions/delivery-metrics/adapters/delivery-facts-packer';
import { createDeliveryFactsStore } from '../../../functions/delivery-metrics/adapters/delivery-facts-store';
import { decodePackedMonth } from '../../../functions/delivery-metrics/adapters/packed-month-codec';
import type { ExecutionFact } from '../../../functions/delivery-metrics/domain/execution-fact';
import { createTestTable, partitionItems, TEST_HUB } from '../../support/dynamo';

const SPOKE = { account: '222222222222', region: 'eu-west-1', pipeline: 'orders' };
const PARTITION = 'DORA#222222222222#eu-west-1#orders';
const DAY_MS = 86_400_000;

const factAt = (at: string, version: number): ExecutionFact => ({
  s: Date.parse(at),
  g: { Prod: [Date.parse(at) + 60_000, 0] },
  v: version,
});

/** A table whose clock the test moves: writes and packing happen "now", as the recorder and the schedule do. */
async function world(retentionDays = 400, executionsPerPart?: number) {
  const table = await createTestTable();
  let now = Date.parse('2026-09-01T00:00:00Z');
  const storage = { client: table.client, tableName: table.tableName, retentionDays, now: () => now };
  const facts = createDeliveryFactsStore({ ...storage, hub: TEST_HUB });
  const packer = createDeliveryFactsPacker({
    ...storage,
    ...(executionsPerPart ? { executionsPerPart } : {}),
  });
  const items = () => partitionItems(table, PARTITION);
  /** What DynamoDB's TTL does in time (dynalite has none): items past their expiry are gone. */
  const expire = async () => {
    for (const item of await items()) {
      if (typeof item.expiresAt === 'number' && item.expiresAt * 1000 <= now) {
        await table.client.send(
          new DeleteCommand({ TableName: table.tableName, Key: { pk: item.pk, sk: item.sk } }),
        );
      }
    }
  };
  const write = (executionId: string, fact: ExecutionFact, leavesDay?: string) =>
    facts.write({
      ...SPOKE,
      executionId,
      day: new Date(fact.s).toISOString().slice(0, 10),
      fact,
      ...(leavesDay ? { leavesDay } : {}),
    });
  return {
    table,
    facts,
    packer,
    items,
    expire,
    write,
    setNow: (at: string) => {
      now = Date.parse(at);
    },
  };
}

describe('delivery facts packer (dynalite): a packed item per month, single facts only for a few weeks', () => {
  it('gives the same facts after months of packing and TTL as the single facts gave, from month items and the last weeks only', async () => {
    const w = await world();
    const written: { executionId: string; fact: ExecutionFact }[] = [];
    // Four months of executions, two a day, each written on its day; the packer runs every night.
    for (let day = 0; day < 120; day++) {
      const at = new Date(Date.parse('2026-07-01T00:00:00Z') + day * DAY_MS);
      w.setNow(at.toISOString());
      for (const hour of [9, 15]) {
        const executionId = `e-${day}-${hour}`;
        const fact = factAt(new Date(at.getTime() + hour * 3_600_000).toISOString(), day + 1);
        await w.write(executionId, fact);
        written.push({ executionId, fact });
      }
      w.setNow(new Date(at.getTime() + DAY_MS - 1).toISOString());
      await w.packer.pack(SPOKE);
      await w.expire();
    }

    const read = await w.facts.factsBetween(SPOKE, '2026-07-01', '2026-10-28');
    expect(read.sort((a, b) => a.fact.s - b.fact.s)).toEqual(written);
    const kinds = (await w.items()).map((item) => String(item.itemType));
    // Four month items, and single facts of the last five weeks only.
    expect(kinds.filter((kind) => kind === 'dora-month')).toHaveLength(4);
    expect(kinds.filter((kind) => kind === 'dora-fact')).toHaveLength(35 * 2);
  });

  it('writes only the months whose facts changed, and nothing on a second run', async () => {
    const w = await world();
    await w.write('july', factAt('2026-07-10T10:00:00Z', 1));
    await w.write('august', factAt('2026-08-10T10:00:00Z', 2));

    expect(await w.packer.pack(SPOKE)).toEqual({ packedItemsWritten: 2, liveFacts: 2, expiriesShortened: 0 });
    expect(await w.packer.pack(SPOKE)).toEqual({ packedItemsWritten: 0, liveFacts: 2, expiriesShortened: 0 });
    await w.write('august', factAt('2026-08-10T10:00:00Z', 3));
    expect(await w.packer.pack(SPOKE)).toEqual({ packedItemsWritten: 1, liveFacts: 2, expiriesShortened: 0 });

    const month = (await w.items()).find((item) => item.sk === 'DAY#2026-08');
    expect(month).toEqual({
      pk: PARTITION,
      sk: 'DAY#2026-08',
      itemType: 'dora-month',
      facts: expect.any(Uint8Array),
      executions: 1,
      rev: 2,
      // The day after August ends, plus the retention.
      expiresAt: Date.parse('2026-09-01T00:00:00Z') / 1000 + 400 * 86_400,
    });
    expect(decodePackedMonth(month?.facts as Uint8Array)).toEqual({
      august: factAt('2026-08-10T10:00:00Z', 3),
    });
  });

  it("packs a busy month into parts, each sorting before the month's days, and empties a part it no longer fills", async () => {
    const w = await world(400, 2);
    for (const [index, id] of ['a', 'b', 'c', 'd', 'e'].entries()) {
      await w.write(id, factAt(`2026-08-0${index + 1}T10:00:00Z`, index + 1));
    }
    await w.packer.pack(SPOKE);
    const packedParts = async () =>
      (await w.items())
        .filter((item) => item.itemType === 'dora-month')
        .map((item) => [item.sk, Object.keys(decodePackedMonth(item.facts as Uint8Array)), item.rev]);
    expect(await packedParts()).toEqual([
      ['DAY#2026-08', ['a', 'b'], 1],
      ['DAY#2026-08+1', ['c', 'd'], 1],
      ['DAY#2026-08+2', ['e'], 1],
    ]);
    expect(
      (await w.facts.factsBetween(SPOKE, '2026-08-01', '2026-08-05')).map((f) => f.executionId).sort(),
    ).toEqual(['a', 'b', 'c', 'd', 'e']);

    // Two executions move to July: August's parts shift, and its third part is emptied rather than left stale.
    await w.write('a', factAt('2026-07-31T10:00:00Z', 10), '2026-08-01');
    await w.write('b', factAt('2026-07-31T11:00:00Z', 11), '2026-08-02');
    await w.packer.pack(SPOKE);
    expect(await packedParts()).toEqual([
      ['DAY#2026-07', ['a', 'b'], 1],
      ['DAY#2026-08', ['c', 'd'], 2],
      ['DAY#2026-08+1', ['e'], 2],
      ['DAY#2026-08+2', [], 2],
    ]);
  });

  it('reads a fact written after its month was packed in place of the packed copy', async () => {
    const w = await world();
    await w.write('e-1', factAt('2026-08-10T10:00:00Z', 1));
    await w.packer.pack(SPOKE);
    await w.write('e-1', factAt('2026-08-10T10:00:00Z', 2));

    expect(await w.facts.factsBetween(SPOKE, '2026-08-10', '2026-08-10')).toEqual([
      { executionId: 'e-1', fact: factAt('2026-08-10T10:00:00Z', 2) },
    ]);
  });

  it('moves a fact whose start moved to another month out of its former month at the next packing', async () => {
    const w = await world();
    await w.write('e-1', factAt('2026-08-01T00:10:00Z', 1));
    await w.packer.pack(SPOKE);
    // A late event: the execution started before midnight, in July.
    await w.write('e-1', factAt('2026-07-31T23:50:00Z', 2), '2026-08-01');
    await w.packer.pack(SPOKE);

    const months = Object.fromEntries(
      (await w.items())
        .filter((item) => item.itemType === 'dora-month')
        .map((item) => [item.sk, decodePackedMonth(item.facts as Uint8Array)]),
    );
    expect(months).toEqual({
      'DAY#2026-07': { 'e-1': factAt('2026-07-31T23:50:00Z', 2) },
      'DAY#2026-08': {},
    });
    expect(await w.facts.factsBetween(SPOKE, '2026-07-31', '2026-08-02')).toEqual([
      { executionId: 'e-1', fact: factAt('2026-07-31T23:50:00Z', 2) },
    ]);
  });

  it('gives facts written before packing existed the live lifetime once their month holds them', async () => {
    const w = await world();
    await w.table.client.send(
      new PutCommand({
        TableName: w.table.tableName,
        Item: {
          pk: PARTITION,
          sk: 'DAY#2026-08-10#old',
          itemType: 'dora-fact',
          executionId: 'old',
          fact: factAt('2026-08-10T10:00:00Z', 1),
          expiresAt: Date.parse('2027-09-15T00:00:00Z') / 1000,
        },
      }),
    );

    expect(await w.packer.pack(SPOKE)).toEqual({ packedItemsWritten: 1, liveFacts: 1, expiriesShortened: 1 });
    const old = (await w.items()).find((item) => item.sk === 'DAY#2026-08-10#old');
    expect(old?.expiresAt).toBe(Date.parse('2026-09-01T00:00:00Z') / 1000 + 35 * 86_400);
    expect(await w.packer.pack(SPOKE)).toEqual({ packedItemsWritten: 0, liveFacts: 1, expiriesShortened: 0 });
  });

  it('files each fact for five weeks from its write, or its retention if shorter', async () => {
    const short = await world(10);
    await short.write('e-1', factAt('2026-08-30T10:00:00Z', 1));
    const long = await world();
    long.setNow('2026-10-01T00:00:00Z');
    // A late write for an old day (a repair): five weeks from the write, not from the day.
    await long.write('e-1', factAt('2026-08-30T10:00:00Z', 1));

    expect((await short.items())[0]?.expiresAt).toBe(Date.parse('2026-08-30') / 1000 + 11 * 86_400);
    expect((await long.items())[0]?.expiresAt).toBe(Date.parse('2026-10-01') / 1000 + 35 * 86_400);
  });

  it('refuses to overwrite a month another run packed meanwhile', async () => {
    const w = await world();
    await w.write('e-1', factAt('2026-08-10T10:00:00Z', 1));
    await w.packer.pack(SPOKE);
    await w.write('e-2', factAt('2026-08-11T10:00:00Z', 2));
    let raced = false;
    // The other run writes the month between this run's read and its write.
    const racing = {
      send: async (command: { constructor: unknown }) => {
        if (command instanceof PutCommand && !raced) {
          raced = true;
          await w.packer.pack(SPOKE);
        }
        return w.table.client.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const slow = createDeliveryFactsPacker({
      client: racing,
      tableName: w.table.tableName,
      retentionDays: 400,
      now: () => Date.parse('2026-09-01T00:00:00Z'),
    });

    await expect(slow.pack(SPOKE)).rejects.toThrow(ConcurrentPackingError);
    const month = (await w.items()).find((item) => item.sk === 'DAY#2026-08');
    expect([month?.rev, Object.keys(decodePackedMonth(month?.facts as Uint8Array))]).toEqual([
      2,
      ['e-1', 'e-2'],
    ]);
  });
});
