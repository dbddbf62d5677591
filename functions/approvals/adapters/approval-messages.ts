import type { ApprovalStatus, Decision } from '#approvals/domain/decide-approval';
import { escapeSlackText } from '#platform/slack/slack-text';

/** What a message shows about one approval; the token is deliberately not part of it. */
export interface ApprovalView {
  id: string;
  pipeline: string;
  stage: string;
  action: string;
  region: string;
  deadline: number;
  quorum: number;
  customData?: string;
  reviewLink?: string;
  externalEntityLink?: string;
  consoleLink?: string;
  revision?: { commitId: string; summary?: string };
}

export const APPROVE_ACTION_ID = 'approval.approve';
export const REJECT_ACTION_ID = 'approval.reject';
export const APPROVE_WITH_COMMENT_ACTION_ID = 'approval.approve-with-comment';
export const REJECT_MODAL_CALLBACK_ID = 'approval.reject-reason';
export const APPROVE_MODAL_CALLBACK_ID = 'approval.approve-comment';
export const REJECT_REASON_BLOCK_ID = 'reason';
export const REJECT_REASON_ACTION_ID = 'reason-input';

export interface SlackMessage {
  text: string;
  blocks: object[];
}

const slackDate = (epochMs: number) => {
  const seconds = Math.floor(epochMs / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${new Date(epochMs).toISOString()}>`;
};

// Slack limits a section's text to 3000 characters; custom data is free text from the pipeline author.
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
/**
 * Commit messages, custom data, comments and API errors are written by others: escaped, so a `<!channel>` or a
 * disguised `<https://…|Review in the console>` link stays text; then clipped, never inside an entity.
 */
function untrusted(text: string, max: number): string {
  const escaped = escapeSlackText(text);
  if (escaped.length <= max) return escaped;
  let cut = max - 1;
  const entityStart = escaped.lastIndexOf('&', cut);
  if (entityStart > cut - '&amp;'.length && !escaped.slice(entityStart, cut).includes(';')) cut = entityStart;
  return `${escaped.slice(0, cut)}…`;
}

function headerBlocks(view: ApprovalView): object[] {
  const fields = [
    `*Pipeline*\n${view.pipeline}`,
    `*Stage / action*\n${view.stage} / ${view.action}`,
    `*Expires*\n${slackDate(view.deadline)}`,
    `*Approvals needed*\n${view.quorum}`,
  ];
  if (view.revision) {
    fields.push(
      `*Revision*\n\`${view.revision.commitId.slice(0, 12)}\`${view.revision.summary ? ` ${untrusted(view.revision.summary, 200)}` : ''}`,
    );
  }
  const blocks: object[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`Approval needed: ${view.pipeline}`, 150) } },
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
  ];
  if (view.customData)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: untrusted(view.customData, 2900) } });
  const reviewLink = view.reviewLink && withoutApprovalToken(view.reviewLink);
  const links = [
    reviewLink && `<${reviewLink}|Review in the console>`,
    view.externalEntityLink && `<${view.externalEntityLink}|Changes to review>`,
    view.consoleLink && `<${view.consoleLink}|Pipeline>`,
  ].filter(Boolean);
  if (links.length > 0)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: links.join(' · ') }] });
  return blocks;
}

