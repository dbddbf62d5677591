import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createHistoryStore } from '../../functions/history/adapters/history-store';
import { createHistoryTable, localDynamoClient } from '../../local/dynamo-engine';

/** A fresh table (the template's definition) in the run's dynalite, and a store over it. */
export async function createTestTable(retentionDays = 400, hub = TEST_HUB) {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `test-${randomUUID()}`;
  await createHistoryTable(endpoint, tableName);
  const client = DynamoDBDocumentClient.from(localDynamoClient(endpoint), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    endpoint,
    tableName,
    client,
    store: createHistoryStore({ client, tableName, retentionDays, hub }),
  };
}

/** The account and region of the test events (tests/support/pipeline-events.ts): the hub's own. */
export const TEST_HUB = { account: '123456789012', region: 'us-east-1' };

/** Every item of one partition of a test table, in sort-key order. */
export async function partitionItems(
  table: { client: DynamoDBDocumentClient; tableName: string },
  pk: string,
): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return Items;
}
