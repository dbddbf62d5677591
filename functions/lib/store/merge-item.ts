import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '#lib/history/status-register';
import { stripStorageAttributes } from '#lib/store/keys';

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

const MAX_ATTEMPTS = 8;

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
      await sleep(Math.random() * 10 * attempt);
    }
  }
  throw new ConcurrentUpdateError(
    `Gave up merging into ${key.pk}/${key.sk} after ${MAX_ATTEMPTS} conflicting writes; the event will be retried.`,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
