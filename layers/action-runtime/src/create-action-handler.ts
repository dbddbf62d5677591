import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import type { FailureType } from './action-failure';
import { describeIssues, type SchemaIssue } from './describe-issues';
import { describeThrown } from './describe-value';
import {
  type ArtifactClientFactory,
  artifactS3Client,
  type InputArtifacts,
  inputArtifacts,
} from './input-artifacts';
import { type CodePipelineJob, codePipelineJobEvent, jobIdOf } from './job-event';
import { failureResult, type JobResult, resultOfReturn, resultOfThrow } from './job-result';
import { type ReportOutcome, reportJobResult } from './report-job-result';

export interface ActionInput<P, S> {
  readonly params: P;
  readonly jobId: string;
  /** The state returned by the previous invocation's `continueWith`, undefined on the first one. */
  readonly state: S | undefined;
  readonly artifacts: InputArtifacts;
  /** Milliseconds left before the runtime gives up on this invocation and fails the job. */
  remainingTimeMs(): number;
  /** Aborted when the invocation's time budget is spent: pass it to fetch and SDK calls. */
  readonly signal: AbortSignal;
}

export type ActionResult<S> =
  | {
      readonly summary?: string;
      readonly outputVariables?: Readonly<Record<string, string | number | boolean>>;
    }
  | { readonly continueWith: S; readonly summary?: string; readonly percentComplete?: number };

/**
 * Any schema with zod's `safeParse` (zod/mini, zod 4, or hand-written): the layer does not ship zod, so a
 * team's bundle brings the one it uses (zod/mini adds about 17 KB).
 */
export interface ActionSchema<T> {
  safeParse(
    input: unknown,
  ):
    | { readonly success: true; readonly data: T }
    | { readonly success: false; readonly error: { readonly issues: readonly SchemaIssue[] } };
}

export interface ActionDefinition<P, S = never> {
  readonly name: string;
  readonly paramsSchema: ActionSchema<P>;
  /** Validates the continuation state read back from the token (it round-trips through CodePipeline). */
  readonly stateSchema?: ActionSchema<S>;
  run(input: ActionInput<P, S>): Promise<ActionResult<S>>;
}

export interface ActionLogger {
  info(message: string, context: Record<string, unknown>): void;
  warn(message: string, context: Record<string, unknown>): void;
  error(message: string, context: Record<string, unknown>): void;
}

export interface ActionRuntimeOptions {
  /** CodePipeline client, asked for lazily at the first report. */
  readonly codePipeline?: () => CodePipelineClient;
  readonly artifactClient?: ArtifactClientFactory;
  readonly logger?: ActionLogger;
  /** Time kept back from the Lambda timeout to report the failure (default 5 s). */
  readonly safetyMarginMs?: number;
  /** How reporting retries what the client's own retries did not absorb (tests shorten it). */
  readonly reportRetry?: {
    /** An attempt not answered by then is abandoned and retried (default 10 s). */
    readonly attemptTimeoutMs?: number;
    /** Pause before the nth retry, 0-based (default: full jitter, 100 ms doubling up to 2 s). */
    readonly backoffMs?: (retry: number) => number;
  };
}

export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}

export type ActionOutcome =
  | { readonly status: 'succeeded' | 'continued'; readonly jobId: string; readonly report: ReportOutcome }
  | {
      readonly status: 'failed';
      readonly jobId: string;
      readonly failureType: FailureType;
      readonly report: ReportOutcome;
    }
  | { readonly status: 'unreported'; readonly jobId?: string; readonly reason: string };

const DEFAULT_SAFETY_MARGIN_MS = 5_000;
const DEFAULT_REPORT_ATTEMPT_TIMEOUT_MS = 10_000;
// Reporting stops a tenth of the safety margin (500 ms by default) before the Lambda timeout, so the
// handler still returns rather than being killed mid-call.
const REPORT_RETURN_SHARE = 0.1;

const fullJitterBackoff = (retry: number) => Math.random() * Math.min(2_000, 100 * 2 ** retry);

class ActionTimeout extends Error {
  override name = 'ActionTimeout';
}

