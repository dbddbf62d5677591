import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ClickJob, DecisionWorkQueue } from '#approvals/ports';
import type { AwsClientFactory } from '#platform/aws-clients';

/**
 * The hand-over must fit in Slack's 3 seconds next to everything else the endpoint does: two attempts of
 * at most 0.8 s each, 1.5 s in all. An attempt whose answer was lost may have queued the job all the same;
 * the worker's click id makes a second job for the same click harmless.
 */
const BOUNDED_CLIENT = {
  maxAttempts: 2,
  retryMode: 'standard',
  requestHandler: { connectionTimeout: 300, requestTimeout: 800, throwOnRequestTimeout: true },
} as const;
const TOTAL_BUDGET_MS = 1_500;

/**
 * Lambda's asynchronous invoke (InvocationType Event): Lambda queues the job, answers 202 at once, runs the
 * worker and retries it twice when it throws; the reminders schedule is the backstop after that.
 */
export function lambdaDecisionWorkQueue(clients: AwsClientFactory, functionName: string): DecisionWorkQueue {
  return {
    async enqueue(job: ClickJob) {
      await clients.client(LambdaClient, { overrides: BOUNDED_CLIENT }).send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(job)),
        }),
        { abortSignal: AbortSignal.timeout(TOTAL_BUDGET_MS) },
      );
    },
  };
}
