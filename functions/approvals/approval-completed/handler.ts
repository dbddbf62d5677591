import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { findApprovalActionEnd } from '#approvals/adapters/approval-action-execution';
import { createApprovalStore } from '#approvals/adapters/approval-store';
import { actionExecutionEvent } from '#events/codepipeline-events';
import { documentClient } from '#platform/dynamodb/document-client';
import { describeIssues, MalformedEventError } from '#platform/errors';
import { hubScopeFromEnvironment } from '#platform/hub-scope';
import { lambdaHandler } from '#platform/middleware/lambda-handler';
import { addMetricWithDimensions, createObservability } from '#platform/observability';
import { lazySlackApi } from '#platform/slack/lazy-slack-api';
import { awsSlackPlatform, type SlackHandlerPlatform } from '#platform/slack/slack-platform';
import {
  type CloseDependencies,
  type CloseOutcome,
  closeApprovalsCompletedElsewhere,
} from './close-approval';
import { config } from './config';

const { logger, metrics } = createObservability('approval-completed');

function closeDependencies({ clients, slackCredentials }: SlackHandlerPlatform): CloseDependencies {
  return {
    store: createApprovalStore({ client: documentClient(clients), tableName: config.TABLE_NAME }),
    slack: lazySlackApi(slackCredentials, config.SLACK_SECRET_ARN, config.SLACK_API_URL),
    now: () => new Date(),
    warn: (message, context) => logger.warn(message, context),
    actionEnd: (ref) => findApprovalActionEnd(clients.client(CodePipelineClient), ref),
  };
}

/** Malformed events are answered by rejectMalformed (a retry cannot fix them); I/O failures are thrown for retry and DLQ. */
async function approvalCompleted(event: unknown, dependencies: CloseDependencies): Promise<CloseOutcome> {
  const parsed = actionExecutionEvent.safeParse(event);
  if (!parsed.success) throw new MalformedEventError(describeIssues(parsed.error.issues));
  const outcome = await closeApprovalsCompletedElsewhere(parsed.data, dependencies);
  metrics.addMetric('ApprovalsClosedOutsideSlack', MetricUnit.Count, outcome.closed.length);
  // The same wait slack-interactions reports for decisions made in Slack, so the dashboard sees them all.
  for (const { account, region, pipeline, waitedMs } of outcome.decidedElsewhere) {
    addMetricWithDimensions(
      metrics,
      { Account: account ?? hubScopeFromEnvironment().account, Region: region, Pipeline: pipeline },
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

export function createHandler(platform: SlackHandlerPlatform) {
  const dependencies = closeDependencies(platform);
  return lambdaHandler(
    (event: unknown) => approvalCompleted(event, dependencies),
    { logger, metrics },
    { rejectMalformed: {} },
  );
}

export const handler = createHandler(awsSlackPlatform());
