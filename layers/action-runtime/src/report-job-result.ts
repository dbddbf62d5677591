import {
  type CodePipelineClient,
  PutJobFailureResultCommand,
  type PutJobFailureResultCommandInput,
  PutJobSuccessResultCommand,
  type PutJobSuccessResultCommandInput,
} from '@aws-sdk/client-codepipeline';

export type ReportOutcome = 'reported' | 'already-ended';

/**
 * A job that was already ended (a Lambda retry after a report, a stopped/abandoned execution) answers
 * PutJob*Result with InvalidJobStateException or JobNotFoundException (botocore). That is not an error for
 * us: the job is over, and reporting again must neither throw nor be retried.
 */
const JOB_ALREADY_ENDED = new Set(['InvalidJobStateException', 'JobNotFoundException']);

export function isJobAlreadyEnded(error: unknown): boolean {
  return error instanceof Error && JOB_ALREADY_ENDED.has(error.name);
}

export async function reportSuccess(
  client: CodePipelineClient,
  input: PutJobSuccessResultCommandInput,
): Promise<ReportOutcome> {
  try {
    await client.send(new PutJobSuccessResultCommand(input));
    return 'reported';
  } catch (error) {
    if (isJobAlreadyEnded(error)) return 'already-ended';
    throw error;
  }
}

export async function reportFailure(
  client: CodePipelineClient,
  input: PutJobFailureResultCommandInput,
): Promise<ReportOutcome> {
  try {
    await client.send(new PutJobFailureResultCommand(input));
    return 'reported';
  } catch (error) {
    if (isJobAlreadyEnded(error)) return 'already-ended';
    throw error;
  }
}
