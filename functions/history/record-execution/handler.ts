import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { fetchExecutionDetails } from '#history/adapters/fetch-execution-details';
import { createHistoryStore } from '#history/adapters/history-store';
import { documentClient } from '#platform/dynamodb/document-client';
import { awsPlatform, type HandlerPlatform } from '#platform/handler-platform';
import { lambdaHandler } from '#platform/middleware/lambda-handler';
import { createObservability } from '#platform/observability';
import { config } from './config';
import { type RecorderDependencies, type RecordOutcome, recordEvent } from './record-event';
import { parseRecorderEvent } from './recorder-event-schema';

const { logger, metrics } = createObservability('record-execution');

function recorderDependencies({ clients }: HandlerPlatform): RecorderDependencies {
  const client = documentClient(clients);
  const storage = { client, tableName: config.TABLE_NAME, retentionDays: config.HISTORY_RETENTION_DAYS };
  const store = createHistoryStore(storage);
  const warn = (message: string, context: Record<string, unknown>) => logger.warn(message, context);
  return {
    store,
    fetchExecutionDetails: (pipeline, executionId, at, scope) =>
      fetchExecutionDetails(clients.client(CodePipelineClient, scope), pipeline, executionId, at),
    warn,
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
  return lambdaHandler(
    async (event: unknown): Promise<RecordExecutionResult> => {
      const parsed = parseRecorderEvent(event);
      const outcome = await recordEvent(parsed, dependencies);
      // Every event is an invocation (the dashboard counts those): a metric, and so an EMF document, only for
      // an event that changed nothing, and the per-event line at DEBUG. At organisation scale these two were
      // about 700 bytes an event, a sixth of the recorder's cost; warnings and errors still log at INFO.
      if (!outcome.changed) metrics.addMetric('UnchangedEvents', MetricUnit.Count, 1);
      logger.debug('Recorded event', { eventId: parsed.id, detailType: parsed['detail-type'], ...outcome });
      return { status: 'recorded', ...outcome };
    },
    { logger, metrics },
    { rejectMalformed: {} },
  );
}

export const handler = createHandler(awsPlatform());
