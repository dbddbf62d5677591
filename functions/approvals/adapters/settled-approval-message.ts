import {
  type ApprovalEnding,
  approvalClosedMessage,
  approvalDecidedMessage,
  type SlackMessage,
} from './approval-messages';
import type { ApprovalRecord } from './approval-store';

/** The message a final approval shows, from its record alone, so any later attempt renders the same. */
export function settledApprovalMessage(record: ApprovalRecord): SlackMessage {
  if (record.status === 'APPROVED' || record.status === 'REJECTED') {
    return approvalDecidedMessage(record, record.status, record.decisions);
  }
  if (record.status === 'PENDING') throw new Error(`approval ${record.id} is not settled`);
  return approvalClosedMessage(record, record.decisions, record.ending ?? endingWithoutRecord(record));
}

/** Approvals closed before the ending was stored: what their status and CodePipeline's answer still say. */
function endingWithoutRecord(record: ApprovalRecord): ApprovalEnding {
  return record.status === 'EXPIRED'
    ? { kind: 'timed-out', at: new Date(record.deadline).toISOString() }
    : {
        kind: 'completed-before-slack',
        at: record.decidedAt ?? record.createdAt,
        answer: record.closedReason ?? '',
      };
}
