import type {
  PutJobFailureResultCommandInput,
  PutJobSuccessResultCommandInput,
} from '@aws-sdk/client-codepipeline';
import { type FailureType, isActionFailure, isFailureType } from './action-failure';
import { describeThrown, describeValue } from './describe-value';
import {
  CONTINUATION_TOKEN_MAX_CHARS,
  clampOutputVariables,
  clampText,
  FAILURE_MESSAGE_MAX_CHARS,
  SUMMARY_MAX_CHARS,
} from './job-limits';

export type JobResult =
  | {
      readonly kind: 'success';
      readonly status: 'succeeded' | 'continued';
      readonly input: PutJobSuccessResultCommandInput;
      /** Output variables cut or dropped to fit CodePipeline's limits. */
      readonly truncatedKeys: readonly string[];
    }
  | { readonly kind: 'failure'; readonly input: PutJobFailureResultCommandInput };

/**
 * The result CodePipeline gets for whatever `run` resolved to. Plain JavaScript can return anything, so
 * nothing about the value is trusted: every read of it may throw (a getter, a Proxy), and every field is
 * checked against the PutJobSuccessResult contract, so the report is one CodePipeline accepts.
 */
export function resultOfReturn(actionName: string, jobId: string, returned: unknown): JobResult {
  try {
    return successOf(actionName, jobId, returned);
  } catch (error) {
    return failureResult(
      actionName,
      jobId,
      'JobFailed',
      `${actionName} returned a result that cannot be read (${describeThrown(error)}).`,
    );
  }
}

/** The failure CodePipeline gets for whatever `run` threw (or rejected with). */
export function resultOfThrow(actionName: string, jobId: string, thrown: unknown): JobResult {
  if (isActionFailure(thrown)) {
    let type: unknown;
    let message: unknown;
    try {
      ({ type, message } = thrown);
    } catch {}
    return failureResult(actionName, jobId, isFailureType(type) ? type : 'JobFailed', describeValue(message));
  }
  return failureResult(actionName, jobId, 'JobFailed', `${actionName} failed: ${describeThrown(thrown)}`);
}

/** A failure CodePipeline accepts: a known type and a message of 1 to 5,000 characters. */
export function failureResult(
  actionName: string,
  jobId: string,
  type: FailureType,
  message: string,
): JobResult {
  const text = message.trim() || `${actionName} failed`;
  return {
    kind: 'failure',
    input: { jobId, failureDetails: { type, message: clampText(text, FAILURE_MESSAGE_MAX_CHARS) } },
  };
}

function successOf(actionName: string, jobId: string, returned: unknown): JobResult {
  const result: Record<string, unknown> =
    typeof returned === 'object' && returned !== null ? (returned as Record<string, unknown>) : {};
  if ('continueWith' in result) return continuationOf(actionName, jobId, result);
  const { variables, truncatedKeys } = clampOutputVariables(outputVariablesOf(result.outputVariables));
  return {
    kind: 'success',
    status: 'succeeded',
    truncatedKeys,
    input: {
      jobId,
      executionDetails: {
        summary: summaryOf(result.summary, `${actionName} succeeded`),
        percentComplete: 100,
      },
      // CodePipeline takes output variables only on the final success, never with a continuation token.
      ...(Object.keys(variables).length > 0 && { outputVariables: variables }),
    },
  };
}

function continuationOf(actionName: string, jobId: string, result: Record<string, unknown>): JobResult {
  let token: string | undefined;
  try {
    token = JSON.stringify(result.continueWith ?? null);
  } catch (error) {
    return failureResult(
      actionName,
      jobId,
      'JobFailed',
      `${actionName}: its continuation state is not JSON (${describeThrown(error)}).`,
    );
  }
  // A function, a symbol or a toJSON returning undefined stringifies to nothing, not an error.
  if (typeof token !== 'string') {
    return failureResult(
      actionName,
      jobId,
      'JobFailed',
      `${actionName}: its continuation state is not JSON (it serialises to nothing).`,
    );
  }
  if (token.length > CONTINUATION_TOKEN_MAX_CHARS) {
    // Cutting the state would corrupt it: the next invocation could not read it back.
    return failureResult(
      actionName,
      jobId,
      'JobFailed',
      `${actionName}: its continuation state is ${token.length} characters, CodePipeline accepts at most ` +
        `${CONTINUATION_TOKEN_MAX_CHARS}. Keep less state between invocations.`,
    );
  }
  const percentComplete = percentOf(result.percentComplete);
  return {
    kind: 'success',
    status: 'continued',
    truncatedKeys: [],
    input: {
      jobId,
      continuationToken: token,
      executionDetails: {
        summary: summaryOf(result.summary, `${actionName} in progress`),
        ...(percentComplete !== undefined && { percentComplete }),
      },
    },
  };
}

/** 1 to 2,048 characters: whatever the action gave, as text, or the fallback when it gave nothing. */
function summaryOf(summary: unknown, fallback: string): string {
  const text = summary === undefined || summary === null ? '' : describeValue(summary);
  return clampText(text || fallback, SUMMARY_MAX_CHARS);
}

/** An integer from 0 to 100, or none: NaN, Infinity or a string would make CodePipeline refuse the result. */
function percentOf(percent: unknown): number | undefined {
  if (typeof percent !== 'number' || !Number.isFinite(percent)) return undefined;
  return Math.min(100, Math.max(0, Math.round(percent)));
}

/** Values become text as CodePipeline stores them; an object value becomes its JSON. */
function outputVariablesOf(variables: unknown): Array<[string, string]> {
  if (typeof variables !== 'object' || variables === null) return [];
  return Object.entries(variables).map(([key, value]) => [key, describeValue(value)]);
}
