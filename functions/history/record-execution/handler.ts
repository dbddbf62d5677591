import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import middy from '@middy/core';
import { deliveryOptionsFor } from '#delivery-metrics/domain/delivery-config';
import { fetchExecutionDetails } from '#history/adapters/fetch-execution-details';
import { createHistoryStore } from '#history/adapters/history-store';
import { awsClient } from '#platform/aws-clients';
import { dynamoDocumentClient } from '#platform/dynamodb/document-client';
import { MalformedEventError } from '#platform/errors';
import { addMetricWithDimension, createObservability } from '#platform/observability';
import { config } from './config';
import { type RecorderDependencies, type RecordOutcome, recordEvent } from './record-event';
import { parseRecorderEvent } from './recorder-event';

const { logger, metrics } = createObservability('record-execution');

let dependencies: RecorderDependencies | undefined;
function recorderDependencies(): RecorderDependencies {
  dependencies ??= {
    store: createHistoryStore({
      client: dynamoDocumentClient(),
      tableName: config.TABLE_NAME,
      retentionDays: config.HISTORY_RETENTION_DAYS,
    }),
    fetchExecutionDetails: (pipeline, executionId, at) =>
      fetchExecutionDetails(awsClient(CodePipelineClient), pipeline, executionId, at),
    warn: (message, context) => logger.warn(message, context),
    deliveryOptions: (pipeline) => deliveryOptionsFor(config, pipeline),
    emitDeliveryMetrics: (pipeline, delivery) => {
      for (const metric of delivery) {
        addMetricWithDimension(
          metrics,
          ['Pipeline', pipeline],
          metric.name,
          MetricUnit[metric.unit],
          metric.value,
        );
      }
    },
  };
  return dependencies;
}

export type RecordExecutionResult =
  | ({ status: 'recorded' } & RecordOutcome)
  | { status: 'rejected'; reason: string };

/**
 * Malformed events are answered, not thrown: a retry cannot fix them, and throwing would send them through
 * Lambda's retries into the dead-letter queue as if they were outages. Anything else (throttling, a
 * conflict storm) is thrown, so Lambda retries it and, after that, the DLQ keeps it.
 */
async function recordExecution(event: unknown): Promise<RecordExecutionResult> {
  let parsed: ReturnType<typeof parseRecorderEvent>;
  try {
    parsed = parseRecorderEvent(event);
  } catch (error) {
    if (!(error instanceof MalformedEventError)) throw error;
    logger.error('Rejected malformed event', { eventId: error.eventId, reason: error.message });
    metrics.addMetric('RejectedEvents', MetricUnit.Count, 1);
    return { status: 'rejected', reason: error.message };
  }
  const outcome = await recordEvent(parsed, recorderDependencies());
  metrics.addMetric(outcome.changed ? 'RecordedEvents' : 'UnchangedEvents', MetricUnit.Count, 1);
  logger.info('Recorded event', { eventId: parsed.id, detailType: parsed['detail-type'], ...outcome });
  return { status: 'recorded', ...outcome };
}

export const handler = middy(recordExecution)
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics));
