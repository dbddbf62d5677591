import * as z from 'zod/mini';
import type { ExecutionQuery } from '#history/adapters/history-store';
import { BadRequestError, describeIssues } from '#platform/errors';
import { queryTime, queryTimeMillis } from './query-time';

const executionQuery = z.object({
  limit: z.optional(
    z.pipe(
      z.pipe(z.string().check(z.regex(/^\d+$/)), z.transform(Number)),
      z.number().check(z.minimum(1), z.maximum(100)),
    ),
  ),
  // Cursors this API hands out are a few hundred characters.
  cursor: z.optional(z.string().check(z.maxLength(2048, 'expected a cursor this API returned'))),
  status: z.optional(
    z.enum(['STARTED', 'RESUMED', 'STOPPING', 'SUCCEEDED', 'FAILED', 'STOPPED', 'CANCELED', 'SUPERSEDED']),
  ),
  from: z.optional(queryTime),
  to: z.optional(queryTime),
});

/** `?limit=1..100&cursor=&status=&from=&to=`, with a 400 that names the bad parameter. */
export function parseExecutionQuery(params: Record<string, string | undefined> | undefined): ExecutionQuery {
  const parsed = executionQuery.safeParse(params ?? {});
  if (!parsed.success) throw new BadRequestError(`Invalid query: ${describeIssues(parsed.error.issues)}`);
  const { from, to, ...rest } = parsed.data;
  const fromMillis = from === undefined ? undefined : queryTimeMillis(from);
  const toMillis = to === undefined ? undefined : queryTimeMillis(to);
  // DynamoDB refuses a BETWEEN whose bounds are inverted: a 400 here, not its ValidationException as a 500.
  if (fromMillis !== undefined && toMillis !== undefined && fromMillis > toMillis) {
    throw new BadRequestError('Invalid query: from: must be before to');
  }
  return {
    ...rest,
    from: fromMillis === undefined ? undefined : new Date(fromMillis).toISOString(),
    to: toMillis === undefined ? undefined : new Date(toMillis).toISOString(),
  };
}
