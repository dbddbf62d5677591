import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keys } from '../../../functions/history/adapters/history-keys';
import { createHistoryStore } from '../../../functions/history/adapters/history-store';
import { mergeRun, type RunObservation, type RunRecord } from '../../../functions/history/domain/run-record';
import { createTestTable, TEST_HUB } from '../../support/dynamo';

const ATTRIBUTES = { application: 'shop', deploymentGroup: 'shop-prod', region: 'us-east-1' };
const LINK = { pipeline: 'shop', executionId: 'exec-1', stage: 'Prod', action: 'Deploy' };

/**
 * One deployment's observations as the recorder and the reconciler make them: its states, the reconciler's
 * read with other attributes, the pipeline link (here earlier than every state: the index time must move back
 * to it whenever it arrives), and both rollback links.
 */
function observationsOf(runId: string): RunObservation[] {
  const status = (state: string, at: string, attributes: Record<string, string> = ATTRIBUTES) => ({
    kind: 'deployment' as const,
    runId,
    at,
    status: { status: state, statusAt: at, attempt: 1 },
    attributes,
  });
  return [
    status('START', '2026-11-20T10:00:15.000Z'),
    status('READY', '2026-11-20T10:03:00.000Z'),
    status('FAILURE', '2026-11-20T10:04:55.000Z'),
    status('FAILURE', '2026-11-20T10:04:55.000Z', { ...ATTRIBUTES, region: 'eu-west-1' }),
    { kind: 'deployment', runId, at: '2026-11-20T10:00:00.000Z', pipelineLink: LINK },
    { kind: 'deployment', runId, at: '2026-11-20T10:05:00.000Z', rollback: { rolledBackBy: 'd-BACK' } },
    { kind: 'deployment', runId, at: '2026-11-20T10:05:00.000Z', rollback: { message: 'alarm' } },
  ];
}

const inOrder = (observations: readonly RunObservation[]) =>
  observations.reduce<RunRecord | undefined>(
    (record, observation) => mergeRun(record, observation),
    undefined,
  );

/** Every observation one to three times, in any order. */
const deliveries = (count: number) =>
  fc.array(fc.integer({ min: 1, max: 3 }), { minLength: count, maxLength: count }).chain((copies) => {
    const delivered = copies.flatMap((times, index) => Array.from({ length: times }, () => index));
    return fc.shuffledSubarray(delivered, { minLength: delivered.length, maxLength: delivered.length });
  });

