import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type PackedMonth, partsOf, repackedMonths } from '#delivery-metrics/domain/packed-facts';
import type { DeliveryFactsPacker, PipelineIdentity } from '#delivery-metrics/ports';
import { canonicalJson } from '#history/domain/status-register';
import { queryAllPages } from '#platform/dynamodb/query-partition';
import {
  EXECUTIONS_PER_PACKED_PART,
  factKeys,
  LIVE_FACT_DAYS,
  PACKED_MONTH_ITEM_TYPE,
} from './delivery-facts-keys';
import { encodePackedMonth } from './packed-month-codec';
import { type PackedMonthItem, rollupItemsOf } from './rollup-items';

export interface DeliveryFactsPackerOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** A packed month expires this many days after its last day, like the executions it summarizes. */
  retentionDays: number;
  /** Epoch milliseconds now. */
  now?: () => number;
  /** Executions a packed item holds at most (tests make it small). */
  executionsPerPart?: number;
}

const DAY_SECONDS = 86_400;

/** Another packer wrote the month between this one's read and write: the next run packs it again. */
export class ConcurrentPackingError extends Error {
  override name = 'ConcurrentPackingError';
}

/**
 * Packs a pipeline's facts into one item per month. One Query reads the partition's rollups: every packed
 * month (small) and the facts still alive as their own items (the last LIVE_FACT_DAYS only, as TTL deletes
 * older ones). Only months whose content changes are written, each part (EXECUTIONS_PER_PACKED_PART
 * executions; most months have one) with one conditional PutItem on its revision. Facts written before packing existed expire with the history; they are given the live facts'
 * lifetime once packed, so reports stop reading them twice.
 */
export function createDeliveryFactsPacker({
  client,
  tableName,
  retentionDays,
  now = Date.now,
  executionsPerPart = EXECUTIONS_PER_PACKED_PART,
}: DeliveryFactsPackerOptions): DeliveryFactsPacker {
  const writePart = async (
    pipeline: Required<PipelineIdentity>,
    month: string,
    part: number,
    facts: PackedMonth,
    rev: number | undefined,
  ) => {
    const key = factKeys.monthPart(pipeline, month, part);
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...key,
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
      throw new ConcurrentPackingError(`${key.pk} ${key.sk} was packed by another run meanwhile`);
    }
  };
  return {
    async pack(pipeline) {
      const pk = factKeys.pipeline(pipeline);
      const items = await queryAllPages(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :days)',
        ExpressionAttributeValues: { ':pk': pk, ':days': factKeys.allDays.prefix },
      });
      const { live, packed } = rollupItemsOf(items);
      const months = new Map<string, PackedMonth>();
      const stored = new Map<string, PackedMonthItem>();
      for (const part of packed) {
        months.set(part.month, { ...months.get(part.month), ...part.facts });
        stored.set(partKey(part.month, part.part), part);
      }
      let partsWritten = 0;
      for (const [month, facts] of repackedMonths(months, live)) {
        const parts = partsOf(facts, executionsPerPart);
        // Parts a month no longer fills (executions moved out) are written empty, so their copies go.
        const storedParts = Math.max(-1, ...packed.filter((p) => p.month === month).map((p) => p.part)) + 1;
        for (let part = 0; part < Math.max(parts.length, storedParts); part++) {
          const content = parts[part] ?? {};
          const before = stored.get(partKey(month, part));
          if (before && canonicalJson(before.facts) === canonicalJson(content)) continue;
          await writePart(pipeline, month, part, content, before?.rev);
          partsWritten += 1;
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
      return {
        packedItemsWritten: partsWritten,
        liveFacts: live.length,
        expiriesShortened: longLived.length,
      };
    },
  };
}

const partKey = (month: string, part: number) => `${month}+${part}`;

/** Epoch seconds of the first day after the month (yyyy-mm). */
function nextMonthStart(month: string): number {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return Date.UTC(year, monthNumber, 1) / 1000;
}
