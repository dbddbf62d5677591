import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import type { DeliveryChangeDependencies } from '../../functions/delivery-metrics/record-delivery-change';
import { createHistoryStore } from '../../functions/history/adapters/history-store';
import { deliveryChangesConsumer } from '../../local/delivery-changes-consumer';
import { createHistoryTable, localDynamoClient } from '../../local/dynamo-engine';
import { createStreamDelivery, type StreamDelivery } from '../../local/stream-delivery';
import { startTableStream } from '../../local/table-stream';
import { TEST_HUB } from './dynamo';

/**
 * A fresh table behind the local stream stand-in (local/table-stream.ts), so writes made through `client`
 * become stream records, and `deliveryStream` hands them to record-delivery-changes as Lambda would (the
 * template's filter and batch size).
 */
export async function createStreamedTestTable(retentionDays = 400, hub = TEST_HUB) {
  const stream = await startTableStream(inject('dynamoEndpoint'));
  const tableName = `test-${randomUUID()}`;
  await createHistoryTable(stream.endpoint, tableName);
  const client = DynamoDBDocumentClient.from(localDynamoClient(stream.endpoint), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    endpoint: stream.endpoint,
    tableName,
    client,
    stream,
    store: createHistoryStore({ client, tableName, retentionDays, hub }),
  };
}

type StreamedTable = Awaited<ReturnType<typeof createStreamedTestTable>>;

/** record-delivery-changes over a streamed test table, with the delivery change's dependencies given. */
export function deliveryStream(table: StreamedTable, deps: DeliveryChangeDependencies): StreamDelivery {
  return createStreamDelivery(table.stream, [deliveryChangesConsumer(table.store, deps)]);
}
