import { type ApprovalResultAnswer, interpretApprovalResultError } from '#approvals/domain/approval-result';
import { approvalSummary, type DecisionOutcome } from '#approvals/domain/decide-approval';
import {
  type ApprovalEnding,
  approvalClosedMessage,
  approvalDecidedMessage,
  type SlackMessage,
} from './approval-messages';
import type { ApprovalRecord, ApprovalStore } from './approval-store';

export interface SendDecisionDependencies {
  store: ApprovalStore;
  putApprovalResult: (record: ApprovalRecord, status: DecisionOutcome, summary: string) => Promise<void>;
  /** Replaces the approval's Slack message; must not throw (a stale message is cosmetic). */
  updateMessage: (record: ApprovalRecord, message: SlackMessage) => Promise<void>;
  now: () => Date;
}

export interface SendDecisionResult {
  answer: ApprovalResultAnswer;
  /**
   * Whether this call recorded the answer (and updated the message). False when someone else settled the
   * approval meanwhile (the action's end event, another resend): their record and message stand.
   */
  recorded: boolean;
  /** What PutApprovalResult threw, unless it was accepted at the first attempt. */
  error?: Error;
}

/**
 * Sends the recorded decision of an APPROVED or REJECTED approval to CodePipeline and records the answer:
 * confirmed (message shows who decided), completed elsewhere or refused (closed, message says why). On
 * `unknown` and `failed` nothing is written: the approval stays unconfirmed and the caller chooses what
 * follows. `sentBefore`: an earlier request with this decision may have reached CodePipeline already.
 */
export async function sendDecision(
  record: ApprovalRecord,
  deps: SendDecisionDependencies,
  sentBefore = false,
): Promise<SendDecisionResult> {
  const status = record.status as 'APPROVED' | 'REJECTED';
  const outcome: DecisionOutcome = status === 'APPROVED' ? 'Approved' : 'Rejected';
  let error: Error | undefined;
  let answer: ApprovalResultAnswer = 'accepted';
  try {
    await deps.putApprovalResult(record, outcome, approvalSummary(record, outcome));
  } catch (thrown) {
    error = thrown as Error;
    answer = interpretApprovalResultError(thrown, sentBefore);
  }
  let recorded = false;
  if (answer === 'accepted') {
    recorded = await deps.store.confirmResult(record, deps.now().toISOString());
    if (recorded) await deps.updateMessage(record, approvalDecidedMessage(record, status, record.decisions));
  } else if (answer === 'completed-elsewhere' || answer === 'refused') {
    const closedAs = answer === 'refused' ? 'EXPIRED' : 'COMPLETED_ELSEWHERE';
    const reason = `${error?.name}: ${error?.message}`;
    recorded = await deps.store.close(record, closedAs, reason, [status]);
    // "Not confirmed" rather than "refused": CodePipeline documents an invalid token as "already received a
    // response or has expired", so after an earlier attempt of ours it may still have taken this decision.
    const at = deps.now().toISOString();
    const ending: ApprovalEnding =
      answer === 'refused'
        ? {
            kind: 'not-confirmed',
            at,
            answer: reason,
            decision: outcome,
            userId: record.decisions.at(-1)?.userId,
          }
        : { kind: 'completed-before-slack', at, answer: reason };
    if (recorded) await deps.updateMessage(record, approvalClosedMessage(record, record.decisions, ending));
  }
  return { answer, recorded, ...(error ? { error } : {}) };
}
