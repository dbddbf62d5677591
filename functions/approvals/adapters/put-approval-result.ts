import { CodePipelineClient, PutApprovalResultCommand } from '@aws-sdk/client-codepipeline';
import type { PutApprovalResult } from '#approvals/ports';
import type { AwsClientFactory } from '#platform/aws-clients';

/**
 * At most two attempts, each cut off after 1 s to connect and 2 s to answer, and 5 s in all: the call must
 * end well inside the decision worker's timeout (after its DynamoDB and Slack calls), because a Lambda
 * killed mid-call leaves the decision unconfirmed until a retry or the reminders schedule sends it again.
 */
const BOUNDED_CLIENT = {
  maxAttempts: 2,
  retryMode: 'standard',
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
} as const;
const TOTAL_BUDGET_MS = 5_000;

/**
 * Sends an approval's decision to CodePipeline, within the budget above, in the pipeline's own account and region
 * (another account's through its spoke role).
 */
export function approvalResultSender(clients: AwsClientFactory): PutApprovalResult {
  return async (record, status, summary) => {
    const scope = { account: record.account, region: record.region };
    await clients.client(CodePipelineClient, { ...scope, overrides: BOUNDED_CLIENT }).send(
      new PutApprovalResultCommand({
        pipelineName: record.pipeline,
        stageName: record.stage,
        actionName: record.action,
        token: record.token,
        result: { status, summary },
      }),
      { abortSignal: AbortSignal.timeout(TOTAL_BUDGET_MS) },
    );
  };
}
