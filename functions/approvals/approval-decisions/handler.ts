import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createApprovalStore } from '#approvals/adapters/approval-store';
import { approvalResultSender } from '#approvals/adapters/put-approval-result';
import { cachedSlackUserEmail } from '#approvals/adapters/slack-user-email';
import { parseApprovalsPolicy } from '#approvals/domain/approvals-policy';
import { documentClient } from '#platform/dynamodb/document-client';
import { hubScopeFromEnvironment } from '#platform/hub-scope';
import { lambdaHandler } from '#platform/middleware/lambda-handler';
import { addMetricWithDimensions, createObservability } from '#platform/observability';
import { lazySlackApi } from '#platform/slack/lazy-slack-api';
import { awsSlackPlatform, type SlackHandlerPlatform } from '#platform/slack/slack-platform';
import { parseClickJob } from './click-job';
import { config } from './config';
import { type FinishClickDependencies, finishClick } from './finish-click';

const { logger, metrics } = createObservability('approval-decisions');
// Parsed at cold start: a broken policy stops the function with the field's name.
const policy = parseApprovalsPolicy(config.APPROVALS_POLICY);

function workerDependencies({ clients, slackCredentials }: SlackHandlerPlatform): FinishClickDependencies {
  const putApprovalResult = approvalResultSender(clients);
  const slack = lazySlackApi(slackCredentials, config.SLACK_SECRET_ARN, config.SLACK_API_URL);
  return {
    policy,
    store: createApprovalStore({ client: documentClient(clients), tableName: config.TABLE_NAME }),
    slack,
    userEmail: cachedSlackUserEmail(slack),
    putApprovalResult: async (record, status, summary) => {
      await putApprovalResult(record, status, summary);
      // Accepted by CodePipeline: the approval's wait is over (delivery dashboard, per pipeline).
      if ('createdAt' in record) {
        addMetricWithDimensions(
          metrics,
          // The same dimensions as the delivery metrics, so the dashboard's wait chart names the pipeline's account.
          {
            Account: record.account ?? hubScopeFromEnvironment().account,
            Region: record.region ?? hubScopeFromEnvironment().region,
            Pipeline: record.pipeline,
          },
          'ApprovalWaitTime',
          MetricUnit.Seconds,
          (Date.now() - Date.parse(String(record.createdAt))) / 1000,
        );
      }
    },
    now: () => new Date(),
    warn: (message, context) => logger.warn(message, context),
  };
}

/**
 * A click acknowledged by slack-interactions, finished here. Whatever is left undone (CodePipeline did not
 * answer, Slack did not take the final message) is thrown: Lambda retries the job twice, and the reminders
 * schedule picks up whatever is still owed after that.
 */
async function approvalDecisions(event: unknown, deps: FinishClickDependencies) {
  const job = parseClickJob(event);
  const outcome = await finishClick(job, deps);
  metrics.addMetric(`ApprovalClick_${outcome.click}`, MetricUnit.Count, 1);
  logger.info('Finished a Slack click', { approvalId: job.approvalId, ...outcome });
  return outcome;
}

export function createHandler(platform: SlackHandlerPlatform) {
  const dependencies = workerDependencies(platform);
  return lambdaHandler(
    (event: unknown) => approvalDecisions(event, dependencies),
    { logger, metrics },
    { rejectMalformed: { logMessage: 'Rejected a malformed click job', metricName: 'RejectedClickJobs' } },
  );
}

export const handler = createHandler(awsSlackPlatform());
