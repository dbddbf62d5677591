import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ExecutionFact } from '#delivery-metrics/domain/execution-fact';
import type { FactWrite } from '#delivery-metrics/domain/fact-write';
import type { DeliveryFactsStore, PipelineIdentity, StoredFact } from '#delivery-metrics/ports';
import { queryAllPages } from '#platform/dynamodb/query-partition';
import { type HubScope, hubScopeFromEnvironment } from '#platform/hub-scope';
import { DAY_ITEM_ATTRIBUTES, factKeys, legacyFactPartition } from './delivery-facts-keys';

export interface DeliveryFactsStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** A day item expires this many days after its day, like the executions it summarizes. */
  retentionDays: number;
  /** The hub's own account and region: what a fact without them (and every pre-upgrade rollup) belongs to. */
  hub?: HubScope;
}

const DAY_SECONDS = 86_400;

/**
 * Each fact is a top-level attribute named by its execution id: one UpdateItem creates the day item or
 * replaces that execution's fact in it (a nested map path would fail on a day item that does not exist yet).
 */
export function createDeliveryFactsStore({
  client,
  tableName,
  retentionDays,
  hub = hubScopeFromEnvironment(),
}: DeliveryFactsStoreOptions): DeliveryFactsStore {
  const ifNotNewer = async (send: () => Promise<unknown>) => {
    try {
      await send();
    } catch (error) {
      // A fact from a newer record is already there (a concurrent writer got in first): keep it.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  };
  const names = (executionId: string) => ({ '#fact': executionId, '#version': 'v' });
  const ownerOf = (change: FactWrite): Required<PipelineIdentity> => ({
    account: change.account ?? hub.account,
    region: change.region ?? hub.region,
    pipeline: change.pipeline,
  });
  const isHub = (owner: Required<PipelineIdentity>) =>
    owner.account === hub.account && owner.region === hub.region;
  const factsOfPartition = async (pk: string, fromDay: string, toDay: string): Promise<StoredFact[]> => {
    const items = await queryAllPages(client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': pk,
        ':from': factKeys.daySortKey(fromDay),
        ':to': factKeys.daySortKey(toDay),
      },
    });
    return items.flatMap((item) =>
      Object.entries(item)
        .filter(([name]) => !DAY_ITEM_ATTRIBUTES.has(name))
        .map(([executionId, fact]): StoredFact => ({ executionId, fact: fact as ExecutionFact })),
    );
  };

  return {
    async write(change) {
      await ifNotNewer(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: factKeys.day(ownerOf(change), change.day),
            UpdateExpression: 'SET #fact = :fact, itemType = :type, expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(#fact) OR #fact.#version <= :version',
            ExpressionAttributeNames: names(change.executionId),
            ExpressionAttributeValues: {
              ':fact': change.fact,
              ':type': 'dora-day',
              ':expiresAt': Date.parse(change.day) / 1000 + (retentionDays + 1) * DAY_SECONDS,
              ':version': change.fact.v,
            },
          }),
        ),
      );
      if (!change.leavesDay) return;
      const leavesDay = change.leavesDay;
      await ifNotNewer(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: factKeys.day(ownerOf(change), leavesDay),
            UpdateExpression: 'REMOVE #fact',
            ConditionExpression: 'attribute_exists(#fact) AND #fact.#version <= :version',
            ExpressionAttributeNames: names(change.executionId),
            ExpressionAttributeValues: { ':version': change.fact.v },
          }),
        ),
      );
    },

    async factsBetween(pipeline, fromDay, toDay) {
      const facts = await factsOfPartition(factKeys.pipeline(pipeline), fromDay, toDay);
      // Rollups written before account and region were in the key are the hub's own: read them with its own, so
      // they stay readable until they expire (no backfill). A fact found in both counts once (the newer).
      if (!isHub(pipeline)) return facts;
      return [...facts, ...(await factsOfPartition(legacyFactPartition(pipeline.pipeline), fromDay, toDay))];
    },
  };
}
