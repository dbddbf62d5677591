import type { ApprovalActionEnd, ApprovalActionRef } from '#approvals/adapters/approval-action-execution';
import { showFinalState } from '#approvals/approval-decisions/settle-approval';
import type { ApprovalEnding, ApprovalRecord } from '#approvals/domain/approval-record';
import type { ApprovalStore, SlackApi } from '#approvals/ports';
import type { ActionExecutionEvent } from '#events/codepipeline-events';
import { withoutUndefined } from '#platform/without-undefined';

export interface CloseDependencies {
  store: ApprovalStore;
  slack: () => Promise<SlackApi>;
  now: () => Date;
  warn: (message: string, context: Record<string, unknown>) => void;
  /**
   * Who approved or rejected the action outside Slack, when, and their summary (ListActionExecutions).
   * Optional: without it, or when it fails, the message says CodePipeline does not say by whom.
   */
  actionEnd?: (ref: ApprovalActionRef) => Promise<ApprovalActionEnd | undefined>;
}

const FINAL_ACTION_STATES = new Set(['SUCCEEDED', 'FAILED', 'ABANDONED', 'CANCELED']);

export interface CloseOutcome {
  closed: string[];
  /** Decided in Slack but unconfirmed (the function died mid-call): the event confirms the same outcome. */
  confirmed: string[];
  /** Approved or rejected by a person outside Slack (not expired or superseded): how long each waited. */
  decidedElsewhere: { account?: string; region: string; pipeline: string; waitedMs: number }[];
}

/**
 * An approval action ended outside Slack (console, CLI, timeout, a newer execution superseding it): close
 * the approvals still PENDING for that action and say so on their messages, so nobody clicks a dead button.
 * A confirmed decision made in Slack has already left PENDING, so the event that follows it changes
 * nothing. An unconfirmed one (CodePipeline's answer never recorded) is settled by the event: confirmed when
 * the action ended as decided, closed as completed elsewhere (or expired) when it did not.
 */
export async function closeApprovalsCompletedElsewhere(
  event: ActionExecutionEvent,
  deps: CloseDependencies,
): Promise<CloseOutcome> {
  const { detail } = event;
  if (!FINAL_ACTION_STATES.has(detail.state)) return { closed: [], confirmed: [], decidedElsewhere: [] };
  const recent = await deps.store.latestForAction({
    pipeline: detail.pipeline,
    stage: detail.stage,
    action: detail.action,
    account: event.account,
    region: event.region,
  });
  const candidates = recent.filter(
    (record) => (record.status === 'PENDING' || isUnconfirmed(record)) && record.createdAt <= event.time,
  );
  // ListActionExecutions' externalExecutionId of an approval action is its token (PutApprovalResult API
  // reference, PARALLEL mode); we assume the event's external-execution-id is the same id. When it matches a
  // request it names exactly which one ended; otherwise every pending request of the action did.
  const token = detail['execution-result']?.['external-execution-id'];
  const ended =
    token && candidates.some((r) => r.token === token)
      ? candidates.filter((r) => r.token === token)
      : candidates;

  const closed: string[] = [];
  const confirmed: string[] = [];
  const decidedElsewhere: CloseOutcome['decidedElsewhere'] = [];
  // Looked up once per event, and only when a person ended the action outside Slack.
  let actionEnd: Promise<Partial<ApprovalActionEnd>> | undefined;
  for (const record of ended) {
    if (isUnconfirmed(record) && detail.state === ACTION_STATE_OF_DECISION[record.status]) {
      if (!(await deps.store.confirmResult(record, event.time))) continue;
      confirmed.push(record.id);
      await showFinalState(record.id, deps);
      continue;
    }
    const { status, ending } = describeEnd(event, record);
    // Who ended it is part of what the message tells, so it is stored with the close, before the message.
    if (ending.kind === 'decided-elsewhere') {
      actionEnd ??= whoEnded(event, deps);
      Object.assign(ending, await actionEnd);
    }
    const closedNow = await deps.store.close(
      record,
      status,
      `${detail.state} outside Slack`,
      [record.status],
      ending,
      deps.now().toISOString(),
    );
    if (!closedNow) continue;
    closed.push(record.id);
    if (status === 'COMPLETED_ELSEWHERE') {
      decidedElsewhere.push({
        ...(record.account === undefined ? {} : { account: record.account }),
        region: record.region,
        pipeline: record.pipeline,
        waitedMs: Date.parse(event.time) - Date.parse(record.createdAt),
      });
    }
    await showFinalState(record.id, deps);
  }
  return { closed, confirmed, decidedElsewhere };
}

// The action's end that a decision made in Slack leads to. The event does not say who decided, so the same
// outcome is taken as ours (the resend would read "already completed" the same way).
const ACTION_STATE_OF_DECISION = { APPROVED: 'SUCCEEDED', REJECTED: 'FAILED' } as const;

function isUnconfirmed(
  record: ApprovalRecord,
): record is ApprovalRecord & { status: keyof typeof ACTION_STATE_OF_DECISION } {
  return (
    (record.status === 'APPROVED' || record.status === 'REJECTED') &&
    record.decidedAt !== undefined &&
    record.resultSentAt === undefined
  );
}

/** Who and when, from CodePipeline's record of the action; the event's own summary when the record has none. */
async function whoEnded(
  event: ActionExecutionEvent,
  deps: CloseDependencies,
): Promise<Partial<ApprovalActionEnd>> {
  const { detail } = event;
  const fromEvent = { summary: detail['execution-result']?.['external-execution-summary'] };
  if (!deps.actionEnd) return withoutUndefined(fromEvent);
  try {
    const found = await deps.actionEnd({
      pipeline: detail.pipeline,
      executionId: detail['execution-id'],
      stage: detail.stage,
      action: detail.action,
      actionExecutionId: detail['action-execution-id'],
    });
    return withoutUndefined({ ...fromEvent, ...withoutUndefined(found ?? {}) });
  } catch (error) {
    deps.warn('Could not read who ended the approval action', { error: (error as Error).message });
    return withoutUndefined(fromEvent);
  }
}

/** How the action ended, for the store (status) and the message (what, when). */
function describeEnd(
  event: ActionExecutionEvent,
  record: ApprovalRecord,
): { status: 'COMPLETED_ELSEWHERE' | 'EXPIRED'; ending: ApprovalEnding } {
  const { state } = event.detail;
  const at = event.time;
  if (state === 'SUCCEEDED')
    return { status: 'COMPLETED_ELSEWHERE', ending: { kind: 'decided-elsewhere', outcome: 'Approved', at } };
  if (state === 'ABANDONED') return { status: 'EXPIRED', ending: { kind: 'superseded', at } };
  if (state === 'CANCELED') return { status: 'EXPIRED', ending: { kind: 'canceled', at } };
  return Date.parse(at) >= record.deadline
    ? { status: 'EXPIRED', ending: { kind: 'timed-out', at: new Date(record.deadline).toISOString() } }
    : { status: 'COMPLETED_ELSEWHERE', ending: { kind: 'decided-elsewhere', outcome: 'Rejected', at } };
}
