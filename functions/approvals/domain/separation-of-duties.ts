import type { ApprovalRule, SEPARATION_MODES } from './approvals-policy';
import type { ChangeParties } from './change-parties';

export type SeparationMode = (typeof SEPARATION_MODES)[number];

/** One person who may not approve, and why. */
export interface Exclusion {
  reason: 'author' | 'starter';
  /** Who, as the change names them: a commit e-mail or an IAM principal ARN. */
  who: string;
  /** The commit they wrote, for an author. */
  commitId?: string;
  /** How they are recognised in Slack: a user id (identities map) or an e-mail (lower-cased). */
  slackUserId?: string;
  email?: string;
}

/** What a rule's separation of duties decided for one approval; stored with it, shown in its message. */
export interface Separation {
  mode: Exclude<SeparationMode, 'none'>;
  excluded: Exclusion[];
  /**
   * Somebody the rule must exclude cannot be recognised (an author not known, a starter without a Slack
   * identity): why, and what the rule's onUnknownAuthor decided.
   */
  unknown?: { reasons: string[]; outcome: 'allow' | 'refuse' };
  /**
   * The rule's onUnknownAuthor, also for an approver Slack shows no e-mail for (a hidden profile, an app without
   * `users:read.email`): such a click cannot be told apart from an excluded author's. Absent on separations
   * stored before it was recorded: allowed, as they were.
   */
  onUnknownApprover?: 'allow' | 'refuse';
  /** The starter mode found no person who started the execution (a source change, a schedule): how it started. */
  startedWithoutPerson?: string;
}

export type Eligibility = { eligible: true } | { eligible: false; reason: string };

type SeparationRule = Pick<ApprovalRule, 'separationOfDuties' | 'onUnknownAuthor' | 'identities'>;

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;

/**
 * Who may not approve this change under the rule: its commits' authors, the person who started it, or both.
 * A person is recognised in Slack through the rule's identities map (looked up case-insensitively by the
 * principal ARN, the user or session name, or the commit e-mail), else by an e-mail the change itself
 * carries. Undefined when the rule separates nothing.
 */
export function decideSeparation(rule: SeparationRule, parties: ChangeParties): Separation | undefined {
  const mode = rule.separationOfDuties;
  if (mode === 'none') return undefined;
  const excluded: Exclusion[] = [];
  const reasons: string[] = [];
  let startedWithoutPerson: string | undefined;
  if (mode === 'author' || mode === 'author-or-starter') {
    if (parties.authors.length === 0) reasons.push('no source commit of this execution is recorded');
    for (const author of parties.authors) {
      const { email } = author;
      if (!email) {
        reasons.push(
          `the author of commit ${author.commitId.slice(0, 12)} is not known (${author.unknownBecause ?? 'not read'})`,
        );
        continue;
      }
      // Only authors are excluded so far: the starter comes after them.
      if (excluded.some((e) => e.who.toLowerCase() === email.toLowerCase())) continue;
      excluded.push({
        reason: 'author',
        who: email,
        commitId: author.commitId,
        ...slackIdentity(rule.identities, [email], email),
      });
    }
  }
  if (mode === 'starter' || mode === 'author-or-starter') {
    const { starter } = parties;
    if (!starter) {
      startedWithoutPerson = parties.trigger ?? 'an unrecorded trigger';
    } else {
      const emailInName = starter.name && EMAIL.test(starter.name) ? starter.name : undefined;
      const identity = slackIdentity(rule.identities, [starter.principal, starter.name], emailInName);
      if (identity.slackUserId || identity.email) {
        excluded.push({ reason: 'starter', who: starter.principal, ...identity });
      } else {
        reasons.push(
          `${starter.principal} started this execution and has no Slack identity (add it to identities)`,
        );
      }
    }
  }
  return {
    mode,
    excluded,
    onUnknownApprover: rule.onUnknownAuthor,
    ...(reasons.length > 0 ? { unknown: { reasons, outcome: rule.onUnknownAuthor } } : {}),
    ...(startedWithoutPerson ? { startedWithoutPerson } : {}),
  };
}

/** The Slack identity of a person known by these keys: the identities map first, the fallback e-mail second. */
function slackIdentity(
  identities: Record<string, string>,
  keys: readonly (string | undefined)[],
  fallbackEmail: string | undefined,
): Pick<Exclusion, 'slackUserId' | 'email'> {
  const byKey = new Map(Object.entries(identities).map(([key, value]) => [key.toLowerCase(), value]));
  const mapped = keys.map((key) => key && byKey.get(key.toLowerCase())).find(Boolean);
  if (mapped) return SLACK_USER_ID.test(mapped) ? { slackUserId: mapped } : { email: mapped.toLowerCase() };
  return fallbackEmail ? { email: fallbackEmail.toLowerCase() } : {};
}

/**
 * Whether one Slack user may approve under the separation decided for the approval. `email` is the user's
 * Slack e-mail (compared case-insensitively), absent when Slack has none. Rejecting is never refused: one
 * objection, even the author's own, is always enough to stop a change.
 */
export function decideEligibility(
  separation: Separation | undefined,
  approver: { userId: string; email?: string },
): Eligibility {
  if (!separation) return { eligible: true };
  const email = approver.email?.toLowerCase();
  const match = separation.excluded.find(
    (e) => e.slackUserId === approver.userId || (email !== undefined && e.email === email),
  );
  if (match) return { eligible: false, reason: exclusionReason(match) };
  if (email === undefined && needsApproverEmail(separation) && separation.onUnknownApprover === 'refuse') {
    return {
      eligible: false,
      reason:
        'Slack shows no e-mail address for you, so this approval rule cannot tell whether you wrote or started this change, and it refuses approval when it cannot tell. Another approver must approve it; you may still reject it.',
    };
  }
  if (separation.unknown?.outcome === 'refuse') {
    return {
      eligible: false,
      reason: `Nobody may approve this change in Slack: ${separation.unknown.reasons.join('; ')}, and this approval rule refuses approval when it cannot tell who made or started the change. Approve in the CodePipeline console if you are allowed to; rejecting here still works.`,
    };
  }
  return { eligible: true };
}

export function exclusionReason(exclusion: Exclusion): string {
  return exclusion.reason === 'author'
    ? `You wrote ${exclusion.commitId ? `commit ${exclusion.commitId.slice(0, 12)}` : 'a commit'} of this change, and this approval rule does not let an author approve their own change. Another approver must approve it; you may still reject it.`
    : 'You started this pipeline execution, and this approval rule does not let whoever started a change approve it. Another approver must approve it; you may still reject it.';
}

/** Whether the clicker's Slack e-mail is needed to decide (an exclusion known by e-mail only). */
export const needsApproverEmail = (separation: Separation | undefined) =>
  separation?.excluded.some((e) => e.email !== undefined) ?? false;
