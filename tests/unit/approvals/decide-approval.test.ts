import { describe, expect, it } from 'vitest';
import {
  type ApprovalState,
  approvalSummary,
  type Decision,
  decideApproval,
} from '../../../functions/approvals/domain/decide-approval';

const pending = (quorum: number, decisions: Decision[] = []): ApprovalState => ({
  status: 'PENDING',
  quorum,
  decisions,
});
const approve = (userId: string, comment?: string): Decision => ({
  userId,
  userName: userId.toLowerCase(),
  outcome: 'Approved',
  at: '2026-11-24T18:00:00.000Z',
  ...(comment ? { comment } : {}),
});
const reject = (userId: string, comment: string): Decision => ({
  ...approve(userId),
  outcome: 'Rejected',
  comment,
});

describe('decideApproval', () => {
  it('recognises its own click recorded before (a retried job), even once the approval is decided', () => {
    const click = { ...approve('U1'), clickId: 'trigger-1' };
    const first = decideApproval(pending(1), click);
    if (first.kind !== 'completed') throw new Error('expected completed');
    expect(decideApproval(first.next, click)).toEqual({ kind: 'recorded-before', status: 'APPROVED' });
    // Another user's click that happens to carry the same id is not this one.
    expect(decideApproval(first.next, { ...approve('U2'), clickId: 'trigger-1' })).toEqual({
      kind: 'closed',
      status: 'APPROVED',
    });
  });

  it('completes a quorum-1 approval on the first approval', () => {
    expect(decideApproval(pending(1), approve('U1'))).toMatchObject({
      kind: 'completed',
      outcome: 'Approved',
    });
  });

  it('needs two distinct users for a quorum of 2', () => {
    const first = decideApproval(pending(2), approve('U1'));
    expect(first).toMatchObject({ kind: 'counted', approvals: 1, quorum: 2 });
    if (first.kind !== 'counted') throw new Error('expected counted');
    expect(decideApproval(first.next, approve('U1'))).toEqual({ kind: 'duplicate' });
    expect(decideApproval(first.next, approve('U2'))).toMatchObject({
      kind: 'completed',
      outcome: 'Approved',
      next: { status: 'APPROVED' },
    });
  });

  it('rejects on the first rejection, even after partial approvals', () => {
    const result = decideApproval(pending(3, [approve('U1')]), reject('U2', 'breaks checkout'));
    expect(result).toMatchObject({ kind: 'completed', outcome: 'Rejected', next: { status: 'REJECTED' } });
  });

  it.each(['APPROVED', 'REJECTED', 'EXPIRED', 'COMPLETED_ELSEWHERE'] as const)(
    'changes nothing once %s',
    (status) => {
      expect(decideApproval({ status, quorum: 1, decisions: [] }, approve('U1'))).toEqual({
        kind: 'closed',
        status,
      });
    },
  );
});

describe('approvalSummary', () => {
  it('names the Slack users and their comments', () => {
    const state = pending(2, [approve('U1', 'lgtm'), approve('U2')]);
    expect(approvalSummary(state, 'Approved')).toBe('Approved via Slack by u1 (U1): lgtm; u2 (U2)');
  });

  it("stays within CodePipeline's 512 characters", () => {
    const state = pending(1, [reject('U1', 'x'.repeat(2000))]);
    expect(approvalSummary(state, 'Rejected')).toHaveLength(512);
  });
});
