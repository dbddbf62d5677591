import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { createApprovalStore } from '#approvals/adapters/approval-store';
import { parseApprovalNotifications } from '#approvals/domain/approval-notification';
import { parseApprovalsPolicy } from '#approvals/domain/approvals-policy';
import { createHistoryStore } from '#history/adapters/history-store';
import { dynamoDocumentClient } from '#platform/dynamodb/document-client';
import { MalformedEventError } from '#platform/errors';
import { createObservability } from '#platform/observability';
import { lazySlackApi } from '#platform/slack/lazy-slack-api';
import { config } from './config';
import {
  type RequestDependencies,
  type RequestOutcome,
  recentExecutionsFrom,
  requestApproval,
} from './request-approval';

const { logger, metrics } = createObservability('request-approval');
const policy = parseApprovalsPolicy(config.APPROVALS_POLICY);

let deps: RequestDependencies | undefined;
function dependencies(): RequestDependencies {
  deps ??= {
    policy,
    store: createApprovalStore({ client: dynamoDocumentClient(), tableName: config.TABLE_NAME }),
    slack: lazySlackApi(config.SLACK_SECRET_ARN, config.SLACK_API_URL),
    // retentionDays only matters for writes; this store only reads.
    recentExecutions: recentExecutionsFrom(
      createHistoryStore({ client: dynamoDocumentClient(), tableName: config.TABLE_NAME, retentionDays: 1 }),
      () => new Date(),
    ),
    now: () => new Date(),
    warn: (message, context) => logger.warn(message, context),
  };
  return deps;
}

/**
 * A malformed SNS message is logged and dropped (a retry cannot fix it); a Slack or DynamoDB failure is
 * thrown so SNS's async invoke retries it, then the dead-letter queue keeps it.
 */
async function requestApprovals(
  event: unknown,
): Promise<RequestOutcome[] | { status: 'rejected'; reason: string }> {
  let notifications: ReturnType<typeof parseApprovalNotifications>;
  try {
    notifications = parseApprovalNotifications(event);
  } catch (error) {
    if (!(error instanceof MalformedEventError)) throw error;
    logger.error('Rejected a message that is not an approval notification', { reason: error.message });
    metrics.addMetric('RejectedNotifications', MetricUnit.Count, 1);
    return { status: 'rejected', reason: error.message };
  }
  const outcomes: RequestOutcome[] = [];
  for (const notification of notifications) {
    const outcome = await requestApproval(notification, dependencies());
    // Never the token: pipeline, stage, action and our own id only.
    logger.info('Approval requested', { ...outcome, action: notification.approval.actionName });
    const metric = {
      posted: 'ApprovalsRequested',
      duplicate: 'ApprovalRequestsRedelivered',
      'no-rule': 'ApprovalsWithoutRule',
    } as const;
    metrics.addMetric(metric[outcome.status], MetricUnit.Count, 1);
    outcomes.push(outcome);
  }
  return outcomes;
}

export const handler = middy(requestApprovals)
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics));
