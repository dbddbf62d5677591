import { approvalInProgressMessage } from '#approvals/adapters/approval-progress-message';
import { settledApprovalMessage } from '#approvals/adapters/settled-approval-message';
import type { ApprovalEnding, ApprovalRecord } from '#approvals/domain/approval-record';
import { type ApprovalResultAnswer, interpretApprovalResultError } from '#approvals/domain/approval-result';
import { approvalSummary, type DecisionOutcome } from '#approvals/domain/decide-approval';
import { planSettlement } from '#approvals/domain/plan-settlement';
import type { ApprovalStore, PutApprovalResult, SlackApi } from '#approvals/ports';

export interface SettleDependencies {
  store: ApprovalStore;
  slack: () => Promise<SlackApi>;
  putApprovalResult: PutApprovalResult;
  now: () => Date;
  warn: (message: string, context: Record<string, unknown>) => void;
}

export interface SettleOutcome {
  approvalId: string;
  state: 'unknown-approval' | 'pending' | 'in-flight-elsewhere' | 'settled';
  /** CodePipeline's answer, when this call sent the decision. */
  answer?: ApprovalResultAnswer;
}

/**
 * Thrown when something owed could not be done now: CodePipeline gave no usable answer, or Slack did not
 * take the final message. The approval stays where the next attempt finds it (a Lambda retry of the
 * worker, the reminders schedule), so throwing is the retry request, never a lost decision.
 */
export class SettlementIncompleteError extends Error {
  override name = 'SettlementIncompleteError';
}

// send → show → settled, plus a re-read after each lost race: a handful of steps always suffices.
const MAX_STEPS = 6;

/**
 * Drives one approval to its end: the recorded decision claimed, sent to CodePipeline and its answer
 * recorded (exactly one PutApprovalResult that counts), then the message replaced by the final state and
 * that confirmed. Every step re-reads the approval and asks planSettlement what is owed, so an attempt
 * after any crash resumes where the last one stopped. `owner` is this attempt's claim token (the click id
 * for the worker, the run for the schedule).
 */
export async function settleApproval(
  approvalId: string,
  owner: string,
  deps: SettleDependencies,
): Promise<SettleOutcome> {
  let answer: ApprovalResultAnswer | undefined;
  for (let step = 0; step < MAX_STEPS; step++) {
    const record = await deps.store.get(approvalId);
    if (!record) return { approvalId, state: 'unknown-approval' };
    const plan = planSettlement(record, owner, deps.now().getTime());
    const done = (state: SettleOutcome['state']): SettleOutcome => ({
      approvalId,
      state,
      ...(answer ? { answer } : {}),
    });
    if (plan.kind === 'pending') return done('pending');
    if (plan.kind === 'wait') return done('in-flight-elsewhere');
    if (plan.kind === 'settled') return done('settled');
    if (plan.kind === 'send') answer = (await sendDecision(record, owner, deps)) ?? answer;
    else await showSettledMessage(record, deps);
  }
  throw new SettlementIncompleteError(`approval ${approvalId} changed under every step; left for a retry`);
}

