import type * as z from 'zod/mini';
import { executionId as executionIdSchema } from '#events/aws-names';
import { recordedPipelineName } from '#events/ci-pipelines';
import { BadRequestError, describeIssues } from '#platform/errors';

/**
 * The read API's routes. The console page at `/` fetches them under `/api/` (on the Function URL as in local
 * mode); the same paths without the prefix are the API's documented short form.
 */
export type Route =
  | { name: 'listPipelines' }
  | { name: 'listExecutions'; pipeline: string }
  | { name: 'getExecution'; pipeline: string; executionId: string }
  | { name: 'reconcileStatus' }
  | { name: 'doraMetrics' }
  | { name: 'pendingApprovals' }
  | { name: 'rollbacks' }
  | { name: 'console' };

export function matchRoute(method: string, rawPath: string): Route | undefined {
  // HEAD answers as GET does; the HTTP layer leaves the body out.
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  const segments = rawPath
    .replace(/^\/api(?=\/|$)/, '')
    .split('/')
    .filter(Boolean)
    .map(decodePathSegment);
  if (segments.length === 1 && segments[0] === 'reconcile') return { name: 'reconcileStatus' };
  if (segments.length === 0 || (segments.length === 1 && segments[0] === 'console'))
    return { name: 'console' };
  if (segments.length === 1 && segments[0] === 'approvals') return { name: 'pendingApprovals' };
  if (segments.length === 1 && segments[0] === 'rollbacks') return { name: 'rollbacks' };
  if (segments.length === 2 && segments[0] === 'metrics' && segments[1] === 'dora') {
    return { name: 'doraMetrics' };
  }
  if (segments[0] !== 'pipelines') return undefined;
  const [, pipeline, executions, executionId, ...rest] = segments;
  if (rest.length) return undefined;
  if (pipeline === undefined) return { name: 'listPipelines' };
  if (executions !== 'executions') return undefined;
  checkPathParameter('pipeline', recordedPipelineName, pipeline);
  if (executionId === undefined) return { name: 'listExecutions', pipeline };
  checkPathParameter('executionId', executionIdSchema, executionId);
  return { name: 'getExecution', pipeline, executionId };
}

/**
 * A name or id AWS could never have issued is a 400 naming it, not a read: DynamoDB refuses keys over 1 KB with
 * an error that would otherwise surface as a 500.
 */
function checkPathParameter(name: string, schema: z.ZodMiniType<unknown, string>, value: string): void {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new BadRequestError(
      `Invalid path: ${name}: ${describeIssues(parsed.error.issues).replace(/^\(root\): /, '')}`,
    );
  }
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequestError(`Path segment is not valid percent-encoding: ${segment.slice(0, 100)}`);
  }
}
