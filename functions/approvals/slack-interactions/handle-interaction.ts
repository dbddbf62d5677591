import {
  APPROVE_ACTION_ID,
  APPROVE_MODAL_CALLBACK_ID,
  APPROVE_WITH_COMMENT_ACTION_ID,
  approveCommentModal,
  notAnApproverText,
  REJECT_ACTION_ID,
  REJECT_MODAL_CALLBACK_ID,
  REJECT_REASON_ACTION_ID,
  REJECT_REASON_BLOCK_ID,
  rejectReasonModal,
} from '#approvals/adapters/approval-messages';
import type { ApprovalRecord } from '#approvals/adapters/approval-store';
import { type ApprovalsPolicy, findApprovalRule, mayApprove } from '#approvals/domain/approvals-policy';
import { MalformedEventError } from '#platform/errors';
import {
  type BlockActionsPayload,
  displayName,
  parseInteractionBody,
  type ViewSubmissionPayload,
} from './interaction-payload';
import { type DecisionDependencies, type SubmitOutcome, submitDecision } from './submit-decision';
import { verifySlackSignature } from './verify-slack-signature';

export interface InteractionDependencies extends DecisionDependencies {
  signingSecret: () => Promise<string>;
  policy: ApprovalsPolicy;
  now: () => Date;
}

export interface SlackRequest {
  headers: Record<string, string | undefined>;
  rawBody: string;
}

export interface InteractionResponse {
  statusCode: number;
  body?: string;
  outcome:
    | SubmitOutcome
    | 'unauthenticated'
    | 'not-an-approver'
    | 'modal-opened'
    | 'ignored'
    | 'reason-required';
}

const BUTTONS = new Set([APPROVE_ACTION_ID, APPROVE_WITH_COMMENT_ACTION_ID, REJECT_ACTION_ID]);

const ok = (outcome: InteractionResponse['outcome'], body?: object): InteractionResponse => ({
  statusCode: 200,
  outcome,
  ...(body ? { body: JSON.stringify(body) } : {}),
});

/**
 * One request from Slack's interactivity URL. Nothing (no read, no AWS call) happens before the signature
 * is verified on the raw body.
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
  const record = await deps.store.get(action.value);
  if (!record) return ok('unknown-approval');
  if (!(await isApprover(record, payload.user.id, deps))) {
    await deps.slack.postEphemeral(
      record.channel,
      payload.user.id,
      notAnApproverText(record.pipeline, record.stage),
    );
    return ok('not-an-approver');
  }
  if (action.action_id === APPROVE_WITH_COMMENT_ACTION_ID) {
    await deps.slack.openModal(payload.trigger_id, approveCommentModal(record));
    return ok('modal-opened');
  }
  if (action.action_id === REJECT_ACTION_ID) {
    // trigger_id lives 3 s, so the modal opens now; the decision waits for the reason (view_submission).
    await deps.slack.openModal(payload.trigger_id, rejectReasonModal(record));
    return ok('modal-opened');
  }
  const outcome = await submitDecision(
    record.id,
    {
      userId: payload.user.id,
      userName: displayName(payload.user),
      outcome: 'Approved',
      at: deps.now().toISOString(),
    },
    deps,
  );
  return ok(outcome);
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
  const record = await deps.store.get(payload.view.private_metadata);
  if (!record) return ok('unknown-approval', { response_action: 'clear' });
  // Checked again: the modal's submission is a separate, separately signed request.
  if (!(await isApprover(record, payload.user.id, deps))) {
    return ok('not-an-approver', {
      response_action: 'errors',
      errors: { [REJECT_REASON_BLOCK_ID]: notAnApproverText(record.pipeline, record.stage) },
    });
  }
  const submitted = await submitDecision(
    record.id,
    {
      userId: payload.user.id,
      userName: displayName(payload.user),
      outcome,
      ...(reason ? { comment: reason } : {}),
      at: deps.now().toISOString(),
    },
    deps,
  );
  return ok(submitted, { response_action: 'clear' });
}

/** Users named in the rule need no lookup; otherwise the rule's groups are resolved (usergroups:read). */
async function isApprover(
  record: ApprovalRecord,
  userId: string,
  deps: InteractionDependencies,
): Promise<boolean> {
  const place = { account: record.account, region: record.region };
  const rule = findApprovalRule(deps.policy, record.pipeline, record.stage, place);
  if (!rule) return false;
  if (rule.approvers.users.includes(userId)) return true;
  const memberOf: string[] = [];
  for (const group of rule.approvers.groups) {
    if ((await deps.slack.userGroupMembers(group)).includes(userId)) memberOf.push(group);
  }
  return mayApprove(deps.policy, userId, memberOf, record.pipeline, record.stage, place);
}