/**
 * Turns an action into a Lambda handler for the `CodePipeline.job` event that always ends the job exactly
 * once and never throws: CodePipeline invokes asynchronously, so a thrown error would make Lambda run the
 * job again (twice, 1 and 2 minutes later) instead of failing it (Lambda developer guide, async invocation).
 */
export function createActionHandler<P, S = never>(
  action: ActionDefinition<P, S>,
  options: ActionRuntimeOptions = {},
): (event: unknown, context?: LambdaContextLike) => Promise<ActionOutcome> {
  let client: CodePipelineClient | undefined;
  const codePipeline = () => (client ??= options.codePipeline?.() ?? new CodePipelineClient({}));
  const logger = neverThrowing(options.logger ?? consoleLogger);
  const artifactClient = options.artifactClient ?? artifactS3Client;
  const safetyMarginMs = options.safetyMarginMs ?? DEFAULT_SAFETY_MARGIN_MS;
  const attemptTimeoutMs = options.reportRetry?.attemptTimeoutMs ?? DEFAULT_REPORT_ATTEMPT_TIMEOUT_MS;
  const backoffMs = options.reportRetry?.backoffMs ?? fullJitterBackoff;

  return async (event, context) => {
    const maybeJobId = jobIdOf(event);
    if (!maybeJobId) {
      // Never log the event itself: it carries the job's artifact credentials.
      logger.error('Not a CodePipeline job event: no CodePipeline.job.id, nothing to report', {
        action: action.name,
      });
      return { status: 'unreported', reason: 'not a CodePipeline job event' };
    }
    const jobId: string = maybeJobId;
    const invocationEnds = Date.now() + remainingMillis(context);
    try {
      // A schema's safeParse is the team's code too, and may throw like run does.
      const result = await runJob().catch((thrown: unknown) => resultOfThrow(action.name, jobId, thrown));
      return await report(result);
    } catch (error) {
      // Reporting itself failed (refused, no permission, still throttled at the deadline): log, do not throw,
      // so Lambda does not run the action again. CodePipeline fails the job after its 20-minute reply window.
      const reason = describeThrown(error);
      logger.error('Could not report the job result to CodePipeline', { action: action.name, jobId, reason });
      return { status: 'unreported', jobId, reason };
    }

    function send(result: JobResult): Promise<ReportOutcome> {
      return reportJobResult(codePipeline(), result, {
        deadline: invocationEnds - safetyMarginMs * REPORT_RETURN_SHARE,
        attemptTimeoutMs,
        backoffMs,
      });
    }

    async function report(result: JobResult): Promise<ActionOutcome> {
      if (result.kind === 'failure') {
        const { type, message } = result.input.failureDetails ?? {};
        const failureType = type as FailureType;
        logger.warn('Job failed', { action: action.name, jobId, failureType, message });
        return { status: 'failed', jobId, failureType, report: await send(result) };
      }
      if (result.truncatedKeys.length > 0) {
        logger.warn('Output variables truncated to CodePipeline limits', {
          jobId,
          truncatedKeys: result.truncatedKeys,
        });
      }
      let outcome: ReportOutcome;
      try {
        outcome = await send(result);
      } catch (error) {
        // A success CodePipeline refuses would leave the job hanging: report the refusal as its failure.
        return report(
          failureResult(
            action.name,
            jobId,
            'JobFailed',
            `${action.name} succeeded, but CodePipeline refused the result: ${describeThrown(error)}`,
          ),
        );
      }
      logger.info(result.status === 'succeeded' ? 'Job succeeded' : 'Job continues', {
        action: action.name,
        jobId,
        report: outcome,
      });
      return { status: result.status, jobId, report: outcome };
    }

    async function runJob(): Promise<JobResult> {
      const parsedEvent = codePipelineJobEvent.safeParse(event);
      if (!parsedEvent.success) {
        return failureResult(
          action.name,
          jobId,
          'JobFailed',
          `Malformed CodePipeline job event: ${describeIssues(parsedEvent.error.issues)}`,
        );
      }
      const job = parsedEvent.data['CodePipeline.job'];
      const params = parseUserParameters(job);
      if (!params.ok)
        return failureResult(action.name, jobId, 'ConfigurationError', `${action.name}: ${params.message}`);
      const state = parseState(job);
      if (!state.ok)
        return failureResult(action.name, jobId, 'JobFailed', `${action.name}: ${state.message}`);

      const budgetMs = invocationEnds - Date.now() - safetyMarginMs;
      if (budgetMs <= 0) {
        return failureResult(
          action.name,
          jobId,
          'JobFailed',
          `${action.name}: the Lambda timeout left no time to run.`,
        );
      }
      const deadline = Date.now() + budgetMs;
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new ActionTimeout(
            `${action.name} did not finish within ${budgetMs} ms (the Lambda timeout minus ${safetyMarginMs} ms ` +
              'to report). Raise the function timeout, or make the action continue across invocations.',
          );
          controller.abort(error);
          reject(error);
        }, budgetMs);
      });

      try {
        const returned: unknown = await Promise.race([
          action.run({
            params: params.value,
            jobId,
            state: state.value,
            artifacts: inputArtifacts(job.data.inputArtifacts, job.data.artifactCredentials, artifactClient),
            remainingTimeMs: () => Math.max(0, deadline - Date.now()),
            signal: controller.signal,
          }),
          timeout,
        ]);
        return resultOfReturn(action.name, jobId, returned);
      } catch (thrown) {
        if (thrown instanceof ActionTimeout)
          return failureResult(action.name, jobId, 'JobFailed', thrown.message);
        return resultOfThrow(action.name, jobId, thrown);
      } finally {
        clearTimeout(timer);
      }
    }
  };

  function parseUserParameters(job: CodePipelineJob): Parsed<P> {
    const text = job.data.actionConfiguration?.configuration?.UserParameters;
    let json: unknown = {};
    if (text !== undefined && text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch (error) {
        return {
          ok: false,
          message: `UserParameters is not valid JSON (${describeThrown(error)}). Give a JSON object, e.g. {"key":"value"}.`,
        };
      }
    }
    const parsed = action.paramsSchema.safeParse(json);
    if (parsed.success) return { ok: true, value: parsed.data };
    return { ok: false, message: `invalid UserParameters: ${describeIssues(parsed.error.issues)}` };
  }

  function parseState(job: CodePipelineJob): Parsed<S | undefined> {
    const token = job.data.continuationToken;
    if (token === undefined) return { ok: true, value: undefined };
    let json: unknown;
    try {
      json = JSON.parse(token);
    } catch {
      return { ok: false, message: 'the continuation token is not one this action wrote (not JSON).' };
    }
    if (!action.stateSchema) return { ok: true, value: json as S };
    const parsed = action.stateSchema.safeParse(json);
    if (parsed.success) return { ok: true, value: parsed.data };
    return {
      ok: false,
      message: `the continuation token does not hold this action's state: ${describeIssues(parsed.error.issues)}`,
    };
  }
}

// Without a Lambda context (a local run, a hand-written test) assume a minute, so a hung action still ends.
const FALLBACK_REMAINING_MS = 60_000;

function remainingMillis(context: LambdaContextLike | undefined): number {
  return typeof context?.getRemainingTimeInMillis === 'function'
    ? context.getRemainingTimeInMillis()
    : FALLBACK_REMAINING_MS;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** A logger that throws (a circular context, a broken transport) must not stop the job from being reported. */
function neverThrowing(logger: ActionLogger): ActionLogger {
  const guard =
    (log: ActionLogger[keyof ActionLogger]) =>
    (message: string, context: Record<string, unknown>): void => {
      try {
        log.call(logger, message, context);
      } catch {}
    };
  return { info: guard(logger.info), warn: guard(logger.warn), error: guard(logger.error) };
}

const consoleLogger: ActionLogger = {
  info: (message, context) => console.info(JSON.stringify({ level: 'INFO', message, ...context })),
  warn: (message, context) => console.warn(JSON.stringify({ level: 'WARN', message, ...context })),
  error: (message, context) => console.error(JSON.stringify({ level: 'ERROR', message, ...context })),
};
