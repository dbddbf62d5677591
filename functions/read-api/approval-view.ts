import type { ApprovalRecord } from '#approvals/domain/approval-record';

/**
 * What the read API shows of an approval: everything but the CodePipeline token, which is a credential, and the
 * review link, which CodePipeline builds with the token in it (`…/approve/<token>`); `consoleLink` stays. The
 * deadline is stored as epoch milliseconds (the schedule compares numbers) and shown as ISO, like every other
 * time the API answers. An approval without an account is the hub's (`hub`).
 */
export function approvalView(record: ApprovalRecord, hub?: { account: string }) {
  const { token: _token, rev: _rev, reviewLink: _reviewLink, deadline, ...view } = record;
  // A request without an account came through the hub's own topic: name it, so every approval has its place.
  const account = record.account ?? hub?.account;
  return { ...view, ...(account ? { account } : {}), deadline: new Date(deadline).toISOString() };
}
