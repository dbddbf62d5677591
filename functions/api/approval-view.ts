import type { ApprovalRecord } from '#lib/store/approval-store';

/** What the read API shows of an approval: everything but the CodePipeline token, which is a credential. */
export function approvalView(record: ApprovalRecord) {
  const { token: _token, rev: _rev, ...view } = record;
  return view;
}
