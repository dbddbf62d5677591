import type { ApprovalView } from '../../../functions/approvals/adapters/approval-messages';

/** A plain approval request the message tests vary one field at a time. */
export const approvalView: ApprovalView = {
  id: 'a1b2c3',
  pipeline: 'web',
  stage: 'Prod',
  action: 'Approve',
  region: 'us-east-1',
  deadline: Date.parse('2026-12-01T10:00:00Z'),
  quorum: 1,
};
