import type { ApprovalEnding, ApprovalRecord } from '#approvals/domain/approval-record';
import type { CommitSource } from '#approvals/domain/change-parties';
import type {
  ApprovalState,
  ApprovalStatus,
  Decision,
  DecisionOutcome,
} from '#approvals/domain/decide-approval';

export type { SlackApi } from '#platform/slack/slack-client';

/** Where approvals live; every state change is a conditional write (see the adapter for each condition). */
export interface ApprovalStore {
  /** False when an approval with this id exists already (a redelivered request). */
  create(record: Omit<ApprovalRecord, 'rev'>): Promise<boolean>;
  get(id: string): Promise<ApprovalRecord | undefined>;
  setMessage(id: string, channel: string, messageTs: string): Promise<void>;
  /**
   * Claims posting the request for `owner` until `leaseUntil`, unless it is posted, no longer pending, or a
   * live invocation holds the claim. `earlierSince` is set when another attempt claimed it before: that
   * attempt may have posted, from then on.
   */
  claimPost(id: string, owner: string, at: string, leaseUntil: string): Promise<PostClaim>;
  /** The next decision state, only from PENDING at `rev`: false when another click won. */
  applyDecision(id: string, rev: number, next: ApprovalState): Promise<boolean>;
  claimSend(record: ApprovalRecord, owner: string, at: string): Promise<boolean>;
  /** Gives up the claim made at `record.rev` once its call is over without an answer to record. */
  releaseSend(record: ApprovalRecord): Promise<boolean>;
  confirmResult(record: ApprovalRecord, at: string): Promise<boolean>;
  close(
    record: Pick<ApprovalRecord, 'id'>,
    status: ApprovalStatus,
    reason: string,
    onlyFrom: readonly ApprovalStatus[],
    ending?: ApprovalEnding,
    at?: string,
  ): Promise<boolean>;
  markMessageShown(record: ApprovalRecord): Promise<boolean>;
  unconfirmedSince(cutoff: Date): Promise<ApprovalRecord[]>;
  staleMessagesSince(cutoff: Date): Promise<ApprovalRecord[]>;
  pendingByDeadline(from: Date, to: Date): Promise<ApprovalRecord[]>;
  markReminded(id: string, at: string): Promise<boolean>;
  forActionBetween(action: ApprovalActionPlace, from: string, to: string): Promise<ApprovalRecord[]>;
  latestForAction(action: ApprovalActionPlace, limit?: number): Promise<ApprovalRecord[]>;
}

/**
 * One manual-approval action: pipeline, stage and action names, in an account and region (absent: the hub's
 * own), since two accounts' same-named pipelines have same-named actions.
 */
export interface ApprovalActionPlace {
  pipeline: string;
  stage: string;
  action: string;
  account?: string;
  region?: string;
}

/** One approval request, as its notification names it, in the account and region it came from. */
export interface PendingApprovalQuery {
  account: string;
  region: string;
  pipeline: string;
  stage: string;
  action: string;
  token: string;
}

/**
 * Reads, in the approval's own account, whether it is waiting with this token: the proof that an account the hub
 * does not list is one of the organisation's (the hub may assume spoke roles only there) and that the request is
 * real. A refusal names why; a failure that a retry may cure (throttling, a timeout) is thrown.
 */
export interface PendingApprovals {
  confirm(query: PendingApprovalQuery): Promise<{ pending: true } | { pending: false; reason: string }>;
}

export type PostClaim = { claimed: true; earlierSince?: string } | { claimed: false };

/** CodePipeline's PutApprovalResult for one approval; throws the SDK's error. */
export type PutApprovalResult = (
  record: Pick<ApprovalRecord, 'pipeline' | 'stage' | 'action' | 'token'> &
    Partial<Pick<ApprovalRecord, 'region' | 'account'>>,
  status: DecisionOutcome,
  summary: string,
) => Promise<void>;

/** A click handed from the Slack endpoint to the decision worker, to be finished after Slack got its answer. */
export interface ClickJob {
  approvalId: string;
  decision: Decision & { clickId: string };
  /** Where to tell the clicker privately (an ephemeral message) when the click changes nothing. */
  channel?: string;
}

/** Hands work to the decision worker without waiting for it (Lambda asynchronous invoke). */
export interface DecisionWorkQueue {
  enqueue(job: ClickJob): Promise<void>;
}

/** Where a source commit's author is read: CodeCommit or GitHub, in the pipeline's account and region. */
export interface CommitAuthors {
  /** The author's e-mail; throws with the reason when the commit cannot be read. */
  authorEmail(source: CommitSource, place: { account?: string; region?: string }): Promise<string>;
}

/** A Slack user's e-mail (users.info with users:read.email); undefined when Slack has none for them. */
export type SlackUserEmail = (userId: string) => Promise<string | undefined>;
