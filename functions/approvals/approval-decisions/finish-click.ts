import type { ClickJob } from '#approvals/ports';
import { type ClickOutcome, type RecordClickDependencies, recordClick } from './record-click';
import { type SettleDependencies, type SettleOutcome, settleApproval } from './settle-approval';

export type FinishClickDependencies = RecordClickDependencies & SettleDependencies;

/**
 * The decision worker's job: what the Slack endpoint acknowledged at once, done now. The click is recorded,
 * and when it completed the approval, the approval is settled under the click's id as its claim token.
 */
export async function finishClick(
  job: ClickJob,
  deps: FinishClickDependencies,
): Promise<{ click: ClickOutcome; settlement?: SettleOutcome }> {
  const click = await recordClick(job, deps);
  if (click !== 'decided') return { click };
  return { click, settlement: await settleApproval(job.approvalId, job.decision.clickId, deps) };
}
