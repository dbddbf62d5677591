import * as z from 'zod/mini';
import { recordedAccount, recordedRegion } from '#events/ci-pipelines';
import type { ExecutionQuery, Scope } from '#history/adapters/history-store';
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
  // Which pipeline of that name: absent, the one the catalog knows (or the hub's own).
  account: z.optional(recordedAccount),
  region: z.optional(recordedRegion),
});

/** An execution query plus the account and region that name the pipeline. */
export type PipelineQuery = ExecutionQuery & Partial<Scope>;

/** `?limit=1..100&cursor=&status=&from=&to=&account=&region=`, with a 400 that names the bad parameter. */
export function parseExecutionQuery(params: Record<string, string | undefined> | undefined): PipelineQuery {
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
