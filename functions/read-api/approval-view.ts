import type { ApprovalRecord } from '#approvals/domain/approval-record';

/**
 * What the read API shows of an approval: everything but the CodePipeline token, which is a credential, and the
 * review link, which CodePipeline builds with the token in it (`…/approve/<token>`); `consoleLink` stays.
 */
export function approvalView(record: ApprovalRecord) {
  const { token: _token, rev: _rev, reviewLink: _reviewLink, ...view } = record;
  return view;
}