/** One claimed PutApprovalResult and its recorded answer; undefined when the claim was lost (re-read). */
async function sendDecision(
  record: ApprovalRecord,
  owner: string,
  deps: SettleDependencies,
): Promise<ApprovalResultAnswer | undefined> {
  const at = deps.now().toISOString();
  if (!(await deps.store.claimSend(record, owner, at))) return undefined;
  // A claim before this one means a request of ours may already have reached CodePipeline (a version
  // without the counter always sent inline), which is how "already completed" reads as our own success.
  const sentBefore = record.sendAttempts === undefined || record.sendAttempts > 0;
  const status = record.status as 'APPROVED' | 'REJECTED';
  const claimed: ApprovalRecord = {
    ...record,
    rev: record.rev + 1,
    sendClaimedBy: owner,
    sendClaimedAt: at,
    sendAttempts: (record.sendAttempts ?? 0) + 1,
  };
  if (!sentBefore) await showProgress(claimed, status, deps);
  const outcome: DecisionOutcome = status === 'APPROVED' ? 'Approved' : 'Rejected';
  let error: Error | undefined;
  let answer: ApprovalResultAnswer = 'accepted';
  try {
    await deps.putApprovalResult(claimed, outcome, approvalSummary(claimed, outcome));
  } catch (thrown) {
    error = thrown as Error;
    answer = interpretApprovalResultError(thrown, sentBefore);
  }
  if (answer === 'accepted') {
    await deps.store.confirmResult(claimed, deps.now().toISOString());
  } else if (answer === 'completed-elsewhere' || answer === 'refused') {
    const reason = `${error?.name}: ${error?.message}`;
    const at = deps.now().toISOString();
    const userId = claimed.decisions.at(-1)?.userId;
    // "Not confirmed" rather than "refused": CodePipeline documents an invalid token as "already received
    // a response or has expired", so after an earlier attempt of ours it may still have taken this decision.
    const ending: ApprovalEnding =
      answer === 'refused'
        ? { kind: 'not-confirmed', at, answer: reason, decision: outcome, ...(userId ? { userId } : {}) }
        : { kind: 'completed-before-slack', at, answer: reason };
    await deps.store.close(
      claimed,
      answer === 'refused' ? 'EXPIRED' : 'COMPLETED_ELSEWHERE',
      reason,
      [status],
      ending,
      at,
    );
  } else {
    // Unknown (it may have arrived) or failed (throttled, not permitted): the decision stays recorded; the
    // next attempt sends it again and reads "already completed" as this one's success. The claim is
    // released (if that write fails, the claim simply turns stale).
    await deps.store.releaseSend(claimed).catch(() => false);
    throw new SettlementIncompleteError(
      `PutApprovalResult for approval ${record.id} ${answer === 'unknown' ? 'unanswered' : 'failed'}: ${error?.name}: ${error?.message}`,
    );
  }
  return answer;
}

/** "Approving… by @alice" while CodePipeline is told: cosmetic, so a failure only costs the progress. */
async function showProgress(
  record: ApprovalRecord,
  status: 'APPROVED' | 'REJECTED',
  deps: SettleDependencies,
) {
  if (!record.messageTs) return;
  try {
    await (await deps.slack()).updateMessage(
      record.channel,
      record.messageTs,
      approvalInProgressMessage(record, status, record.decisions),
    );
  } catch (error) {
    deps.warn('Progress message not shown', { approvalId: record.id, error: (error as Error).message });
  }
}

/**
 * Replaces the message by the final state and records that Slack took it. A failed chat.update is thrown:
 * the approval stays among the stale messages, so a retry or the schedule replaces it later.
 */
async function showSettledMessage(record: ApprovalRecord, deps: Pick<SettleDependencies, 'store' | 'slack'>) {
  if (record.messageTs) {
    try {
      await (await deps.slack()).updateMessage(
        record.channel,
        record.messageTs,
        settledApprovalMessage(record),
      );
    } catch (error) {
      throw new SettlementIncompleteError(
        `chat.update of approval ${record.id} failed: ${(error as Error).message}`,
      );
    }
  }
  await deps.store.markMessageShown(record);
}

/**
 * For callers that only close approvals (the action's end event): shows the final state of an approval
 * they just settled. Best effort: a failure is logged and left to the reminders schedule's next run.
 */
export async function showFinalState(
  approvalId: string,
  deps: Pick<SettleDependencies, 'store' | 'slack' | 'now' | 'warn'>,
): Promise<void> {
  try {
    const record = await deps.store.get(approvalId);
    if (!record) return;
    if (planSettlement(record, '', deps.now().getTime()).kind === 'show')
      await showSettledMessage(record, deps);
  } catch (error) {
    deps.warn('Final state not shown yet; left for the schedule', {
      approvalId,
      error: (error as Error).message,
    });
  }
}
