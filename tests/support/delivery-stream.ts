import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import {
  type DeliveryChangeDependencies,
  recordDeliveryChange,
} from '../../functions/delivery-metrics/record-delivery-change';
import { recordDeliveryChanges } from '../../functions/delivery-metrics/record-delivery-changes/record-delivery-changes';
import { createHistoryStore } from '../../functions/history/adapters/history-store';
import { parseStreamChanges } from '../../functions/platform/dynamodb/stream-changes';
import { createHistoryTable, localDynamoClient } from '../../local/dynamo-engine';
import { createStreamDelivery, type StreamDelivery } from '../../local/stream-delivery';
import { startTableStream } from '../../local/table-stream';
import { streamSources } from '../../tooling/template';
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
export function deliveryStream(
  table: StreamedTable,
  deps: DeliveryChangeDependencies,
  batchSize?: number,
): StreamDelivery {
  const [source] = streamSources().filter(
    (candidate) => candidate.functionLogicalId === 'RecordDeliveryChangesFunction',
  );
  if (!source) throw new Error('template.yaml has no stream source for RecordDeliveryChangesFunction');
  return createStreamDelivery(table.stream, [
    {
      source: { ...source, ...(batchSize ? { batchSize } : {}) },
      handler: async (event) => {
        const outcome = await recordDeliveryChanges(parseStreamChanges(event).changes, {
          executionAround: (execution, itemsBefore) =>
            table.store.executionAroundChanges(execution, itemsBefore),
          recordChange: (change) => recordDeliveryChange(deps, change),
        });
        return {
          batchItemFailures: outcome.failed ? [{ itemIdentifier: outcome.failed.sequenceNumber }] : [],
        };
      },
    },
  ]);
}
