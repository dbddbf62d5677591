import {
  ApprovalAlreadyCompletedException,
  InvalidApprovalTokenException,
} from '@aws-sdk/client-codepipeline';
import {
  approvalClosedMessage,
  approvalDecidedMessage,
  approvalRequestMessage,
} from '#lib/approvals/approval-messages';
import { approvalSummary, type Decision, decideApproval } from '#lib/approvals/decide-approval';
import type { SlackApi } from '#lib/slack/slack-client';
import type { ApprovalRecord, ApprovalStore } from '#lib/store/approval-store';

export interface DecisionDependencies {
  store: ApprovalStore;
  slack: SlackApi;
  putApprovalResult: (record: ApprovalRecord, status: Decision['outcome'], summary: string) => Promise<void>;
  warn: (message: string, context: Record<string, unknown>) => void;
}

export type SubmitOutcome =
  | 'approved'
  | 'rejected'
  | 'counted'
  | 'duplicate'
  | 'closed'
  | 'unknown-approval'
  | 'completed-elsewhere'
  | 'expired';

const MAX_ATTEMPTS = 6;

/**
 * Records one user's decision and, if it completes the approval, tells CodePipeline exactly once: only the
 * writer whose conditional update moved the item out of PENDING calls PutApprovalResult. A losing concurrent
 * click re-reads and sees the approval closed (or, under a quorum, adds its approval to the winner's).
 */
export async function submitDecision(
  approvalId: string,
  decision: Decision,
  deps: DecisionDependencies,
): Promise<SubmitOutcome> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const record = await deps.store.get(approvalId);
    if (!record) return 'unknown-approval';
    const result = decideApproval(record, decision);
    if (result.kind === 'closed') {
      await tellUser(
        deps,
        record,
        decision.userId,
        `This approval is already ${result.status.toLowerCase().replace('_', ' ')}.`,
      );
      return 'closed';
    }
    if (result.kind === 'duplicate') {
      await tellUser(
        deps,
        record,
        decision.userId,
        `You already approved; ${record.quorum} distinct approvals are needed.`,
      );
      return 'duplicate';
    }
    if (!(await deps.store.applyDecision(approvalId, record.rev, result.next))) continue;
    const updated = { ...record, ...result.next, rev: record.rev + 1 };
    if (result.kind === 'counted') {
      await updateMessage(deps, updated, approvalRequestMessage(updated, updated.decisions));
      return 'counted';
    }
    return completeInCodePipeline(updated, result.outcome, deps);
  }
  throw new Error(
    `Gave up recording a decision on approval ${approvalId} after ${MAX_ATTEMPTS} conflicting clicks`,
  );
}

async function completeInCodePipeline(
  record: ApprovalRecord,
  outcome: Decision['outcome'],
  deps: DecisionDependencies,
): Promise<SubmitOutcome> {
  try {
    await deps.putApprovalResult(record, outcome, approvalSummary(record, outcome));
  } catch (error) {
    // The approval is final in CodePipeline either way: say so on the message instead of failing the click.
    if (error instanceof ApprovalAlreadyCompletedException) {
      await deps.store.close(record.id, 'COMPLETED_ELSEWHERE', error.name, [record.status]);
      await updateMessage(deps, record, approvalClosedMessage(record, 'COMPLETED_ELSEWHERE'));
      return 'completed-elsewhere';
    }
    if (error instanceof InvalidApprovalTokenException) {
      await deps.store.close(record.id, 'EXPIRED', error.name, [record.status]);
      await updateMessage(deps, record, approvalClosedMessage(record, 'EXPIRED'));
      return 'expired';
    }
    // Anything else (throttling, permissions): reopen so the approver can click again once it is fixed.
    await deps.store.applyDecision(
      record.id,
      record.rev,
      { ...record, status: 'PENDING', decisions: record.decisions.slice(0, -1) },
      record.status,
    );
    throw error;
  }
  await updateMessage(
    deps,
    record,
    approvalDecidedMessage(record, record.status as 'APPROVED' | 'REJECTED', record.decisions),
  );
  return outcome === 'Approved' ? 'approved' : 'rejected';
}

async function updateMessage(
  deps: DecisionDependencies,
  record: ApprovalRecord,
  message: Parameters<SlackApi['updateMessage']>[2],
) {
  if (!record.messageTs) return;
  try {
    await deps.slack.updateMessage(record.channel, record.messageTs, message);
  } catch (error) {
    // The decision is already recorded and sent; a stale message is cosmetic, a failed click is not.
    deps.warn('chat.update failed', { approvalId: record.id, error: (error as Error).message });
  }
}

async function tellUser(deps: DecisionDependencies, record: ApprovalRecord, userId: string, text: string) {
  try {
    await deps.slack.postEphemeral(record.channel, userId, text);
  } catch (error) {
    deps.warn('chat.postEphemeral failed', { approvalId: record.id, error: (error as Error).message });
  }
}
