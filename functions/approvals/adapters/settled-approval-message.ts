import { approvalClosedMessage, approvalDecidedMessage, type SlackMessage } from './approval-messages';
import type { ApprovalRecord } from './approval-store';

/** The message a final approval shows, from its record alone, so any later attempt renders the same. */
export function settledApprovalMessage(record: ApprovalRecord): SlackMessage {
  if (record.status === 'APPROVED' || record.status === 'REJECTED') {
    return approvalDecidedMessage(record, record.status, record.decisions);
  }
  if (record.status === 'PENDING') throw new Error(`approval ${record.id} is not settled`);
  return approvalClosedMessage(record, record.status, record.closedDetail, record.unconfirmedDecision);
}
