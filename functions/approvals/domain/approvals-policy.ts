import * as z from 'zod/mini';
import { describeIssues } from '#platform/errors';
import { slackChannelId } from '#platform/slack/slack-ids';

const slackUserId = z.string().check(z.regex(/^[UW][A-Z0-9]{2,}$/));
const slackGroupId = z.string().check(z.regex(/^S[A-Z0-9]{2,}$/));

export const SEPARATION_MODES = ['none', 'starter', 'author', 'author-or-starter'] as const;
const identityKey = z.string().check(z.minLength(1), z.maxLength(2048));
const slackIdentity = z.union([slackUserId, z.email()]);

export const approvalRuleSchema = z.object({
  /** Pipeline name or glob (`*` any characters, `?` one character). */
  pipeline: z.string().check(z.minLength(1)),
  /** Stage name or glob; every stage when omitted. */
  stage: z.optional(z.string().check(z.minLength(1))),
  channel: slackChannelId,
  approvers: z.object({
    users: z._default(z.array(slackUserId), []),
    groups: z._default(z.array(slackGroupId), []),
  }),
  /**
   * Account and region (or globs) of the pipeline; absent: any. Name the account when two accounts have a pipeline
   * of the same name and different people approve them.
   */
  account: z.optional(z.string().check(z.minLength(1), z.maxLength(12), z.regex(/^[0-9*?]+$/))),
  region: z.optional(z.string().check(z.minLength(1), z.maxLength(32), z.regex(/^[a-z0-9*?-]+$/))),
  /** Distinct approvals needed before the pipeline is told "Approved"; one rejection is always enough. */
  quorum: z._default(z.int().check(z.minimum(1), z.maximum(10)), 1),
  /**
   * Who may not approve the change they made or started: the authors of the execution's source commits, the
   * person who started the execution, either, or nobody ("none", the default).
   */
  separationOfDuties: z._default(z.enum(SEPARATION_MODES), 'none'),
  /** When an author cannot be known: "allow" lets every approver approve, "refuse" lets nobody approve in Slack. */
  onUnknownAuthor: z._default(z.enum(['allow', 'refuse']), 'allow'),
  /**
   * Who a principal is in Slack, where their e-mail does not say it: an IAM principal ARN, an IAM user or role
   * session name, or a commit e-mail, to a Slack e-mail or a Slack user id.
   */
  identities: z._default(z.record(identityKey, slackIdentity), {}),
});

export const approvalsPolicySchema = z.object({
  rules: z.array(approvalRuleSchema).check(z.minLength(1)),
});

export type ApprovalRule = z.infer<typeof approvalRuleSchema>;
export type ApprovalsPolicy = z.infer<typeof approvalsPolicySchema>;

export class ApprovalsPolicyError extends Error {
  override name = 'ApprovalsPolicyError';
}

/** Parses the APPROVALS_POLICY JSON; names each bad field so the operator can fix the parameter. */
export function parseApprovalsPolicy(json: string): ApprovalsPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ApprovalsPolicyError(`APPROVALS_POLICY is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = approvalsPolicySchema.safeParse(raw);
  if (!parsed.success) {
    throw new ApprovalsPolicyError(`APPROVALS_POLICY is invalid: ${describeIssues(parsed.error.issues)}`);
  }
  for (const [index, rule] of parsed.data.rules.entries()) {
    if (rule.approvers.users.length === 0 && rule.approvers.groups.length === 0) {
      throw new ApprovalsPolicyError(
        `APPROVALS_POLICY rules.${index}.approvers: name at least one user or group`,
      );
    }
  }
  return parsed.data;
}

/** Where the pipeline is; an unknown account matches only rules that name none. */
export interface PipelinePlace {
  account?: string;
  region?: string;
}

const placeMatches = (pattern: string | undefined, value: string | undefined) =>
  pattern === undefined || (value !== undefined && matchesGlob(pattern, value));

/**
 * The first rule (in file order) whose pipeline, stage, account and region patterns match; undefined means nobody
 * may approve.
 */
export function findApprovalRule(
  policy: ApprovalsPolicy,
  pipeline: string,
  stage: string,
  place: PipelinePlace = {},
): ApprovalRule | undefined {
  return policy.rules.find(
    (rule) =>
      matchesGlob(rule.pipeline, pipeline) &&
      (rule.stage === undefined || matchesGlob(rule.stage, stage)) &&
      placeMatches(rule.account, place.account) &&
      placeMatches(rule.region, place.region),
  );
}

/**
 * Whether a Slack user may decide this pipeline stage's approval. `userGroups` are the ids of the user groups
 * the user belongs to (resolved by the caller, usergroups:read); a user listed by id needs no lookup.
 */
export function mayApprove(
  policy: ApprovalsPolicy,
  userId: string,
  userGroups: readonly string[],
  pipeline: string,
  stage: string,
  place: PipelinePlace = {},
): boolean {
  const rule = findApprovalRule(policy, pipeline, stage, place);
  if (!rule) return false;
  return (
    rule.approvers.users.includes(userId) || userGroups.some((group) => rule.approvers.groups.includes(group))
  );
}

export function matchesGlob(pattern: string, value: string): boolean {
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(value);
}
