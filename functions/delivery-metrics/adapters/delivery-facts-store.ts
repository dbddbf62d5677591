import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ExecutionFact } from '#delivery-metrics/domain/execution-fact';
import type { FactWrite } from '#delivery-metrics/domain/fact-write';
import { newestPerExecution } from '#delivery-metrics/domain/packed-facts';
import type { DeliveryFactsStore, PipelineIdentity, StoredFact } from '#delivery-metrics/ports';
import { queryAllPages } from '#platform/dynamodb/query-partition';
import { type HubScope, hubScopeFromEnvironment } from '#platform/hub-scope';
import { FACT_ITEM_TYPE, factKeys, LIVE_FACT_DAYS, legacyFactPartition } from './delivery-facts-keys';
import { rollupItemsOf } from './rollup-items';

export interface DeliveryFactsStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Rollups expire this many days after their day, like the executions they summarize. */
  retentionDays: number;
  /** The hub's own account and region: what a fact without them (and every pre-upgrade rollup) belongs to. */
  hub?: HubScope;
  /** Epoch milliseconds now: a fact item lives LIVE_FACT_DAYS from its write. */
  now?: () => number;
}

const DAY_SECONDS = 86_400;

/**
 * Each fact is its own item under its day: one conditional UpdateItem of about 200 bytes creates it or
 * replaces it with a newer one, one write unit whatever else the day holds. It lives a few weeks
 * (LIVE_FACT_DAYS), long enough for the daily packer to copy it into its month's packed item, which lives as
 * long as the history. Day items of the earlier layout (every fact of a day in one item, each a top-level
 * attribute named by its execution id) are read alike and never written again, but for removing the fact of
 * an execution that moved to another day; they expire.
 */
export function createDeliveryFactsStore({
  client,
  tableName,
  retentionDays,
  hub = hubScopeFromEnvironment(),
  now = Date.now,
}: DeliveryFactsStoreOptions): DeliveryFactsStore {
  /** The item's attributes before the write, or `undefined` when a fact from a newer record was there (kept). */
  const ifNotNewer = async (
    send: () => Promise<{ Attributes?: Record<string, unknown> }>,
  ): Promise<{ before: Record<string, unknown> } | undefined> => {
    try {
      return { before: (await send()).Attributes ?? {} };
    } catch (error) {
      // A fact from a newer record is already there (a concurrent writer got in first): keep it.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      return undefined;
    }
  };
  const versionCondition = { '#fact': 'fact', '#version': 'v' };
  const ownerOf = (change: FactWrite): Required<PipelineIdentity> => ({
    account: change.account ?? hub.account,
    region: change.region ?? hub.region,
    pipeline: change.pipeline,
  });
  const isHub = (owner: Required<PipelineIdentity>) =>
    owner.account === hub.account && owner.region === hub.region;
  const factsOfPartition = async (pk: string, fromDay: string, toDay: string): Promise<StoredFact[]> => {
    const days = factKeys.daysBetween(fromDay, toDay);
    const items = await queryAllPages(client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': pk, ':from': days.from, ':to': days.to },
    });
    return rollupItemsOf(items).all;
  };
  // Whichever comes first: the rollups' retention, or LIVE_FACT_DAYS after this write (or after the day).
  const factExpiresAt = (day: string) => {
    const dayStart = Date.parse(day) / 1000;
    return Math.min(
      dayStart + (retentionDays + 1) * DAY_SECONDS,
      Math.max(Math.floor(now() / 1000), dayStart) + LIVE_FACT_DAYS * DAY_SECONDS,
    );
  };

  return {
    async write(change) {
      const owner = ownerOf(change);
      const written = await ifNotNewer(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: factKeys.fact(owner, change.day, change.executionId),
            UpdateExpression:
              'SET #fact = :fact, executionId = :executionId, itemType = :type, expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(#fact) OR #fact.#version <= :version',
            ExpressionAttributeNames: versionCondition,
            ExpressionAttributeValues: {
              ':fact': change.fact,
              ':executionId': change.executionId,
              ':type': FACT_ITEM_TYPE,
              ':expiresAt': factExpiresAt(change.day),
              ':version': change.fact.v,
            },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      if (!written) return { applied: false };
      const factIn = (item: Record<string, unknown>, name: string) => item[name] as ExecutionFact | undefined;
      const previous = factIn(written.before, 'fact');
      if (!change.leavesDay) return { applied: true, ...(previous ? { previous } : {}) };
      const leavesDay = change.leavesDay;
      // The fact it had under its former day: its own item, or (filed before the upgrade) in that day's item.
      // The fact item is emptied rather than deleted (an UpdateItem, which every writer of facts may make); what
      // is left, its keys and expiry, reads as no fact and expires.
      const left = await ifNotNewer(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: factKeys.fact(owner, leavesDay, change.executionId),
            UpdateExpression: 'REMOVE #fact, executionId, itemType',
            ConditionExpression: 'attribute_exists(#fact) AND #fact.#version <= :version',
            ExpressionAttributeNames: versionCondition,
            ExpressionAttributeValues: { ':version': change.fact.v },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      const leftLegacy = await ifNotNewer(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: factKeys.day(owner, leavesDay),
            UpdateExpression: 'REMOVE #fact',
            ConditionExpression: 'attribute_exists(#fact) AND #fact.#version <= :version',
            ExpressionAttributeNames: { '#fact': change.executionId, '#version': 'v' },
            ExpressionAttributeValues: { ':version': change.fact.v },
            ReturnValues: 'UPDATED_OLD',
          }),
        ),
      );
      // The execution's fact as it was, wherever it was filed: under this day, or under the day it left.
      const moved =
        previous ??
        (left && factIn(left.before, 'fact')) ??
        (leftLegacy && factIn(leftLegacy.before, change.executionId));
      return { applied: true, ...(moved ? { previous: moved } : {}) };
    },

    async factsBetween(pipeline, fromDay, toDay) {
      const facts = await factsOfPartition(factKeys.pipeline(pipeline), fromDay, toDay);
      // Rollups written before account and region were in the key are the hub's own: read them with its own, so
      // they stay readable until they expire (no backfill). A fact found twice (packed and still alive, in both
      // partitions, under two days) counts once: the newest.
      if (!isHub(pipeline)) return newestPerExecution(facts);
      const legacy = await factsOfPartition(legacyFactPartition(pipeline.pipeline), fromDay, toDay);
      return newestPerExecution([...facts, ...legacy]);
    },
  };
}
