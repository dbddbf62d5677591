import {
  APPROVE_ACTION_ID,
  APPROVE_MODAL_CALLBACK_ID,
  APPROVE_WITH_COMMENT_ACTION_ID,
  approveCommentModal,
  REJECT_ACTION_ID,
  REJECT_MODAL_CALLBACK_ID,
  REJECT_REASON_ACTION_ID,
  REJECT_REASON_BLOCK_ID,
  rejectReasonModal,
} from '#approvals/adapters/approval-messages';
import type { ApprovalStore, ClickJob, DecisionWorkQueue, SlackApi } from '#approvals/ports';
import { MalformedEventError } from '#platform/errors';
import {
  type BlockActionsPayload,
  displayName,
  parseInteractionBody,
  type ViewSubmissionPayload,
} from './interaction-payload';
import { verifySlackSignature } from './verify-slack-signature';

/** What the endpoint may do before answering: every call here is bounded so the answer fits in 3 s. */
export interface InteractionDependencies {
  signingSecret: () => Promise<string>;
  /** Reads the approval for a modal's title. */
  store: Pick<ApprovalStore, 'get'>;
  slack: Pick<SlackApi, 'openModal'>;
  /** The decision worker: everything after the acknowledgement happens there. */
  queue: DecisionWorkQueue;
  /** A private note to the clicker through the interaction's response_url. */
  tellClicker: (responseUrl: string, text: string) => Promise<void>;
  now: () => Date;
  warn: (message: string, context: Record<string, unknown>) => void;
}

export interface SlackRequest {
  headers: Record<string, string | undefined>;
  rawBody: string;
}

export interface InteractionResponse {
  statusCode: number;
  body?: string;
  outcome:
    | 'unauthenticated'
    | 'ignored'
    | 'reason-required'
    | 'unknown-approval'
    /** Handed to the decision worker. */
    | 'queued'
    /** The hand-over failed: the clicker is told to click again (a repeat is harmless). */
    | 'not-queued'
    | 'modal-opened'
    | 'modal-not-opened';
}

const BUTTONS = new Set([APPROVE_ACTION_ID, APPROVE_WITH_COMMENT_ACTION_ID, REJECT_ACTION_ID]);

export const NOT_QUEUED_TEXT =
  'Your decision may not have been recorded (AWS did not answer in time). Please click again; a repeated click never counts twice.';
export const MODAL_NOT_OPENED_TEXT = 'Slack did not open the form in time. Please click again.';

const ok = (outcome: InteractionResponse['outcome'], body?: object): InteractionResponse => ({
  statusCode: 200,
  outcome,
  ...(body ? { body: JSON.stringify(body) } : {}),
});

/**
 * One request from Slack's interactivity URL, answered within Slack's 3 seconds: verify the signature on
 * the raw body (nothing happens before), then either open a modal (its trigger_id lives 3 s, so it cannot
 * wait) or hand the click to the decision worker and answer at once. Authorising the approver, recording
 * the decision, telling CodePipeline and updating the message all happen in the worker.
 */
export async function handleInteraction(
  request: SlackRequest,
  deps: InteractionDependencies,
): Promise<InteractionResponse> {
  const verdict = verifySlackSignature(
    {
      signature: request.headers['x-slack-signature'],
      timestamp: request.headers['x-slack-request-timestamp'],
      rawBody: request.rawBody,
    },
    await deps.signingSecret(),
    Math.floor(deps.now().getTime() / 1000),
  );
  if (!verdict.valid) {
    deps.warn('Refused a Slack request with an invalid signature', { reason: verdict.reason });
    return { statusCode: 401, outcome: 'unauthenticated' };
  }
  let payload: ReturnType<typeof parseInteractionBody>;
  try {
    payload = parseInteractionBody(request.rawBody);
  } catch (error) {
    if (!(error instanceof MalformedEventError)) throw error;
    deps.warn('Ignored a malformed Slack interaction', { reason: error.message });
    return { statusCode: 400, outcome: 'ignored', body: JSON.stringify({ message: error.message }) };
  }
  if (payload.type === 'block_actions') return onButton(payload, deps);
  if (payload.type === 'view_submission') return onDecisionModal(payload, deps);
  return ok('ignored');
}

