import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { repackedMonths } from '#delivery-metrics/domain/packed-facts';
import type { DeliveryFactsPacker } from '#delivery-metrics/ports';
import { queryAllPages } from '#platform/dynamodb/query-partition';
import { factKeys, LIVE_FACT_DAYS, PACKED_MONTH_ITEM_TYPE } from './delivery-facts-keys';
import { encodePackedMonth } from './packed-month-codec';
import { rollupItemsOf } from './rollup-items';

export interface DeliveryFactsPackerOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** A packed month expires this many days after its last day, like the executions it summarizes. */
  retentionDays: number;
  /** Epoch milliseconds now. */
  now?: () => number;
}

const DAY_SECONDS = 86_400;

/** Another packer wrote the month between this one's read and write: the next run packs it again. */
export class ConcurrentPackingError extends Error {
  override name = 'ConcurrentPackingError';
}

/**
 * Packs a pipeline's facts into one item per month. One Query reads the partition's rollups: every packed
 * month (small) and the facts still alive as their own items (the last LIVE_FACT_DAYS only, as TTL deletes
 * older ones). Only months whose content changes are written, each with one conditional PutItem on its
 * revision. Facts written before packing existed expire with the history; they are given the live facts'
 * lifetime once packed, so reports stop reading them twice.
 */
export function createDeliveryFactsPacker({
  client,
  tableName,
  retentionDays,
  now = Date.now,
}: DeliveryFactsPackerOptions): DeliveryFactsPacker {
  return {
    async pack(pipeline) {
      const pk = factKeys.pipeline(pipeline);
      const items = await queryAllPages(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :days)',
        ExpressionAttributeValues: { ':pk': pk, ':days': factKeys.allDays.prefix },
      });
      const { live, packed } = rollupItemsOf(items);
      const revisions = new Map(packed.map(({ month, rev }) => [month, rev]));
      const changed = repackedMonths(new Map(packed.map(({ month, facts }) => [month, facts])), live);
      for (const [month, facts] of changed) {
        const rev = revisions.get(month);
        try {
          await client.send(
            new PutCommand({
              TableName: tableName,
              Item: {
                ...factKeys.month(pipeline, month),
                itemType: PACKED_MONTH_ITEM_TYPE,
                facts: encodePackedMonth(facts),
                executions: Object.keys(facts).length,
                rev: (rev ?? 0) + 1,
                expiresAt: nextMonthStart(month) + retentionDays * DAY_SECONDS,
              },
              ConditionExpression: rev === undefined ? 'attribute_not_exists(pk)' : 'rev = :rev',
              ...(rev === undefined ? {} : { ExpressionAttributeValues: { ':rev': rev } }),
            }),
          );
        } catch (error) {
          if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
          throw new ConcurrentPackingError(`${pk} ${month} was packed by another run meanwhile`);
        }
      }
      // After the months are written: a fact is only shortened once its month holds it.
      const latest = Math.floor(now() / 1000) + LIVE_FACT_DAYS * DAY_SECONDS;
      const longLived = live.filter((fact) => fact.expiresAt === undefined || fact.expiresAt > latest);
      for (const fact of longLived) {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk, sk: fact.sk },
            UpdateExpression: 'SET expiresAt = :latest',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':latest': latest },
          }),
        );
      }
      return { monthsWritten: changed.size, liveFacts: live.length, expiriesShortened: longLived.length };
    },
  };
}

/** Epoch seconds of the first day after the month (yyyy-mm). */
function nextMonthStart(month: string): number {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return Date.UTC(year, monthNumber, 1) / 1000;
}
