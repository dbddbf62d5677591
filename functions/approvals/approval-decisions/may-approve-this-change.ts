import type { ApprovalRecord } from '#approvals/domain/approval-record';
import type { Decision } from '#approvals/domain/decide-approval';
import {
  decideEligibility,
  type Eligibility,
  needsApproverEmail,
} from '#approvals/domain/separation-of-duties';
import type { SlackUserEmail } from '#approvals/ports';

/**
 * Whether this approver may approve this change under the separation decided when it was requested. Only an
 * approval is checked (anyone the rule names may reject), and the clicker's Slack e-mail is looked up only
 * when an excluded person is known by e-mail. A failed lookup is thrown: the worker's retry asks again.
 */
export async function mayApproveThisChange(
  record: Pick<ApprovalRecord, 'separation'>,
  decision: Pick<Decision, 'userId' | 'outcome'>,
  userEmail: SlackUserEmail,
): Promise<Eligibility> {
  if (decision.outcome !== 'Approved' || !record.separation) return { eligible: true };
  const email = needsApproverEmail(record.separation) ? await userEmail(decision.userId) : undefined;
  return decideEligibility(record.separation, { userId: decision.userId, ...(email ? { email } : {}) });
}
