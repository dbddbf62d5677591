import type { ApprovalStatus } from './decide-approval';

/**
 * How long a claim to send a decision to CodePipeline stays another sender's. Far beyond the worker's own
 * timeout and PutApprovalResult's 5-second budget: an older claim belongs to an invocation that died.
 */
export const SEND_CLAIM_TTL_MS = 2 * 60_000;

/**
 * How long a claim stays untouchable even for its own owner: the worker's timeout (30 s). A retry of the
 * same job comes after the claiming invocation ended (Lambda waits a minute), while a duplicate delivery
 * of the job runs alongside it and must not send a second time.
 */
export const OWN_CLAIM_RESUME_AFTER_MS = 30_000;

export interface SettlementState {
  status: ApprovalStatus;
  /** When CodePipeline accepted the decision. */
  resultSentAt?: string;
  /** Who last claimed sending the decision, and when. */
  sendClaimedBy?: string;
  sendClaimedAt?: string;
  /** The final status the Slack message is confirmed to show. */
  messageShows?: ApprovalStatus;
}

export type SettlementStep =
  /** Nobody decided yet: the buttons stay. */
  | { kind: 'pending' }
  /** Decided, CodePipeline not told for sure: claim the send and call PutApprovalResult. */
  | { kind: 'send' }
  /** Another sender's fresh claim: it finishes, or the schedule takes over once the claim is stale. */
  | { kind: 'wait' }
  /** Final, but the message may still show buttons or progress: replace it and record that it shows. */
  | { kind: 'show'; status: ApprovalStatus }
  | { kind: 'settled' };

export const isDecided = (status: ApprovalStatus) => status === 'APPROVED' || status === 'REJECTED';

/**
 * What is still owed for one approval, in order: CodePipeline told exactly once, then the message showing
 * the final state. `owner` is the caller's claim token: a claim left by a dead attempt is resumed, by its
 * owner once that attempt is certainly over, by anyone once it is stale. A sender that got its answer (or
 * none) releases its claim, so the next attempt need not wait.
 */
export function planSettlement(state: SettlementState, owner: string, nowMs: number): SettlementStep {
  if (state.status === 'PENDING') return { kind: 'pending' };
  if (isDecided(state.status) && state.resultSentAt === undefined) {
    if (!state.sendClaimedAt) return { kind: 'send' };
    const age = nowMs - Date.parse(state.sendClaimedAt);
    const ttl = state.sendClaimedBy === owner ? OWN_CLAIM_RESUME_AFTER_MS : SEND_CLAIM_TTL_MS;
    return age < ttl ? { kind: 'wait' } : { kind: 'send' };
  }
  if (state.messageShows !== state.status) return { kind: 'show', status: state.status };
  return { kind: 'settled' };
}
