import { createHash, randomUUID } from 'node:crypto';
import { type ApprovalView, approvalRequestMessage } from '#approvals/adapters/approval-messages';
import { type ApprovalAdmission, admitApprovalAccount } from '#approvals/domain/approval-admission';
import { type ApprovalNotification, approvalExpiresAt } from '#approvals/domain/approval-notification';
import type { ApprovalRecord } from '#approvals/domain/approval-record';
import { type ApprovalsPolicy, findApprovalRule } from '#approvals/domain/approvals-policy';
import type { ApprovalStore, CommitAuthors, PendingApprovals } from '#approvals/ports';
import type { HistoryStore, PipelineRef } from '#history/adapters/history-store';
import type { ExecutionRecord } from '#history/domain/execution-record';
import { isTerminal } from '#history/domain/merge-execution';
import { postOnce } from '#platform/slack/post-once';
import type { PostMetadata, SlackApi } from '#platform/slack/slack-client';
import { separationUnderApproval } from './separation-under-approval';

export interface RequestDependencies {
  policy: ApprovalsPolicy;
  store: ApprovalStore;
  slack: () => Promise<SlackApi>;
  /** The pipeline's most recent recorded executions (newest first); empty when history is unknown. */
  recentExecutions: (pipeline: PipelineRef) => Promise<ExecutionRecord[]>;
  /** Reads source commits' authors for separation of duties; absent: authors are unknown. */
  commitAuthors?: CommitAuthors;
  /** Which accounts' notifications are accepted; absent: every account. */
  admission?: ApprovalAdmission;
  /** Confirms a request from an organisation's unlisted account in that account; absent: such requests are refused. */
  pendingApprovals?: PendingApprovals;
  /** The approval's id from its CodePipeline token; tests name theirs. */
  newId?: (token: string) => string;
  now: () => Date;
  warn: (message: string, context: Record<string, unknown>) => void;
}

export type RequestOutcome =
  | { status: 'posted'; approvalId: string; channel: string; ts: string }
  /** The same request delivered again (SNS is at least once; a Lambda retry): already posted, nothing sent. */
  | { status: 'duplicate'; approvalId: string }
  /** An earlier attempt had posted it and lost the answer or died: its message is recorded, nothing sent. */
  | { status: 'found-earlier-post'; approvalId: string; channel: string; ts: string }
  | { status: 'no-rule'; pipeline: string; stage: string }
  /** From an account the hub does not admit: nothing stored, nothing posted. */
  | { status: 'not-admitted'; account: string; reason: string };

/**
 * Stores the approval (with its token, server-side only) and posts the Slack request. The item is written
 * before the message so a click can never arrive for an approval the table does not know.
 */
export async function requestApproval(
  notification: ApprovalNotification,
  deps: RequestDependencies,
): Promise<RequestOutcome> {
  const { approval } = notification;
  const refusal = await refusalOf(notification, deps);
  if (refusal) {
    deps.warn('Approval notification refused: it comes from an account the hub does not admit', {
      reason: refusal,
      pipeline: approval.pipelineName,
    });
    return { status: 'not-admitted', account: notification.account ?? '', reason: refusal };
  }
  const rule = findApprovalRule(deps.policy, approval.pipelineName, approval.stageName, {
    account: notification.account,
    region: notification.region,
  });
  if (!rule) {
    deps.warn(
      'No approvals rule matches this approval: add one to ApprovalsPolicy, or approve in the console',
      {
        pipeline: approval.pipelineName,
        stage: approval.stageName,
      },
    );
    return { status: 'no-rule', pipeline: approval.pipelineName, stage: approval.stageName };
  }
  const place = { account: notification.account, region: notification.region };
  const waiting = await executionUnderApproval(notification, deps);
  const view: ApprovalView = {
    id: (deps.newId ?? approvalIdFor)(approval.token),
    pipeline: approval.pipelineName,
    stage: approval.stageName,
    action: approval.actionName,
    region: notification.region,
    ...optional('account', notification.account),
    deadline: approvalExpiresAt(notification),
    quorum: rule.quorum,
    ...optional('customData', approval.customData),
    ...optional('reviewLink', approval.approvalReviewLink),
    ...optional('externalEntityLink', approval.externalEntityLink),
    ...optional('consoleLink', notification.consoleLink),
    ...optional('revision', revisionOf(waiting)),
    ...optional('separation', await separationUnderApproval(rule, waiting, place, deps)),
  };
  const created = await deps.store.create({
    ...view,
    token: approval.token,
    channel: rule.channel,
    status: 'PENDING',
    decisions: [],
    createdAt: deps.now().toISOString(),
  });
  // A redelivery finds the item: done if its message went out, or if the approval was decided or closed
  // meanwhile (console, expiry): a request posted now would show live buttons forever.
  const isSettled = (record: ApprovalRecord | undefined) =>
    Boolean(record?.messageTs || (record && record.status !== 'PENDING'));
  if (!created && isSettled(await deps.store.get(view.id)))
    return { status: 'duplicate', approvalId: view.id };
  // Credentials first: a Secrets Manager failure must not leave a claim that holds off the next delivery.
  const slack = await deps.slack();
  const owner = randomUUID();
  const now = deps.now();
  const claim = await deps.store.claimPost(
    view.id,
    owner,
    now.toISOString(),
    new Date(now.getTime() + POST_LEASE_SECONDS * 1000).toISOString(),
  );
  if (!claim.claimed) {
    if (isSettled(await deps.store.get(view.id))) return { status: 'duplicate', approvalId: view.id };
    // Another delivery is posting it right now: thrown, so this one comes back after the other's lease and
    // finds the message (or, if the other died, posts it).
    throw new RequestPostInProgressError(`another delivery of approval ${view.id} is posting its request`);
  }
  // An earlier claim without a recorded ts: that attempt may have posted before it died or lost the answer.
  const posted = await postOnce(
    slack,
    {
      channel: rule.channel,
      message: approvalRequestMessage(view),
      metadata: requestPostMetadata(view.id),
      earlierSince: claim.earlierSince,
      what: 'approval request',
    },
    deps.warn,
  );
  await deps.store.setMessage(view.id, posted.channel, posted.ts);
  if (posted.foundEarlier) {
    return { status: 'found-earlier-post', approvalId: view.id, channel: posted.channel, ts: posted.ts };
  }
  return { status: 'posted', approvalId: view.id, channel: posted.channel, ts: posted.ts };
}

