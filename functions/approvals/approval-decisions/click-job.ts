import * as z from 'zod/mini';
import type { ClickJob } from '#approvals/ports';
import { describeIssues, MalformedEventError } from '#platform/errors';

const clickJobSchema = z.object({
  approvalId: z.string().check(z.minLength(1)),
  channel: z.optional(z.string()),
  decision: z.object({
    userId: z.string().check(z.minLength(1)),
    userName: z.string(),
    outcome: z.enum(['Approved', 'Rejected']),
    comment: z.optional(z.string()),
    at: z.string(),
    clickId: z.string().check(z.minLength(1)),
  }),
});

/** The job slack-interactions queued; anything else is malformed (a retry cannot fix it). */
export function parseClickJob(event: unknown): ClickJob {
  const parsed = clickJobSchema.safeParse(event);
  if (!parsed.success)
    throw new MalformedEventError(`not a click job: ${describeIssues(parsed.error.issues)}`);
  const { comment, ...decision } = parsed.data.decision;
  return {
    approvalId: parsed.data.approvalId,
    ...(parsed.data.channel ? { channel: parsed.data.channel } : {}),
    decision: { ...decision, ...(comment ? { comment } : {}) },
  };
}
