import type { Metrics } from '@aws-lambda-powertools/metrics';
import { createDeliveryFactsStore } from '#delivery-metrics/adapters/delivery-facts-store';
import { emitDeliveryMetricsTo } from '#delivery-metrics/adapters/delivery-metrics-emf';
import { type DeliveryConfig, deliveryOptionsFor } from '#delivery-metrics/delivery-config';
import { deliveryChangeListener } from '#delivery-metrics/record-delivery-change';
import { createHistoryStore } from '#history/adapters/history-store';
import { documentClient } from '#platform/dynamodb/document-client';
import type { HandlerPlatform } from '#platform/handler-platform';
import type { IngestionDependencies } from './record-ingestion';

export interface IngestionConfig extends DeliveryConfig {
  TABLE_NAME: string;
  HISTORY_RETENTION_DAYS: number;
}

/**
 * The history store and the delivery-metrics listener exactly as the recorder wires them, except that the
 * listener reads recent executions in the CI pipeline's own scope.
 */
export function ingestionDependencies(
  { clients }: HandlerPlatform,
  config: IngestionConfig,
  metrics: Metrics,
  warn: (message: string, context: Record<string, unknown>) => void,
): IngestionDependencies {
  const storage = {
    client: documentClient(clients),
    tableName: config.TABLE_NAME,
    retentionDays: config.HISTORY_RETENTION_DAYS,
  };
  const history = createHistoryStore(storage);
  const deliveryFacts = createDeliveryFactsStore(storage);
  const emitDeliveryMetrics = emitDeliveryMetricsTo(metrics);
  return {
    history,
    onExecutionChanged: (scope) =>
      deliveryChangeListener({
        store: {
          listExecutions: (pipeline, query) =>
            history.listExecutions(typeof pipeline === 'string' ? { ...scope, pipeline } : pipeline, query),
        },
        deliveryFacts,
        deliveryOptions: (pipeline) => deliveryOptionsFor(config, pipeline),
        emitDeliveryMetrics,
        warn,
      }),
  };
}