/** The request: Approve / Reject buttons carrying only the opaque approval id, each behind a confirmation. */
export function approvalRequestMessage(
  view: ApprovalView,
  decisions: readonly Decision[] = [],
): SlackMessage {
  const approvals = decisions.filter((d) => d.outcome === 'Approved');
  const blocks = headerBlocks(view);
  if (approvals.length > 0) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Approved so far by ${approvals.map((d) => `<@${d.userId}>`).join(', ')} (${approvals.length}/${view.quorum})`,
        },
      ],
    });
  }
  blocks.push({
    type: 'actions',
    block_id: `approval:${view.id}`,
    elements: [
      {
        type: 'button',
        action_id: APPROVE_ACTION_ID,
        text: { type: 'plain_text', text: 'Approve' },
        style: 'primary',
        value: view.id,
        confirm: confirmation(`Approve ${view.pipeline} / ${view.stage}?`, 'Approve'),
      },
      {
        type: 'button',
        action_id: APPROVE_WITH_COMMENT_ACTION_ID,
        text: { type: 'plain_text', text: 'Approve with comment' },
        value: view.id,
      },
      {
        type: 'button',
        action_id: REJECT_ACTION_ID,
        text: { type: 'plain_text', text: 'Reject' },
        style: 'danger',
        value: view.id,
      },
    ],
  });
  return { text: `Approval needed: ${view.pipeline} / ${view.stage} / ${view.action}`, blocks };
}

function confirmation(title: string, confirm: string) {
  return {
    title: { type: 'plain_text', text: clip(title, 100) },
    text: {
      type: 'plain_text',
      text: 'CodePipeline will be told at once; this cannot be undone from Slack.',
    },
    confirm: { type: 'plain_text', text: confirm },
    deny: { type: 'plain_text', text: 'Cancel' },
  };
}

/** The message once decided: buttons replaced by who decided what, and when. */
export function approvalDecidedMessage(
  view: ApprovalView,
  status: 'APPROVED' | 'REJECTED',
  decisions: readonly Decision[],
): SlackMessage {
  const outcome = status === 'APPROVED' ? 'Approved' : 'Rejected';
  const icon = status === 'APPROVED' ? ':white_check_mark:' : ':x:';
  const lines = decisions
    .filter((d) => d.outcome === outcome)
    .map(
      (d) =>
        `${icon} *${outcome}* by <@${d.userId}> ${slackDate(Date.parse(d.at))}${d.comment ? `\n> ${untrusted(d.comment, 500)}` : ''}`,
    );
  return {
    text: `${outcome}: ${view.pipeline} / ${view.stage} / ${view.action}`,
    blocks: [...headerBlocks(view), { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } }],
  };
}

const CLOSED_TEXT: Record<Exclude<ApprovalStatus, 'PENDING' | 'APPROVED' | 'REJECTED'>, string> = {
  COMPLETED_ELSEWHERE:
    ':information_source: This approval was already completed outside Slack (console, CLI or another approver); nothing was changed.',
  EXPIRED:
    ':hourglass: This approval request expired or was superseded by a newer execution; CodePipeline no longer accepts a decision for it.',
};

/**
 * Expired, superseded or completed elsewhere: buttons removed, with the reason (text from elsewhere, shown as
 * text). `unconfirmed`: the Slack decision CodePipeline did not confirm, kept in the message for the audit.
 */
export function approvalClosedMessage(
  view: ApprovalView,
  status: 'COMPLETED_ELSEWHERE' | 'EXPIRED',
  detail?: string,
  unconfirmed?: { decision: string; userId?: string },
): SlackMessage {
  const about = unconfirmed
    ? `CodePipeline did not confirm the ${unconfirmed.decision} decision${unconfirmed.userId ? ` by <@${unconfirmed.userId}>` : ''}${detail ? ': ' : ''}`
    : '';
  const text =
    about || detail
      ? `${CLOSED_TEXT[status]}\n${about}${detail ? untrusted(detail, 500) : ''}`
      : CLOSED_TEXT[status];
  return {
    text: `${view.pipeline} / ${view.stage}: ${status === 'EXPIRED' ? 'expired' : 'already completed'}`,
    blocks: [...headerBlocks(view), { type: 'section', text: { type: 'mrkdwn', text } }],
  };
}

/** The modal asking for a rejection reason; the approval id travels in private_metadata, never the token. */
export function rejectReasonModal(view: Pick<ApprovalView, 'id' | 'pipeline' | 'stage'>) {
  return {
    type: 'modal',
    callback_id: REJECT_MODAL_CALLBACK_ID,
    private_metadata: view.id,
    title: { type: 'plain_text', text: 'Reject approval' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: REJECT_REASON_BLOCK_ID,
        label: { type: 'plain_text', text: clip(`Why reject ${view.pipeline} / ${view.stage}?`, 2000) },
        element: {
          type: 'plain_text_input',
          action_id: REJECT_REASON_ACTION_ID,
          multiline: true,
          max_length: 400,
        },
      },
    ],
  };
}

export const notAnApproverText = (pipeline: string, stage: string) =>
  `You are not an approver for ${pipeline}/${stage}.`;

/**
 * CodePipeline's approvalReviewLink ends in `/approve/<token>`: cut it, so the token never reaches Slack (the
 * console still opens the approval action; approving there needs the reviewer's own IAM permission anyway).
 */
export function withoutApprovalToken(reviewLink: string): string {
  return reviewLink.replace(/\/approve\/[^/?#]+$/, '');
}

/** The optional-comment modal of "Approve with comment"; the modal's submit button is the confirmation. */
export function approveCommentModal(view: Pick<ApprovalView, 'id' | 'pipeline' | 'stage'>) {
  return {
    type: 'modal',
    callback_id: APPROVE_MODAL_CALLBACK_ID,
    private_metadata: view.id,
    title: { type: 'plain_text', text: 'Approve' },
    submit: { type: 'plain_text', text: 'Approve' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: REJECT_REASON_BLOCK_ID,
        optional: true,
        label: {
          type: 'plain_text',
          text: clip(`Comment on approving ${view.pipeline} / ${view.stage}`, 2000),
        },
        element: {
          type: 'plain_text_input',
          action_id: REJECT_REASON_ACTION_ID,
          multiline: true,
          max_length: 400,
        },
      },
    ],
  };
}
