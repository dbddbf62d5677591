export type ApprovalStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'COMPLETED_ELSEWHERE' | 'EXPIRED';
export type DecisionOutcome = 'Approved' | 'Rejected';

export interface Decision {
  userId: string;
  userName: string;
  outcome: DecisionOutcome;
  comment?: string;
  at: string;
  /**
   * The Slack interaction that made this decision (its action_ts or view id): the owner token that lets a
   * retried worker recognise the decision it recorded before it died, instead of reading it as somebody else's.
   */
  clickId?: string;
}

export interface ApprovalState {
  status: ApprovalStatus;
  quorum: number;
  decisions: Decision[];
}

export type DecisionResult =
  /** Recorded, quorum not reached yet. */
  | { kind: 'counted'; next: ApprovalState; approvals: number; quorum: number }
  /** This decision completes the approval: the caller must tell CodePipeline (exactly once). */
  | { kind: 'completed'; next: ApprovalState; outcome: DecisionOutcome }
  /** The same user already approved: a second approval by one person never counts twice. */
  | { kind: 'duplicate' }
  /** Already decided, expired or completed outside Slack: nothing changes. */
  | { kind: 'closed'; status: ApprovalStatus }
  /** This very click was recorded by an earlier attempt: nothing to write, only its follow-up to finish. */
  | { kind: 'recorded-before'; status: ApprovalStatus };

/**
 * The approval's state machine. PENDING becomes APPROVED when `quorum` distinct users approved, and REJECTED
 * on the first rejection (one objection is enough to stop a deployment). Every other state is final.
 */
export function decideApproval(state: ApprovalState, decision: Decision): DecisionResult {
  if (
    decision.clickId &&
    state.decisions.some((d) => d.clickId === decision.clickId && d.userId === decision.userId)
  ) {
    return { kind: 'recorded-before', status: state.status };
  }
  if (state.status !== 'PENDING') return { kind: 'closed', status: state.status };
  if (decision.outcome === 'Rejected') {
    return {
      kind: 'completed',
      outcome: 'Rejected',
      next: { ...state, status: 'REJECTED', decisions: [...state.decisions, decision] },
    };
  }
  if (state.decisions.some((d) => d.userId === decision.userId && d.outcome === 'Approved')) {
    return { kind: 'duplicate' };
  }
  const decisions = [...state.decisions, decision];
  const approvals = new Set(decisions.filter((d) => d.outcome === 'Approved').map((d) => d.userId)).size;
  if (approvals >= state.quorum) {
    return { kind: 'completed', outcome: 'Approved', next: { ...state, status: 'APPROVED', decisions } };
  }
  return { kind: 'counted', next: { ...state, decisions }, approvals, quorum: state.quorum };
}

/** PutApprovalResult's summary: names the Slack user(s) and the comment, within CodePipeline's 512 characters. */
export function approvalSummary(state: ApprovalState, outcome: DecisionOutcome): string {
  const deciders = state.decisions
    .filter((d) => d.outcome === outcome)
    .map((d) => `${d.userName} (${d.userId})${d.comment ? `: ${d.comment}` : ''}`);
  const summary = `${outcome} via Slack by ${deciders.join('; ')}`;
  return summary.length <= 512 ? summary : `${summary.slice(0, 511)}…`;
}
