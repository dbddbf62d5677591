import { BadRequestError } from '#platform/errors';

/** Pagination cursors are DynamoDB's LastEvaluatedKey as base64url JSON: opaque to clients. */
export function encodeCursor(lastEvaluatedKey: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(lastEvaluatedKey)).toString('base64url');
}

/**
 * A cursor back into an ExclusiveStartKey, only if it has exactly the index's key attributes as strings and
 * names the partition being queried: a tampered cursor is a 400, never a DynamoDB error or another partition.
 */
export function decodeCursor(
  cursor: string,
  expected: { keys: readonly string[]; partition: Record<string, string> },
): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const key = value as Record<string, unknown> | undefined;
  const valid =
    typeof key === 'object' &&
    key !== null &&
    !Array.isArray(key) &&
    Object.keys(key).length === expected.keys.length &&
    expected.keys.every((name) => typeof key[name] === 'string') &&
    Object.entries(expected.partition).every(([name, partition]) => key[name] === partition);
  if (!valid) throw new BadRequestError('cursor is not one this API returned for this query');
  return key as Record<string, string>;
}
