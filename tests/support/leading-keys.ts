import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { serverlessFunctions } from '../../tooling/template';
import { iamPatternMatches } from '../template/support/deployed-stack';

interface PolicyStatement {
  Action?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** The statements of a function's inline policies in template.yaml (conditional `!If` ones left out). */
function policyStatements(functionId: string): PolicyStatement[] {
  const fn = serverlessFunctions().find((candidate) => candidate.logicalId === functionId);
  if (!fn) throw new Error(`template.yaml has no ${functionId}`);
  return (fn.properties.Policies ?? []).flatMap((policy) => {
    const statements = (policy as { Statement?: unknown[] }).Statement ?? [];
    return statements.filter(
      (statement): statement is PolicyStatement => !('Fn::If' in (statement as object)),
    );
  });
}

/**
 * The partition-key patterns template.yaml lets a function use `action` on (its `dynamodb:LeadingKeys`
 * condition), one list per statement granting the action; an empty list is a grant without that condition.
 */
export function leadingKeysGranted(functionId: string, action: string): string[][] {
  return policyStatements(functionId)
    .filter((statement) => [statement.Action ?? []].flat().includes(action))
    .map((statement) =>
      [statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ?? []].flat(),
    );
}

/** The partition keys no pattern admits, as IAM's StringLike compares them. */
export function keysOutside(patterns: readonly string[], partitionKeys: readonly string[]): string[] {
  return partitionKeys.filter((key) => !patterns.some((pattern) => iamPatternMatches(pattern, key)));
}

/** The partition key of every item in the table: what the writers under test wrote there. */
export async function partitionKeysIn(client: DynamoDBDocumentClient, tableName: string): Promise<string[]> {
  const keys = new Set<string>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ProjectionExpression: 'pk', ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) keys.add(String(item.pk));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return [...keys].sort();
}

/**
 * The table's items held against a function's write grant: how many statements grant it UpdateItem, the
 * partition keys its LeadingKeys patterns refuse, and the patterns no key needed. Keys starting with one of
 * `writtenByOthers` are another function's (the DORA facts record-delivery-changes writes from the stream).
 */
export async function writesAgainstGrant(
  functionId: string,
  table: { client: DynamoDBDocumentClient; tableName: string },
  writtenByOthers: readonly string[] = [],
) {
  const grants = leadingKeysGranted(functionId, 'dynamodb:UpdateItem');
  const patterns = grants.flat();
  const written = (await partitionKeysIn(table.client, table.tableName)).filter(
    (key) => !writtenByOthers.some((prefix) => key.startsWith(prefix)),
  );
  return {
    grants: grants.length,
    refused: keysOutside(patterns, written),
    unneeded: patterns.filter((pattern) => keysOutside([pattern], written).length === written.length),
  };
}
