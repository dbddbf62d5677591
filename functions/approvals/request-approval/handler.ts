import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createApprovalStore } from '#approvals/adapters/approval-store';
import { createCommitAuthors } from '#approvals/adapters/commit-authors';
import { secretsManagerGitHubToken } from '#approvals/adapters/github-token';
import { createPendingApprovals } from '#approvals/adapters/pending-approval-api';
import { parseApprovalNotifications } from '#approvals/domain/approval-notification';
import { parseApprovalsPolicy } from '#approvals/domain/approvals-policy';
import { createHistoryStore } from '#history/adapters/history-store';
import { documentClient } from '#platform/dynamodb/document-client';
import { hubAccountFromEnvironment } from '#platform/hub-scope';
import { lambdaHandler } from '#platform/middleware/lambda-handler';
import { createObservability } from '#platform/observability';
import { lazySlackApi } from '#platform/slack/lazy-slack-api';
import { awsSlackPlatform, type SlackHandlerPlatform } from '#platform/slack/slack-platform';
import { config } from './config';
import {
  type RequestDependencies,
  type RequestOutcome,
  recentExecutionsFrom,
  requestApproval,
} from './request-approval';

const { logger, metrics } = createObservability('request-approval');
const policy = parseApprovalsPolicy(config.APPROVALS_POLICY);

function requestDependencies({ clients, slackCredentials }: SlackHandlerPlatform): RequestDependencies {
  const client = documentClient(clients);
  return {
    policy,
    admission: {
      hubAccount: hubAccountFromEnvironment(),
      // Only account ids: an empty CommaDelimitedList joins to a value that names no account.
      spokeAccounts: (config.SPOKE_ACCOUNT_IDS ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter((id) => /^\d{12}$/.test(id)),
      ...(config.ORGANIZATION_ID ? { organizationId: config.ORGANIZATION_ID } : {}),
    },
    pendingApprovals: createPendingApprovals(clients),
    store: createApprovalStore({ client, tableName: config.TABLE_NAME }),
    slack: lazySlackApi(slackCredentials, config.SLACK_SECRET_ARN, config.SLACK_API_URL),
    // retentionDays only matters for writes; this store only reads.
    recentExecutions: recentExecutionsFrom(
      createHistoryStore({ client, tableName: config.TABLE_NAME, retentionDays: 1 }),
      () => new Date(),
    ),
    commitAuthors: createCommitAuthors({
      clients,
      ...(config.GITHUB_TOKEN_SECRET_ARN
        ? { gitHubToken: secretsManagerGitHubToken(clients, config.GITHUB_TOKEN_SECRET_ARN) }
        : {}),
      ...(config.GITHUB_API_URL ? { gitHubApiUrl: config.GITHUB_API_URL } : {}),
    }),
    now: () => new Date(),
    warn: (message, context) => logger.warn(message, context),
  };
}

/**
 * A malformed SNS message is answered by rejectMalformed and dropped (a retry cannot fix it); a Slack or
 * DynamoDB failure is thrown so SNS's async invoke retries it, then the dead-letter queue keeps it.
 */
async function requestApprovals(
  event: unknown,
  dependencies: RequestDependencies,
): Promise<RequestOutcome[]> {
  const notifications = parseApprovalNotifications(event);
  const outcomes: RequestOutcome[] = [];
  for (const notification of notifications) {
    const outcome = await requestApproval(notification, dependencies);
    // Never the token: pipeline, stage, action and our own id only.
    logger.info('Approval requested', { ...outcome, action: notification.approval.actionName });
    const metric = {
      posted: 'ApprovalsRequested',
      duplicate: 'ApprovalRequestsRedelivered',
      'found-earlier-post': 'ApprovalRequestPostsFound',
      'no-rule': 'ApprovalsWithoutRule',
      'not-admitted': 'ApprovalsFromUnadmittedAccounts',
    } as const;
    metrics.addMetric(metric[outcome.status], MetricUnit.Count, 1);
    outcomes.push(outcome);
  }
  return outcomes;
}

export function createHandler(platform: SlackHandlerPlatform) {
  const dependencies = requestDependencies(platform);
  return lambdaHandler(
    (event: unknown) => requestApprovals(event, dependencies),
    { logger, metrics },
    {
      rejectMalformed: {
        logMessage: 'Rejected a message that is not an approval notification',
        metricName: 'RejectedNotifications',
      },
    },
  );
}

export const handler = createHandler(awsSlackPlatform());