describe('run items: one UpdateItem an observation, no read (dynalite)', () => {
  it('any shuffle of duplicated observations, one at a time or all at once, stores the in-order record', async () => {
    const table = await createTestTable();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(deliveries(observationsOf('d').length), fc.boolean(), async (order, concurrent) => {
        const runId = `d-${run++}`;
        const observations = observationsOf(runId);
        const expected = inOrder(observations) as RunRecord;
        const delivered = order.map((index) => observations[index] as RunObservation);
        if (concurrent) {
          await Promise.all(delivered.map((observation) => table.store.recordRun(observation)));
        } else {
          for (const observation of delivered) await table.store.recordRun(observation);
        }

        expect(await table.store.getRun('deployment', runId)).toEqual(expected);
        // Its place on its group's index is at its first event, whatever the order.
        const { Item } = await table.client.send(
          new GetCommand({ TableName: table.tableName, Key: keys.run('deployment', TEST_HUB, runId) }),
        );
        expect([Item?.gsi1pk, Item?.gsi1sk]).toEqual([
          keys.deploymentGroup('shop', 'shop-prod', TEST_HUB),
          `${expected.firstEventAt}#${runId}`,
        ]);
        const again = await table.store.recordRun(delivered[0] as RunObservation);
        expect(again).toEqual({ record: expected, previous: expected, changed: false, created: false });
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it("puts a deployment on its group's index, and a build nowhere: nothing reads a project's builds", async () => {
    const { store, client, tableName } = await createTestTable();
    const [start] = observationsOf('d-2') as RunObservation[];
    await store.recordRun(start as RunObservation);
    const build: RunObservation = {
      kind: 'build',
      runId: 'shop-build:0a1b2c3d',
      at: '2026-11-20T10:00:15.000Z',
      status: { status: 'SUCCEEDED', statusAt: '2026-11-20T10:00:15.000Z', attempt: 1 },
      attributes: { project: 'shop-build' },
    };
    await store.recordRun(build);

    const indexKeys = async (kind: 'deployment' | 'build', runId: string) => {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.run(kind, TEST_HUB, runId) }),
      );
      return [Item?.gsi1pk, Item?.gsi1sk];
    };
    // The index projects only the item's type and id, which no later write changes: they cost it nothing.
    expect(await indexKeys('deployment', 'd-2')).toEqual([
      keys.deploymentGroup('shop', 'shop-prod', TEST_HUB),
      '2026-11-20T10:00:15.000Z#d-2',
    ]);
    expect(await store.listDeployments('shop', 'shop-prod')).toEqual([
      await store.getRun('deployment', 'd-2'),
    ]);
    expect(await indexKeys('build', 'shop-build:0a1b2c3d')).toEqual([undefined, undefined]);
    expect(await store.getRun('build', 'shop-build:0a1b2c3d')).toEqual(mergeRun(undefined, build));
  });

  it('says what each write changed: created, the record before, and no change for a duplicate', async () => {
    const { store, client, tableName } = await createTestTable();
    const options = { client, tableName, retentionDays: 400, hub: TEST_HUB };
    const [start, , failure, , link] = observationsOf('d-1') as RunObservation[];
    const afterStart = mergeRun(undefined, start as RunObservation);
    const afterFailure = mergeRun(afterStart, failure as RunObservation);

    expect(await store.recordRun(start as RunObservation)).toEqual({
      record: afterStart,
      changed: true,
      created: true,
    });
    expect(await store.recordRun(failure as RunObservation)).toEqual({
      record: afterFailure,
      previous: afterStart,
      changed: true,
      created: false,
    });
    // Another process (no memory of the run): the write is made, and changes nothing.
    expect(await createHistoryStore(options).recordRun(start as RunObservation)).toEqual({
      record: afterFailure,
      previous: afterFailure,
      changed: false,
      created: false,
    });
    expect(await store.recordRun(link as RunObservation)).toEqual({
      record: mergeRun(afterFailure, link as RunObservation),
      previous: afterFailure,
      changed: true,
      created: false,
    });
  });

  it('makes no write for an observation this process already knows the item holds', async () => {
    const table = await createTestTable();
    const sent: string[] = [];
    const client = {
      send: (command: { constructor: { name: string } }) => {
        sent.push(command.constructor.name);
        return table.client.send(command as never);
      },
    } as unknown as DynamoDBDocumentClient;
    const store = createHistoryStore({
      client,
      tableName: table.tableName,
      retentionDays: 400,
      hub: TEST_HUB,
    });
    const [start, , failure, , link] = observationsOf('d-2') as RunObservation[];
    for (const observation of [start, failure, link] as RunObservation[]) await store.recordRun(observation);
    const expected = inOrder([start, failure, link] as RunObservation[]);
    sent.length = 0;

    for (const observation of [link, start, failure] as RunObservation[]) {
      expect(await store.recordRun(observation)).toEqual({
        record: expected,
        previous: expected,
        changed: false,
        created: false,
      });
    }
    expect(sent).toEqual([]);
    await store.recordRun((observationsOf('d-2') as RunObservation[])[5] as RunObservation);
    expect(sent).toEqual(['UpdateCommand']);
  });

  it('reads an item written whole before 0.2.0, and folds the observations recorded onto it since', async () => {
    const { store, client, tableName } = await createTestTable();
    const observations = observationsOf('d-old');
    const written = inOrder(observations.slice(0, 2)) as RunRecord;
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...written,
          ...keys.run('deployment', TEST_HUB, 'd-old'),
          itemType: 'deployment',
          gsi1pk: keys.deploymentGroup('shop', 'shop-prod', TEST_HUB),
          gsi1sk: `${written.firstEventAt}#d-old`,
          expiresAt: 1_900_000_000,
          rev: 2,
        },
      }),
    );
    expect(await store.getRun('deployment', 'd-old')).toEqual(written);

    for (const observation of observations.slice(2)) await store.recordRun(observation);

    const expected = inOrder(observations);
    expect(await store.getRun('deployment', 'd-old')).toEqual(expected);
    expect(await store.listDeployments('shop', 'shop-prod')).toEqual([expected]);
  });
});
