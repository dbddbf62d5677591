import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { createDeliveryFactsStore } from '#delivery-metrics/adapters/delivery-facts-store';
import { emitDeliveryMetricsTo } from '#delivery-metrics/adapters/delivery-metrics-emf';
import { pipelineStructureApi } from '#delivery-metrics/adapters/pipeline-structure-api';
import { deliveryOptionsFor } from '#delivery-metrics/delivery-config';
import {
  type DeliveryChangeDependencies,
  recordDeliveryChange,
} from '#delivery-metrics/record-delivery-change';
import { createHistoryStore } from '#history/adapters/history-store';
import { documentClient } from '#platform/dynamodb/document-client';
import { parseStreamChanges } from '#platform/dynamodb/stream-changes';
import { awsPlatform, type HandlerPlatform } from '#platform/handler-platform';
import { lambdaHandler } from '#platform/middleware/lambda-handler';
import { createObservability } from '#platform/observability';
import { config } from './config';
import {
  batchResponseOf,
  type DeliveryChangesDependencies,
  recordDeliveryChanges,
} from './record-delivery-changes';

const { logger, metrics } = createObservability('record-delivery-changes');

function dependencies({ clients }: HandlerPlatform): DeliveryChangesDependencies {
  const client = documentClient(clients);
  const storage = { client, tableName: config.TABLE_NAME, retentionDays: config.HISTORY_RETENTION_DAYS };
  const store = createHistoryStore(storage);
  // Made once per container: the pipeline declarations are cached per version across batches.
  const delivery: DeliveryChangeDependencies = {
    deliveryFacts: createDeliveryFactsStore(storage),
    deliveryOptions: (pipeline) => deliveryOptionsFor(config, pipeline),
    pipelineStructure: pipelineStructureApi({
      clientFor: (scope) => clients.client(CodePipelineClient, scope),
    }),
    emitDeliveryMetrics: emitDeliveryMetricsTo(metrics),
    warn: (message, context) => logger.warn(message, context),
  };
  return {
    executionAround: (execution, itemsBefore) => store.executionAroundChanges(execution, itemsBefore),
    recordChange: (change) => recordDeliveryChange(delivery, change),
  };
}

/**
 * The history table's stream, in batches: each execution a batch changed is read once and its delivery
 * metrics and DORA fact follow. A record that is not a table change is logged and passed over (no retry fixes
 * it); a failure returns its first change as the batch's failure, so Lambda retries from there only.
 */
export function createHandler(platform: HandlerPlatform) {
  const deps = dependencies(platform);
  return lambdaHandler(
    async (event: unknown): Promise<DynamoDBBatchResponse> => {
      const { changes, malformed } = parseStreamChanges(event);
      for (const record of malformed)
        logger.error('Not a stream change of the history table: skipped', record);
      const outcome = await recordDeliveryChanges(changes, deps);
      metrics.addMetric('ExecutionsRead', MetricUnit.Count, outcome.told);
      if (outcome.failed) {
        const { sequenceNumber, execution, error } = outcome.failed;
        logger.error('Delivery facts not recorded; the batch is retried from this change', {
          sequenceNumber,
          ...execution,
          error: error.name,
          reason: error.message,
        });
      }
      return batchResponseOf(outcome);
    },
    { logger, metrics },
  );
}

export const handler = createHandler(awsPlatform());
