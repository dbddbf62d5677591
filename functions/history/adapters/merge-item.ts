import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '#history/domain/status-register';
import { stripStorageAttributes } from '#platform/dynamodb/table-layout';

export interface MergeResult<T> {
  record: T;
  /** The item as it was just before this write (undefined when the write created it). */
  previous?: T;
  /** False when the merge changed nothing (a duplicate or an already-superseded event): no write was made. */
  changed: boolean;
  created: boolean;
}

export class ConcurrentUpdateError extends Error {
  override name = 'ConcurrentUpdateError';
}

/**
 * Retries after a lost conditional write: exponential backoff with full jitter (a random wait in
 * [0, min(cap, base·2^(n-1))]), so a burst of writers on one item (the parallel actions of a wide stage
 * all fire within a second) spreads out instead of colliding again. 16 attempts sleep at most
 * 20+40+…+640+10×1000 ms ≈ 11.3 s (half that on average), well within the functions' 30 s timeout.
 */
export const MAX_ATTEMPTS = 16;
const BACKOFF_BASE_MS = 20;
const BACKOFF_CAP_MS = 1_000;

export function backoffCeilingMs(attempt: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
}

/**
 * Read, merge, conditionally write one item: optimistic concurrency on a `rev` counter. Two writers that
 * read the same revision cannot both win; the loser re-reads and merges again. Because the merge functions
 * are joins, the final item is the same whichever writer wins first.
 * (Single-item conditional writes only: dynalite has no TransactWriteItems.)
 */
export async function mergeItem<T extends object>(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  key: { pk: string; sk: string };
  merge: (current: T | undefined) => T | Promise<T>;
  storageAttributes: (record: T) => Record<string, unknown>;
}): Promise<MergeResult<T>> {
  const { client, tableName, key } = options;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    );
    const current = Item ? stripStorageAttributes<T>(Item) : undefined;
    const next = await options.merge(current);
    if (current && canonicalJson(current) === canonicalJson(next)) {
      return { record: current, previous: current, changed: false, created: false };
    }
    const rev = typeof Item?.rev === 'number' ? Item.rev : 0;
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...next, ...options.storageAttributes(next), ...key, rev: rev + 1 },
          ConditionExpression: Item ? '#rev = :rev' : 'attribute_not_exists(pk)',
          ExpressionAttributeNames: Item ? { '#rev': 'rev' } : undefined,
          ExpressionAttributeValues: Item ? { ':rev': rev } : undefined,
        }),
      );
      return { record: next, previous: current, changed: true, created: !Item };
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      if (attempt < MAX_ATTEMPTS) await sleep(Math.random() * backoffCeilingMs(attempt));
    }
  }
  throw new ConcurrentUpdateError(
    `Gave up merging into ${key.pk}/${key.sk} after ${MAX_ATTEMPTS} conflicting writes; the event will be retried.`,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
