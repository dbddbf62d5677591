import { CodePipelineClient, FailureType } from '@aws-sdk/client-codepipeline';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';

/**
 * What can happen to one HTTP attempt of PutJob*Result (design.md §4): throttled or a 5xx (not applied),
 * applied with the answer lost (the connection drops, or it never comes), or no answer at all.
 */
export type ReportFault = 'throttle' | 'server-error' | 'lost-response' | 'timeout' | 'timeout-after-apply';

export const REPORT_FAULTS: readonly ReportFault[] = [
  'throttle',
  'server-error',
  'lost-response',
  'timeout',
  'timeout-after-apply',
];

interface AppliedResult {
  readonly operation: 'PutJobSuccessResult' | 'PutJobFailureResult';
  readonly input: Record<string, unknown>;
  /** Whether the caller got the answer to the attempt that ended the job. */
  readonly answerDelivered: boolean;
}

/**
 * CodePipeline as a real SDK client sees it: a request handler behind the client's own retries that ends
 * the job on the first valid result, answers InvalidJobStateException afterwards, refuses what the API
 * contract refuses (ValidationException, OutputVariablesSizeExceededException), and injects the scheduled
 * fault into each attempt in turn.
 */
export function fakeCodePipeline(schedule: readonly ReportFault[] = []) {
  const applied: AppliedResult[] = [];
  const refusals: string[] = [];
  let attempts = 0;

  const handle = async (
    request: { headers: Record<string, string>; body?: unknown },
    options?: HandleOptions,
  ) => {
    const fault = schedule[attempts];
    attempts += 1;
    const operation = String(request.headers['x-amz-target']).split('.')[1] as AppliedResult['operation'];
    const body =
      typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body as Uint8Array);
    const input = JSON.parse(body) as Record<string, unknown>;
    if (fault === 'throttle') return answer(400, 'ThrottlingException', 'Rate exceeded');
    if (fault === 'server-error') return answer(500, 'InternalFailure', 'internal failure');
    if (fault === 'timeout') return neverAnswer(options);
    if (applied.length > 0) return answer(400, 'InvalidJobStateException', 'The job is not in progress');
    const refusal = refusalOf(operation, input);
    if (refusal) {
      refusals.push(refusal.message);
      return answer(400, refusal.code, refusal.message);
    }
    applied.push({ operation, input, answerDelivered: fault === undefined });
    if (fault === 'lost-response') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    if (fault === 'timeout-after-apply') return neverAnswer(options);
    return answer(200);
  };

  const client = new CodePipelineClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    // The SDK's own retries, without their waits: the schedule decides what happens, not the clock.
    retryStrategy: new ConfiguredRetryStrategy(3, 0),
    requestHandler: { handle } as never,
  });

  return {
    client,
    applied,
    refusals,
    get attempts() {
      return attempts;
    },
  };
}

interface HandleOptions {
  readonly abortSignal?: AbortSignal;
}

function answer(statusCode: number, errorType?: string, message?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  const body = errorType ? JSON.stringify({ __type: errorType, message }) : '{}';
  return Promise.resolve({ response: { statusCode, headers, body: new TextEncoder().encode(body) } });
}

/** Hangs like a connection that never answers, until the caller gives up on it. */
function neverAnswer(options: HandleOptions | undefined) {
  return new Promise<never>((_, reject) => {
    options?.abortSignal?.addEventListener('abort', () =>
      reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })),
    );
  });
}

const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const VARIABLE_KEY = /^[A-Za-z0-9@\-_]+$/;
const FAILURE_TYPES: readonly string[] = Object.values(FailureType);

/** The PutJob*Result contract (botocore codepipeline service-2.json; CodePipeline quotas for the sizes). */
export function refusalOf(
  operation: string,
  input: Record<string, unknown>,
): { code: string; message: string } | undefined {
  const invalid = (message: string) => ({ code: 'ValidationException', message });
  if (typeof input.jobId !== 'string' || !JOB_ID.test(input.jobId)) return invalid('jobId');
  if (operation === 'PutJobFailureResult') {
    const details = input.failureDetails as Record<string, unknown> | undefined;
    if (!FAILURE_TYPES.includes(String(details?.type))) return invalid('failureDetails.type');
    if (!isText(details?.message, 1, 5000)) return invalid('failureDetails.message');
    return undefined;
  }
  const details = (input.executionDetails ?? {}) as Record<string, unknown>;
  if (details.summary !== undefined && !isText(details.summary, 1, 2048)) return invalid('summary');
  const percent = details.percentComplete;
  if (
    percent !== undefined &&
    !(Number.isInteger(percent) && (percent as number) >= 0 && (percent as number) <= 100)
  ) {
    return invalid('percentComplete');
  }
  if (input.continuationToken !== undefined) {
    if (!isText(input.continuationToken, 1, 2048)) return invalid('continuationToken');
    if (input.outputVariables !== undefined) return invalid('outputVariables with a continuation token');
  }
  if (input.outputVariables !== undefined) {
    let size = 0;
    for (const [key, value] of Object.entries(input.outputVariables as Record<string, unknown>)) {
      if (!VARIABLE_KEY.test(key) || typeof value !== 'string') return invalid(`outputVariables.${key}`);
      size += Buffer.byteLength(key) + Buffer.byteLength(value);
    }
    if (size > 122_880) return { code: 'OutputVariablesSizeExceededException', message: `${size} bytes` };
  }
  return undefined;
}

function isText(value: unknown, min: number, max: number): boolean {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}
