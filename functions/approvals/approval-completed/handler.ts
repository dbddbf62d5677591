import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import middy from '@middy/core';
import { findApprovalActionEnd } from '#approvals/adapters/approval-action-execution';
import { createApprovalStore } from '#approvals/adapters/approval-store';
import { actionExecutionEvent } from '#events/codepipeline-events';
import { awsClient } from '#platform/aws-clients';
import { dynamoDocumentClient } from '#platform/dynamodb/document-client';
import { describeIssues } from '#platform/errors';
import { addMetricWithDimension, createObservability } from '#platform/observability';
import { lazySlackApi } from '#platform/slack/lazy-slack-api';
import {
  type CloseDependencies,
  type CloseOutcome,
  closeApprovalsCompletedElsewhere,
} from './close-approval';
import { config } from './config';

const { logger, metrics } = createObservability('approval-completed');

let deps: CloseDependencies | undefined;
function dependencies(): CloseDependencies {
  deps ??= {
    store: createApprovalStore({ client: dynamoDocumentClient(), tableName: config.TABLE_NAME }),
    slack: lazySlackApi(config.SLACK_SECRET_ARN, config.SLACK_API_URL),
    warn: (message, context) => logger.warn(message, context),
    actionEnd: (ref) => findApprovalActionEnd(awsClient(CodePipelineClient), ref),
  };
  return deps;
}

/** Malformed events are answered, not thrown (a retry cannot fix them); I/O failures are thrown for retry and DLQ. */
async function approvalCompleted(
  event: unknown,
): Promise<CloseOutcome | { status: 'rejected'; reason: string }> {
  const parsed = actionExecutionEvent.safeParse(event);
  if (!parsed.success) {
    const reason = describeIssues(parsed.error.issues);
    logger.error('Rejected malformed event', { reason });
    return { status: 'rejected', reason };
  }
  const outcome = await closeApprovalsCompletedElsewhere(parsed.data, dependencies());
  metrics.addMetric('ApprovalsClosedOutsideSlack', MetricUnit.Count, outcome.closed.length);
  // The same wait slack-interactions reports for decisions made in Slack, so the dashboard sees them all.
  for (const { pipeline, waitedMs } of outcome.decidedElsewhere) {
    addMetricWithDimension(
      metrics,
      ['Pipeline', pipeline],
      'ApprovalWaitTime',
      MetricUnit.Seconds,
      waitedMs / 1000,
    );
  }
  logger.info('Approval action ended', {
    state: parsed.data.detail.state,
    closed: outcome.closed,
    confirmed: outcome.confirmed,
  });
  return outcome;
}

export const handler = middy(approvalCompleted)
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics));
