import * as z from 'zod/mini';
import type { ExecutionQuery } from '#history/adapters/history-store';
import { BadRequestError, describeIssues } from '#platform/errors';

const isoTime = z
  .string()
  .check(z.refine((value) => !Number.isNaN(Date.parse(value)), { message: 'expected ISO-8601' }));

const executionQuery = z.object({
  limit: z.optional(
    z.pipe(
      z.pipe(z.string().check(z.regex(/^\d+$/)), z.transform(Number)),
      z.number().check(z.minimum(1), z.maximum(100)),
    ),
  ),
  cursor: z.optional(z.string()),
  status: z.optional(
    z.enum(['STARTED', 'RESUMED', 'STOPPING', 'SUCCEEDED', 'FAILED', 'STOPPED', 'CANCELED', 'SUPERSEDED']),
  ),
  from: z.optional(isoTime),
  to: z.optional(isoTime),
});

/** `?limit=1..100&cursor=&status=&from=&to=`, with a 400 that names the bad parameter. */
export function parseExecutionQuery(params: Record<string, string | undefined> | undefined): ExecutionQuery {
  const parsed = executionQuery.safeParse(params ?? {});
  if (!parsed.success) throw new BadRequestError(`Invalid query: ${describeIssues(parsed.error.issues)}`);
  const { from, to, ...rest } = parsed.data;
  return {
    ...rest,
    from: from ? new Date(from).toISOString() : undefined,
    to: to ? new Date(to).toISOString() : undefined,
  };
}
