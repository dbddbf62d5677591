import type { AsyncInvocation } from './async-invoke';
import type { Outbox } from './outbox';

// CodePipeline stops an invoke action's job after a day; locally a bound keeps a runaway loop from hanging.
const MAX_INVOCATIONS = 100;

export interface JobRun extends AsyncInvocation {
  /** How many times the action ran for this job: 1, plus one per continuation token it handed over. */
  invocations: number;
}

type JobEvent = { 'CodePipeline.job'?: { id?: unknown; data?: Record<string, unknown> } };

/**
 * An invoke action's job as CodePipeline runs it: when the action reports success with a continuation token
 * (PutJobSuccessResult with continuationToken, here recorded in the outbox), CodePipeline invokes it again
 * with that token in the job's data, until a result without one ends the job. CodePipeline waits a little
 * between the two; locally, like Lambda's retries, the next invocation follows at once.
 */
export async function runJobToItsEnd(
  event: Record<string, unknown>,
  invoke: (event: Record<string, unknown>) => Promise<AsyncInvocation>,
  outbox: Outbox,
): Promise<JobRun> {
  const job = (event as JobEvent)['CodePipeline.job'];
  let current = event;
  for (let invocations = 1; ; invocations++) {
    const seen = new Set(outbox.entries.map((entry) => entry.id));
    const invocation = await invoke(current);
    const token = continuationTokenReported(outbox, seen, job?.id);
    if (token === undefined || invocations >= MAX_INVOCATIONS || !job) return { ...invocation, invocations };
    current = { ...event, 'CodePipeline.job': { ...job, data: { ...job.data, continuationToken: token } } };
  }
}

/** The continuation token this invocation reported for `jobId`, if it handed the job over. */
function continuationTokenReported(outbox: Outbox, seen: Set<string>, jobId: unknown): string | undefined {
  const reported = outbox.entries.filter(
    (entry) =>
      !seen.has(entry.id) &&
      entry.command === 'PutJobSuccessResult' &&
      !entry.error &&
      (entry.input as { jobId?: unknown }).jobId === jobId,
  );
  const token = (reported.at(-1)?.input as { continuationToken?: unknown } | undefined)?.continuationToken;
  return typeof token === 'string' ? token : undefined;
}
