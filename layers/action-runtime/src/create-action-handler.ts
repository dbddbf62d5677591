import { CodePipelineClient, type PutJobSuccessResultCommandInput } from '@aws-sdk/client-codepipeline';
import { describeIssues } from '../../../functions/platform/errors';
import { type FailureType, isActionFailure } from './action-failure';
import {
  type ArtifactClientFactory,
  artifactS3Client,
  type InputArtifacts,
  inputArtifacts,
} from './input-artifacts';
import { type CodePipelineJob, codePipelineJobEvent, jobIdOf } from './job-event';
import {
  CONTINUATION_TOKEN_MAX_CHARS,
  clampOutputVariables,
  clampText,
  FAILURE_MESSAGE_MAX_CHARS,
  SUMMARY_MAX_CHARS,
} from './job-limits';
import { type ReportOutcome, reportFailure, reportSuccess } from './report-job-result';

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

interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly code?: string;
  readonly message: string;
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
  const logger = options.logger ?? consoleLogger;
  const artifactClient = options.artifactClient ?? artifactS3Client;
  const safetyMarginMs = options.safetyMarginMs ?? DEFAULT_SAFETY_MARGIN_MS;

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
    try {
      return await runJob();
    } catch (error) {
      // Reporting itself failed (throttled beyond retries, no permission): log, do not throw, so Lambda does
      // not run the action again. CodePipeline fails the job after its 20-minute reply window.
      logger.error('Could not report the job result to CodePipeline', { action: action.name, jobId, error });
      return { status: 'unreported', jobId, reason: errorText(error) };
    }

    async function fail(type: FailureType, message: string): Promise<ActionOutcome> {
      // CodePipeline refuses an empty message (1..5000 characters), which would leave the job unreported.
      const failureMessage = clampText(message.trim() || `${action.name} failed`, FAILURE_MESSAGE_MAX_CHARS);
      logger.warn('Job failed', { action: action.name, jobId, failureType: type, message: failureMessage });
      const report = await reportFailure(codePipeline(), {
        jobId,
        failureDetails: { type, message: failureMessage },
      });
      return { status: 'failed', jobId, failureType: type, report };
    }

    async function runJob(): Promise<ActionOutcome> {
      const parsedEvent = codePipelineJobEvent.safeParse(event);
      if (!parsedEvent.success) {
        return fail(
          'JobFailed',
          `Malformed CodePipeline job event: ${describeIssues(parsedEvent.error.issues)}`,
        );
      }
      const job = parsedEvent.data['CodePipeline.job'];
      const params = parseUserParameters(job);
      if (!params.ok) return fail('ConfigurationError', `${action.name}: ${params.message}`);
      const state = parseState(job);
      if (!state.ok) return fail('JobFailed', `${action.name}: ${state.message}`);

      const budgetMs = remainingMillis(context) - safetyMarginMs;
      if (budgetMs <= 0) return fail('JobFailed', `${action.name}: the Lambda timeout left no time to run.`);
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

      let result: ActionResult<S>;
      try {
        result = await Promise.race([
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
      } catch (error) {
        if (isActionFailure(error)) return fail(error.type, error.message);
        if (error instanceof ActionTimeout) return fail('JobFailed', error.message);
        return fail('JobFailed', `${action.name} failed: ${errorText(error)}`);
      } finally {
        clearTimeout(timer);
      }
      return succeed(result);
    }

    /**
     * A success result CodePipeline refuses (ValidationException, OutputVariablesSizeExceededException)
     * would leave the job hanging: report that refusal as the job's failure instead.
     */
    async function reportSuccessOrFail(
      input: PutJobSuccessResultCommandInput,
      status: 'succeeded' | 'continued',
    ): Promise<ActionOutcome> {
      let report: ReportOutcome;
      try {
        report = await reportSuccess(codePipeline(), input);
      } catch (error) {
        return fail(
          'JobFailed',
          `${action.name} succeeded, but CodePipeline refused the result: ${errorText(error)}`,
        );
      }
      logger.info(status === 'succeeded' ? 'Job succeeded' : 'Job continues', {
        action: action.name,
        jobId,
        report,
      });
      return { status, jobId, report };
    }

    async function succeed(result: ActionResult<S>): Promise<ActionOutcome> {
      if (result && typeof result === 'object' && 'continueWith' in result) {
        let token: string | undefined;
        try {
          token = JSON.stringify(result.continueWith ?? null);
        } catch (error) {
          return fail(
            'JobFailed',
            `${action.name}: its continuation state is not JSON (${errorText(error)}).`,
          );
        }
        // A function, a symbol or a toJSON returning undefined stringifies to nothing, not an error.
        if (typeof token !== 'string') {
          return fail(
            'JobFailed',
            `${action.name}: its continuation state is not JSON (it serialises to nothing).`,
          );
        }
        if (token.length > CONTINUATION_TOKEN_MAX_CHARS) {
          return fail(
            'JobFailed',
            `${action.name}: its continuation state is ${token.length} characters, CodePipeline accepts at most ` +
              `${CONTINUATION_TOKEN_MAX_CHARS}. Keep less state between invocations.`,
          );
        }
        return reportSuccessOrFail(
          {
            jobId,
            continuationToken: token,
            executionDetails: {
              summary: clampText(result.summary || `${action.name} in progress`, SUMMARY_MAX_CHARS),
              ...(result.percentComplete !== undefined && {
                percentComplete: Math.min(100, Math.max(0, Math.round(result.percentComplete))),
              }),
            },
          },
          'continued',
        );
      }
      const { variables, truncatedKeys } = clampOutputVariables(result?.outputVariables ?? {});
      if (truncatedKeys.length > 0) {
        logger.warn('Output variables truncated to CodePipeline limits', { jobId, truncatedKeys });
      }
      return reportSuccessOrFail(
        {
          jobId,
          executionDetails: {
            summary: clampText(result?.summary || `${action.name} succeeded`, SUMMARY_MAX_CHARS),
            percentComplete: 100,
          },
          ...(Object.keys(variables).length > 0 && { outputVariables: variables }),
        },
        'succeeded',
      );
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
          message: `UserParameters is not valid JSON (${errorText(error)}). Give a JSON object, e.g. {"key":"value"}.`,
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

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

const consoleLogger: ActionLogger = {
  info: (message, context) => console.info(JSON.stringify({ level: 'INFO', message, ...context })),
  warn: (message, context) => console.warn(JSON.stringify({ level: 'WARN', message, ...context })),
  error: (message, context) => console.error(JSON.stringify({ level: 'ERROR', message, ...context })),
};
