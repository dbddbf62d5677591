import {
  type CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { JobResult } from './job-result';

/**
 * `already-ended`: CodePipeline answered that the job is over. After a lost answer (the SDK or this module
 * retried a call CodePipeline had applied) that is our own earlier report; otherwise a stopped or abandoned
 * execution, or a Lambda retry of an invocation that had reported.
 */
export type ReportOutcome = 'reported' | 'already-ended';

/** How long reporting keeps trying what the client's own retries did not absorb. */
export interface ReportPolicy {
  /** Epoch milliseconds after which no attempt starts: the end of the Lambda invocation, less a margin. */
  readonly deadline: number;
  /** An attempt (the client's own retries included) that has not answered by then is abandoned and retried. */
  readonly attemptTimeoutMs: number;
  /** Pause before the nth retry (0-based). */
  readonly backoffMs: (retry: number) => number;
}

/**
 * A job that was already ended answers PutJob*Result with InvalidJobStateException or JobNotFoundException
 * (botocore). That is not an error for us: the job is over, and reporting again must neither throw nor be
 * retried.
 */
const JOB_ALREADY_ENDED = new Set(['InvalidJobStateException', 'JobNotFoundException']);

export function isJobAlreadyEnded(error: unknown): boolean {
  return error instanceof Error && JOB_ALREADY_ENDED.has(error.name);
}

export class ReportAttemptTimeout extends Error {
  override name = 'ReportAttemptTimeout';
}

/**
 * Sends the job's result until CodePipeline answers or the deadline passes. Throttling, 5xx, network
 * errors and attempts that hang are retried: an unreported job stays "In progress" for 20 minutes and then
 * fails with no reason. A refusal (ValidationException, OutputVariablesSizeExceededException, no
 * permission) is thrown at once: sending the same result again cannot change the answer.
 */
export async function reportJobResult(
  client: CodePipelineClient,
  result: JobResult,
  policy: ReportPolicy,
): Promise<ReportOutcome> {
  for (let retry = 0; ; retry++) {
    const timeoutMs = Math.min(policy.attemptTimeoutMs, policy.deadline - Date.now());
    let error: unknown;
    try {
      if (timeoutMs <= 0) throw new ReportAttemptTimeout('no time left in this invocation to report');
      await sendWithin(client, result, timeoutMs);
      return 'reported';
    } catch (caught) {
      if (isJobAlreadyEnded(caught)) return 'already-ended';
      error = caught;
    }
    const pause = policy.backoffMs(retry);
    if (!isWorthRetrying(error) || Date.now() + pause >= policy.deadline) throw error;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/**
 * Abandons an attempt after `timeoutMs` even if the client ignores the abort signal (a hand-written client,
 * a request handler without a timeout): its answer, if it ever comes, is the "lost answer" case above.
 */
async function sendWithin(client: CodePipelineClient, result: JobResult, timeoutMs: number): Promise<void> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ReportAttemptTimeout(`CodePipeline did not answer within ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  const options = { abortSignal: controller.signal };
  const sent =
    result.kind === 'success'
      ? client.send(new PutJobSuccessResultCommand(result.input), options)
      : client.send(new PutJobFailureResultCommand(result.input), options);
  // The abandoned attempt may still reject later: nobody else would observe it.
  sent.catch(() => {});
  try {
    await Promise.race([sent, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function isWorthRetrying(error: unknown): boolean {
  if (error instanceof ReportAttemptTimeout) return true;
  if (typeof error !== 'object' || error === null) return false;
  try {
    return (
      isThrottlingError(error as never) || isTransientError(error as never) || isServerError(error as never)
    );
  } catch {
    return false;
  }
}