async function onButton(
  payload: BlockActionsPayload,
  deps: InteractionDependencies,
): Promise<InteractionResponse> {
  const action = payload.actions.find((a) => BUTTONS.has(a.action_id));
  if (!action?.value) return ok('ignored');
  if (action.action_id === APPROVE_ACTION_ID) {
    const queued = await handOver(
      {
        approvalId: action.value,
        // trigger_id is unique per interaction: the owner token of this click's decision.
        decision: { ...decider(payload, deps), outcome: 'Approved', clickId: payload.trigger_id },
        ...channelOf(payload),
      },
      deps,
    );
    if (!queued) await tell(deps, payload.response_url, NOT_QUEUED_TEXT);
    return ok(queued ? 'queued' : 'not-queued');
  }
  // A modal: trigger_id expires 3 s after the click, so it opens now. The approver is checked when the
  // modal is submitted (in the worker), the only moment that decides anything.
  try {
    const record = await deps.store.get(action.value);
    if (!record) return ok('unknown-approval');
    await deps.slack.openModal(
      payload.trigger_id,
      action.action_id === REJECT_ACTION_ID ? rejectReasonModal(record) : approveCommentModal(record),
    );
    return ok('modal-opened');
  } catch (error) {
    deps.warn('Modal not opened in time', { approvalId: action.value, error: (error as Error).message });
    await tell(deps, payload.response_url, MODAL_NOT_OPENED_TEXT);
    return ok('modal-not-opened');
  }
}

async function onDecisionModal(
  payload: ViewSubmissionPayload,
  deps: InteractionDependencies,
): Promise<InteractionResponse> {
  const { callback_id } = payload.view;
  if (callback_id !== REJECT_MODAL_CALLBACK_ID && callback_id !== APPROVE_MODAL_CALLBACK_ID)
    return ok('ignored');
  const outcome = callback_id === REJECT_MODAL_CALLBACK_ID ? 'Rejected' : 'Approved';
  const reason = payload.view.state.values[REJECT_REASON_BLOCK_ID]?.[REJECT_REASON_ACTION_ID]?.value?.trim();
  if (!reason && outcome === 'Rejected') {
    return ok('reason-required', {
      response_action: 'errors',
      errors: { [REJECT_REASON_BLOCK_ID]: 'Say why you reject.' },
    });
  }
  const queued = await handOver(
    {
      approvalId: payload.view.private_metadata,
      decision: {
        ...decider(payload, deps),
        outcome,
        ...(reason ? { comment: reason } : {}),
        // One decision per modal: a resubmission of the same modal is the same click.
        clickId:
          payload.view.id ?? payload.trigger_id ?? `${payload.user.id}:${payload.view.private_metadata}`,
      },
    },
    deps,
  );
  // The modal keeps its text on an error, so the clicker can simply submit again.
  return queued
    ? ok('queued', { response_action: 'clear' })
    : ok('not-queued', { response_action: 'errors', errors: { [REJECT_REASON_BLOCK_ID]: NOT_QUEUED_TEXT } });
}

const decider = (payload: { user: BlockActionsPayload['user'] }, deps: InteractionDependencies) => ({
  userId: payload.user.id,
  userName: displayName(payload.user),
  at: deps.now().toISOString(),
});

const channelOf = (payload: BlockActionsPayload) => {
  const channel = payload.channel?.id ?? payload.container?.channel_id;
  return channel ? { channel } : {};
};

async function handOver(job: ClickJob, deps: InteractionDependencies): Promise<boolean> {
  try {
    await deps.queue.enqueue(job);
    return true;
  } catch (error) {
    deps.warn('Click not handed to the decision worker', {
      approvalId: job.approvalId,
      error: (error as Error).message,
    });
    return false;
  }
}

async function tell(deps: InteractionDependencies, responseUrl: string | undefined, text: string) {
  if (!responseUrl) return;
  try {
    await deps.tellClicker(responseUrl, text);
  } catch (error) {
    deps.warn('response_url not answered', { error: (error as Error).message });
  }
}
