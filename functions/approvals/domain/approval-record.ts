import type { ApprovalState, ApprovalStatus, DecisionOutcome } from './decide-approval';
import type { Separation } from './separation-of-duties';

/** What CodePipeline's notification says of one manual-approval request, and our id for it. */
export interface ApprovalRequest {
  id: string;
  pipeline: string;
  stage: string;
  action: string;
  region: string;
  /** The pipeline's account, when it is known (the notification's topic); absent: the hub's own. */
  account?: string;
  deadline: number;
  quorum: number;
  customData?: string;
  reviewLink?: string;
  externalEntityLink?: string;
  consoleLink?: string;
  revision?: { commitId: string; summary?: string };
  /** Who may not approve this change and why (the rule's separation of duties); absent: anyone the rule names. */
  separation?: Separation;
}

/** One approval request. The token stays here: Slack only ever sees `id`. */
export interface ApprovalRecord extends ApprovalRequest, ApprovalState {
  token: string;
  channel: string;
  /** The Slack message's `ts`, once posted. */
  messageTs?: string;
  /** The invocation that last claimed posting the request, and until when its claim holds. */
  postClaimedBy?: string;
  postLeaseUntil?: string;
  /** When the post was first claimed: an earlier post, if any, is in the channel since then. */
  firstPostClaimedAt?: string;
  createdAt: string;
  remindedAt?: string;
  /** When the decision that completed the approval was recorded (APPROVED/REJECTED), before CodePipeline knew. */
  decidedAt?: string;
  /** When CodePipeline accepted the decision. A decided approval without it is unconfirmed (see below). */
  resultSentAt?: string;
  /** The last claim to send the decision to CodePipeline: who (a click id, a schedule run) and when. */
  sendClaimedBy?: string;
  sendClaimedAt?: string;
  /** How many claims were made to send the decision: above 0, a request of ours may have reached CodePipeline. */
  sendAttempts?: number;
  /** What CodePipeline answered to PutApprovalResult, or why the approval closed without one. */
  closedReason?: string;
  /** How a closed approval ended, as its message tells it (stored so any later attempt shows the same). */
  ending?: ApprovalEnding;
  /** The final status the Slack message was confirmed (chat.update answered) to show. */
  messageShows?: ApprovalStatus;
  /** Optimistic-concurrency counter: every decision is a conditional write on it. */
  rev: number;
}

/**
 * How an approval ended without a confirmed Slack decision: what happened, when and, where CodePipeline
 * says so, who. `at` is an ISO time; `by` is the principal CodePipeline recorded (e.g. an assumed-role ARN).
 */
export type ApprovalEnding =
  /** Approved or rejected in the console or CLI. */
  | { kind: 'decided-elsewhere'; outcome: DecisionOutcome; at: string; by?: string; summary?: string }
  | { kind: 'timed-out'; at: string }
  | { kind: 'superseded'; at: string }
  /** CodePipeline canceled the action (the pipeline was updated while it waited). */
  | { kind: 'canceled'; at: string }
  /** PutApprovalResult: ApprovalAlreadyCompletedException at our first attempt. */
  | { kind: 'completed-before-slack'; at: string; answer: string }
  /** PutApprovalResult: InvalidApprovalTokenException (expired, superseded, or already answered). */
  | { kind: 'not-confirmed'; at: string; answer: string; decision: DecisionOutcome; userId?: string };
