import { approvalRequestMessage, notAnApproverText } from '#approvals/adapters/approval-messages';
import type { ApprovalRecord } from '#approvals/domain/approval-record';
import type { ApprovalsPolicy } from '#approvals/domain/approvals-policy';
import { decideApproval } from '#approvals/domain/decide-approval';
import type { ApprovalStore, ClickJob, SlackApi, SlackUserEmail } from '#approvals/ports';
import { isApprover } from './is-approver';
import { mayApproveThisChange } from './may-approve-this-change';

export interface RecordClickDependencies {
  policy: ApprovalsPolicy;
  store: ApprovalStore;
  slack: () => Promise<SlackApi>;
  /** The clicker's Slack e-mail, for separation of duties (cached users.info). */
  userEmail: SlackUserEmail;
  warn: (message: string, context: Record<string, unknown>) => void;
}

export type ClickOutcome =
  /** This click completed the approval (now, or in an earlier attempt of the same job): settle it. */
  | 'decided'
  /** Recorded towards the quorum. */
  | 'counted'
  | 'duplicate'
  | 'closed'
  | 'not-an-approver'
  /** An approver the rule's separation of duties excludes from approving this change: nothing recorded. */
  | 'not-eligible'
  | 'unknown-approval';

const MAX_ATTEMPTS = 6;

/**
 * Records one click's decision on the approval: authorised against the policy, then a conditional write
 * from PENDING, so of two clicks at once exactly one completes it (a double click, two approvers, a retry).
 * The click's id is stored with the decision: a retried job finds its own earlier write and goes on to
 * settle it instead of reading it as somebody else's ("already approved").
 */
export async function recordClick(job: ClickJob, deps: RecordClickDependencies): Promise<ClickOutcome> {
  const { decision } = job;
  let authorised = false;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const record = await deps.store.get(job.approvalId);
    if (!record) return 'unknown-approval';
    if (!authorised) {
      if (!(await isApprover(deps.policy, await deps.slack(), record, decision.userId))) {
        await tellClicker(deps, job, record, notAnApproverText(record.pipeline, record.stage));
        return 'not-an-approver';
      }
      const eligibility = await mayApproveThisChange(record, decision, deps.userEmail);
      if (!eligibility.eligible) {
        await tellClicker(deps, job, record, eligibility.reason);
        return 'not-eligible';
      }
      authorised = true;
    }
    const result = decideApproval(record, decision);
    if (result.kind === 'recorded-before') return result.status === 'PENDING' ? 'counted' : 'decided';
    if (result.kind === 'closed') {
      await tellClicker(
        deps,
        job,
        record,
        `This approval is already ${result.status.toLowerCase().replace('_', ' ')}.`,
      );
      return 'closed';
    }
    if (result.kind === 'duplicate') {
      await tellClicker(
        deps,
        job,
        record,
        `You already approved; ${record.quorum} distinct approvals are needed.`,
      );
      return 'duplicate';
    }
    if (!(await deps.store.applyDecision(record.id, record.rev, result.next))) continue;
    if (result.kind === 'completed') return 'decided';
    await showQuorumProgress(deps, { ...record, ...result.next, rev: record.rev + 1 });
    return 'counted';
  }
  throw new Error(
    `Gave up recording a decision on approval ${job.approvalId} after ${MAX_ATTEMPTS} conflicting clicks`,
  );
}

/** "Approved so far by …": cosmetic while the approval is pending (the buttons stay either way). */
async function showQuorumProgress(deps: RecordClickDependencies, record: ApprovalRecord) {
  if (!record.messageTs) return;
  try {
    await (await deps.slack()).updateMessage(
      record.channel,
      record.messageTs,
      approvalRequestMessage(record, record.decisions),
    );
  } catch (error) {
    deps.warn('Quorum progress not shown', { approvalId: record.id, error: (error as Error).message });
  }
}

async function tellClicker(
  deps: RecordClickDependencies,
  job: ClickJob,
  record: ApprovalRecord,
  text: string,
) {
  try {
    await (await deps.slack()).postEphemeral(job.channel ?? record.channel, job.decision.userId, text);
  } catch (error) {
    deps.warn('chat.postEphemeral failed', { approvalId: record.id, error: (error as Error).message });
  }
}
