import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createApprovalStore } from '#approvals/adapters/approval-store';
import { approvalResultSender } from '#approvals/adapters/put-approval-result';
import { parseApprovalsPolicy } from '#approvals/domain/approvals-policy';
import { documentClient } from '#platform/dynamodb/document-client';
import { lambdaHandler } from '#platform/middleware/lambda-handler';
import { createObservability } from '#platform/observability';
import { lazySlackApi } from '#platform/slack/lazy-slack-api';
import { awsSlackPlatform, type SlackHandlerPlatform } from '#platform/slack/slack-platform';
import { config } from './config';
import { type ReminderDependencies, sendReminders } from './send-reminders';
import { type SettleOwedDependencies, settleOwedApprovals } from './settle-owed';

const { logger, metrics } = createObservability('approval-reminders');
const policy = parseApprovalsPolicy(config.APPROVALS_POLICY);

type ScheduleDependencies = ReminderDependencies & SettleOwedDependencies;

function scheduleDependencies({ clients, slackCredentials }: SlackHandlerPlatform): ScheduleDependencies {
  return {
    policy,
    store: createApprovalStore({ client: documentClient(clients), tableName: config.TABLE_NAME }),
    slack: lazySlackApi(slackCredentials, config.SLACK_SECRET_ARN, config.SLACK_API_URL),
    remindBeforeMinutes: config.REMIND_BEFORE_MINUTES,
    putApprovalResult: approvalResultSender(clients),
    now: () => new Date(),
    warn: (message, context) => logger.warn(message, context),
  };
}

async function approvalReminders(dependencies: ScheduleDependencies) {
  const outcome = await sendReminders(dependencies);
  metrics.addMetric('ApprovalRemindersSent', MetricUnit.Count, outcome.reminded.length);
  metrics.addMetric('ApprovalsExpired', MetricUnit.Count, outcome.expired.length);
  // After the expiries above: what the decision worker left undone, and the expired requests' messages.
  const settled = await settleOwedApprovals(dependencies);
  metrics.addMetric('ApprovalDecisionsRedriven', MetricUnit.Count, settled.sent.length);
  metrics.addMetric('ApprovalMessagesRepaired', MetricUnit.Count, settled.shown.length);
  metrics.addMetric('ApprovalActsStillOwed', MetricUnit.Count, settled.owed.length);
  logger.info('Approval reminders', { ...outcome, settled });
  return { ...outcome, settled };
}

export function createHandler(platform: SlackHandlerPlatform) {
  const dependencies = scheduleDependencies(platform);
  return lambdaHandler(() => approvalReminders(dependencies), { logger, metrics });
}

export const handler = createHandler(awsSlackPlatform());
