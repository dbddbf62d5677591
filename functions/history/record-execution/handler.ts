import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import middy from '@middy/core';
import { createDeliveryFactsStore } from '#delivery-metrics/adapters/delivery-facts-store';
import { emitDeliveryMetricsTo } from '#delivery-metrics/adapters/delivery-metrics-emf';
import { deliveryOptionsFor } from '#delivery-metrics/domain/delivery-config';
import { fetchExecutionDetails } from '#history/adapters/fetch-execution-details';
import { createHistoryStore } from '#history/adapters/history-store';
import { documentClient } from '#platform/dynamodb/document-client';
import { awsPlatform, type HandlerPlatform } from '#platform/handler-platform';
import { rejectMalformed } from '#platform/middleware/reject-malformed';
import { createObservability } from '#platform/observability';
import { config } from './config';
import { type RecorderDependencies, type RecordOutcome, recordEvent } from './record-event';
import { parseRecorderEvent } from './recorder-event';

const { logger, metrics } = createObservability('record-execution');

function recorderDependencies({ clients }: HandlerPlatform): RecorderDependencies {
  const client = documentClient(clients);
  const storage = { client, tableName: config.TABLE_NAME, retentionDays: config.HISTORY_RETENTION_DAYS };
  return {
    store: createHistoryStore(storage),
    deliveryFacts: createDeliveryFactsStore(storage),
    fetchExecutionDetails: (pipeline, executionId, at) =>
      fetchExecutionDetails(clients.client(CodePipelineClient), pipeline, executionId, at),
    warn: (message, context) => logger.warn(message, context),
    deliveryOptions: (pipeline) => deliveryOptionsFor(config, pipeline),
    emitDeliveryMetrics: emitDeliveryMetricsTo(metrics),
  };
}

export type RecordExecutionResult =
  | ({ status: 'recorded' } & RecordOutcome)
  | { status: 'rejected'; reason: string };

/**
 * Malformed events are answered by the rejectMalformed middleware, not thrown: a retry cannot fix them.
 * Anything else (throttling, a conflict storm) is thrown, so Lambda retries it and, after that, the DLQ keeps it.
 */
export function createHandler(platform: HandlerPlatform) {
  const dependencies = recorderDependencies(platform);
  return middy(async (event: unknown): Promise<RecordExecutionResult> => {
    const parsed = parseRecorderEvent(event);
    const outcome = await recordEvent(parsed, dependencies);
    metrics.addMetric(outcome.changed ? 'RecordedEvents' : 'UnchangedEvents', MetricUnit.Count, 1);
    logger.info('Recorded event', { eventId: parsed.id, detailType: parsed['detail-type'], ...outcome });
    return { status: 'recorded', ...outcome };
  })
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(metrics))
    .use(rejectMalformed({ logger, metrics }));
}

export const handler = createHandler(awsPlatform());
