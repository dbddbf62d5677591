import { type SettleDependencies, settleApproval } from '#approvals/approval-decisions/settle-approval';
import { SEND_CLAIM_TTL_MS } from '#approvals/domain/plan-settlement';

export type SettleOwedDependencies = SettleDependencies;

export interface SettleOwedOutcome {
  /** CodePipeline has the recorded decision now, or closed it with its answer. */
  sent: string[];
  /** The message now shows the final state. */
  shown: string[];
  /** Still owed (no answer, Slack down): the next run tries again. */
  owed: string[];
}

/**
 * The backstop after the decision worker and its retries: every approval that still owes something is
 * settled again. Decisions unconfirmed for longer than a send claim lives (the worker died, or CodePipeline
 * never answered) are sent again under this run's claim; final approvals whose message is not confirmed
 * to show it get their message again. Both lists are small GSI2 partitions, never a scan.
 */
export async function settleOwedApprovals(deps: SettleOwedDependencies): Promise<SettleOwedOutcome> {
  const now = deps.now();
  const owner = `schedule:${now.toISOString()}`;
  const unconfirmed = await deps.store.unconfirmedSince(new Date(now.getTime() - SEND_CLAIM_TTL_MS));
  const outcome: SettleOwedOutcome = { sent: [], shown: [], owed: [] };
  for (const record of unconfirmed) {
    await settleOne(record.id, owner, deps, outcome.sent, outcome);
  }
  for (const record of await deps.store.staleMessagesSince(now)) {
    await settleOne(record.id, owner, deps, outcome.shown, outcome);
  }
  return outcome;
}

async function settleOne(
  approvalId: string,
  owner: string,
  deps: SettleOwedDependencies,
  done: string[],
  outcome: SettleOwedOutcome,
) {
  try {
    const settled = await settleApproval(approvalId, owner, deps);
    if (settled.state === 'settled' && !done.includes(approvalId)) done.push(approvalId);
  } catch (error) {
    // One approval's outage must not stop the others; it stays listed for the next run.
    outcome.owed.push(approvalId);
    deps.warn('Approval still owes an act', { approvalId, error: (error as Error).message });
  }
}