/** Why the hub refuses this notification's account, or undefined when it is admitted. */
async function refusalOf(
  notification: ApprovalNotification,
  deps: RequestDependencies,
): Promise<string | undefined> {
  const { account } = notification;
  if (!deps.admission || account === undefined) return undefined;
  const admission = admitApprovalAccount(account, deps.admission);
  if (admission.kind === 'admitted') return undefined;
  if (admission.kind === 'refused') return admission.reason;
  if (!deps.pendingApprovals) return `account ${account} is not listed and cannot be confirmed here`;
  const { pipelineName, stageName, actionName, token } = notification.approval;
  const confirmed = await deps.pendingApprovals.confirm({
    account,
    region: notification.region,
    pipeline: pipelineName,
    stage: stageName,
    action: actionName,
    token,
  });
  return confirmed.pending ? undefined : confirmed.reason;
}

/** Thrown when a live invocation holds the post: the platform's retry finishes the request. */
export class RequestPostInProgressError extends Error {
  override name = 'RequestPostInProgressError';
}

/** Longer than the function's timeout (30 s): an invocation holding the claim past it is dead. */
export const POST_LEASE_SECONDS = 45;

/** What the request message carries (invisible to people) so that a later attempt can find it. */
export const requestPostMetadata = (approvalId: string): PostMetadata => ({
  eventType: 'pipeline_approval_requested',
  payload: { approval_id: approvalId },
});

/**
 * One approval per CodePipeline request, however often it is delivered: the id is derived from the token (a
 * one-way hash, so the id in Slack's buttons reveals nothing of the token).
 */
export function approvalIdFor(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 22);
}

/** The execution waiting at this approval action, when the history recorded it. */
async function executionUnderApproval(
  notification: ApprovalNotification,
  deps: RequestDependencies,
): Promise<ExecutionRecord | undefined> {
  const { pipelineName, stageName, actionName } = notification.approval;
  try {
    // The pipeline of the notification's account and region: a spoke's same-named pipeline is another one.
    const executions = await deps.recentExecutions(
      notification.account
        ? { account: notification.account, region: notification.region, pipeline: pipelineName }
        : pipelineName,
    );
    return (
      executions.find((e) => e.stages[stageName]?.actions[actionName]?.status === 'STARTED') ??
      executions.find((e) => e.stages[stageName]?.status?.status === 'STARTED') ??
      onlyOneRunning(executions)
    );
  } catch (error) {
    // The execution's details are a nicety; the approval request must go out regardless.
    deps.warn('Could not read the execution history for the source revision', {
      error: (error as Error).message,
    });
    return undefined;
  }
}

/**
 * The notification may arrive before the recorder has the action's or the stage's start: then the execution is
 * known only if it is the one running. With two running, guessing could check the wrong change's authors, so it is
 * left unknown (the rule's onUnknownAuthor decides).
 */
function onlyOneRunning(executions: ExecutionRecord[]): ExecutionRecord | undefined {
  const running = executions.filter((execution) => !isTerminal(execution));
  return running.length === 1 ? running[0] : undefined;
}

/** The commit of the execution waiting at this approval action. */
function revisionOf(waiting: ExecutionRecord | undefined): ApprovalView['revision'] {
  const revision = waiting?.sourceRevisions?.find((r) => r.revisionId);
  if (!revision?.revisionId) return undefined;
  return { commitId: revision.revisionId, ...optional('summary', revision.summary) };
}

function optional<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return value === null || value === undefined || value === '' ? {} : ({ [key]: value } as { [P in K]: V });
}

/** The pipeline's five newest recorded executions that started by `now`. */
export function recentExecutionsFrom(history: Pick<HistoryStore, 'listExecutions'>, now: () => Date) {
  return async (pipeline: PipelineRef) =>
    (await history.listExecutions(pipeline, { limit: 5, to: now().toISOString() })).items;
}
