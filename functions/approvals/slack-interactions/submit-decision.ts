import { approvalRequestMessage, decisionNotTakenText } from '#approvals/adapters/approval-messages';
import type { ApprovalRecord, ApprovalStore } from '#approvals/adapters/approval-store';
import { type SendDecisionDependencies, sendDecision } from '#approvals/adapters/send-decision';
import { type Decision, decideApproval } from '#approvals/domain/decide-approval';
import type { SlackApi } from '#platform/slack/slack-client';

export interface DecisionDependencies {
  store: ApprovalStore;
  slack: SlackApi;
  putApprovalResult: SendDecisionDependencies['putApprovalResult'];
  now: () => Date;
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
  | 'expired'
  /** Recorded, but CodePipeline's answer did not arrive: the reminders schedule sends it again. */
  | 'unconfirmed';

const MAX_ATTEMPTS = 6;

/**
 * Records one user's decision and, if it completes the approval, tells CodePipeline exactly once: only the
 * writer whose conditional update moved the item out of PENDING calls PutApprovalResult. A losing concurrent
 * click re-reads and sees the approval closed (or, under a quorum, adds its approval to the winner's).
 * Until CodePipeline's answer is recorded the decision is unconfirmed; if this invocation never records it,
 * the reminders schedule sends it again (redrive-decisions).
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

const SUBMIT_OUTCOME = {
  'completed-elsewhere': 'completed-elsewhere',
  refused: 'expired',
  unknown: 'unconfirmed',
} as const;

async function completeInCodePipeline(
  record: ApprovalRecord,
  outcome: Decision['outcome'],
  deps: DecisionDependencies,
): Promise<SubmitOutcome> {
  const { answer, error } = await sendDecision(record, {
    ...deps,
    updateMessage: (approval, message) => updateMessage(deps, approval, message),
  });
  if (answer === 'accepted') return outcome === 'Approved' ? 'approved' : 'rejected';
  if (answer === 'failed') {
    // CodePipeline refused for another reason (throttling, permissions) and certainly did not take the
    // decision: reopen so the approver can click again once it is fixed.
    await deps.store.reopen(record);
    // The failed request still answers Slack with an error; this says why and that a new click is safe.
    await tellUser(
      deps,
      record,
      record.decisions.at(-1)?.userId ?? '',
      decisionNotTakenText(`${error?.name}: ${error?.message}`),
    );
    throw error;
  }
  if (answer === 'unknown') {
    // It may have arrived: a second click could not tell either, so the decision stays recorded and the
    // reminders schedule sends it again (the docs' failure modes say when).
    deps.warn('PutApprovalResult unanswered; left for the reminders schedule', {
      approvalId: record.id,
      error: error?.message,
    });
    await tellUser(
      deps,
      record,
      record.decisions.at(-1)?.userId ?? '',
      'Your decision is recorded, but CodePipeline did not answer in time; it is sent again within about 7 minutes.',
    );
  }
  return SUBMIT_OUTCOME[answer];
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
