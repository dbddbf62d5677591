import type { ActionsBlock, Button, ConfirmationDialog, KnownBlock, ModalView } from '@slack/types';
import type { ApprovalEnding, ApprovalRequest } from '#approvals/domain/approval-record';
import type { Decision, DecisionOutcome } from '#approvals/domain/decide-approval';
import type { Exclusion, Separation } from '#approvals/domain/separation-of-duties';
import {
  BLOCK_KIT_LIMITS,
  CONTEXT_TEXT_MAX,
  contextBlock,
  fieldsBlock,
  headerBlock,
  plainText,
  type SlackMessage,
  sectionBlocks,
  slackMessage,
} from '#platform/slack/block-kit';
import { codeName, literalMrkdwn, quotedLiteral, slackLink } from '#platform/slack/slack-text';

export type { SlackMessage } from '#platform/slack/block-kit';

/** What a message shows about one approval; the token is deliberately not part of it. */
/** What a Slack message shows of an approval request. */
export type { ApprovalEnding };
export type ApprovalView = ApprovalRequest;

export const APPROVE_ACTION_ID = 'approval.approve';
export const REJECT_ACTION_ID = 'approval.reject';
export const APPROVE_WITH_COMMENT_ACTION_ID = 'approval.approve-with-comment';
export const REJECT_MODAL_CALLBACK_ID = 'approval.reject-reason';
export const APPROVE_MODAL_CALLBACK_ID = 'approval.approve-comment';
export const REJECT_REASON_BLOCK_ID = 'reason';
export const REJECT_REASON_ACTION_ID = 'reason-input';

/** Comments are at most 400 characters in the modal; this bounds one approver's paragraph whatever is stored. */
const COMMENT_MAX = 2_400;
// CodePipeline names are at most 100 characters; a forged one is cut rather than allowed to crowd the rest.
const NAME_MAX = 120;

/** A date every reader sees in their own time zone, with the UTC time as the fallback. */
const slackDate = (epochMs: number) => {
  const seconds = Math.floor(epochMs / 1000);
  return `<!date^${seconds}^{date_short_pretty} at {time}|${new Date(epochMs).toISOString()}>`;
};

/** Slack user ids come from signed payloads; anything else is shown as text rather than as a mention. */
const mention = (userId: string) =>
  /^[UW][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : codeName(userId, 40);

const where = (view: ApprovalView) => `${view.pipeline} / ${view.stage} / ${view.action}`;

function overviewBlocks(view: ApprovalView, headline: string): KnownBlock[] {
  const fields = [
    `*Pipeline*\n${codeName(view.pipeline, NAME_MAX)}`,
    `*Stage / action*\n${codeName(view.stage, NAME_MAX)} / ${codeName(view.action, NAME_MAX)}`,
    `*Expires*\n${slackDate(view.deadline)}`,
    `*Approvals needed*\n${view.quorum}`,
  ];
  if (view.revision) {
    const summary = view.revision.summary ? ` ${literalMrkdwn(view.revision.summary, 1_000)}` : '';
    fields.push(`*Revision*\n${codeName(view.revision.commitId.slice(0, 12), 20)}${summary}`);
  }
  const blocks: KnownBlock[] = [headerBlock(`${headline}: ${view.pipeline}`), fieldsBlock(fields)];
  if (view.customData) blocks.push(...sectionBlocks([literalMrkdwn(view.customData, 2_900)]));
  const links = [
    view.reviewLink &&
      slackLink(withoutApprovalToken(view.reviewLink), 'Review in the console', CONTEXT_TEXT_MAX),
    view.externalEntityLink && slackLink(view.externalEntityLink, 'Changes to review', CONTEXT_TEXT_MAX),
    view.consoleLink && slackLink(view.consoleLink, 'Pipeline', CONTEXT_TEXT_MAX),
  ].filter((link): link is string => Boolean(link));
  if (links.length > 0) blocks.push(contextBlock(links));
  return blocks;
}

/** One line per decision made in Slack: who, what and when, and the comment quoted as text. */
function decisionParagraphs(decisions: readonly Decision[], outcome?: DecisionOutcome): string[] {
  return decisions
    .filter((d) => outcome === undefined || d.outcome === outcome)
    .map((d) => {
      const icon = d.outcome === 'Approved' ? ':white_check_mark:' : ':x:';
      const line = `${icon} *${d.outcome}* by ${mention(d.userId)} ${slackDate(Date.parse(d.at))}`;
      return d.comment ? `${line}\n${quotedLiteral(d.comment, COMMENT_MAX)}` : line;
    });
}

/** The request: Approve / Reject buttons carrying only the opaque approval id, each behind a confirmation. */
export function approvalRequestMessage(
  view: ApprovalView,
  decisions: readonly Decision[] = [],
): SlackMessage {
  const approvals = decisions.filter((d) => d.outcome === 'Approved');
  const blocks = overviewBlocks(view, 'Approval needed');
  if (view.separation) blocks.push(...sectionBlocks(separationLines(view.separation)));
  if (approvals.length > 0) {
    blocks.push(
      ...sectionBlocks([
        `Approved so far: ${approvals.length} of ${view.quorum}`,
        ...decisionParagraphs(approvals),
      ]),
    );
  }
  blocks.push(decisionButtons(view));
  return slackMessage(`Approval needed: ${where(view)}`, blocks);
}

// An execution of many sources lists its first people only: the message must stay within Slack's limits.
const LISTED_MAX = 10;

const MODE_TEXT: Record<Separation['mode'], string> = {
  author: 'the authors of this change may not approve it',
  starter: 'whoever started this execution may not approve it',
  'author-or-starter': 'neither the authors of this change nor whoever started this execution may approve it',
};

/** Who this person is in Slack: a mention when the identities map names a user, else what the change says. */
const excludedPerson = (exclusion: Exclusion) =>
  exclusion.slackUserId ? mention(exclusion.slackUserId) : codeName(exclusion.email ?? exclusion.who, 200);

const exclusionLine = (exclusion: Exclusion) =>
  exclusion.reason === 'author'
    ? `• ${excludedPerson(exclusion)}, author of ${codeName(exclusion.commitId?.slice(0, 12) ?? '?', 20)}`
    : `• ${excludedPerson(exclusion)}, who started this execution (${codeName(exclusion.who, 300)})`;

/**
 * Separation of duties as the rule decided it: who may not approve and why, how the execution started when no
 * person did, and, when somebody could not be recognised, what the rule decided then. Rejecting is open to all.
 */
function separationLines(separation: Separation): string[] {
  const lines = [
    `:lock: *Separation of duties*: ${MODE_TEXT[separation.mode]} (any approver may still reject).`,
  ];
  const { excluded } = separation;
  if (excluded.length > 0) {
    lines.push('*May not approve*', ...excluded.slice(0, LISTED_MAX).map(exclusionLine));
    if (excluded.length > LISTED_MAX) lines.push(`• and ${excluded.length - LISTED_MAX} more`);
  }
  if (separation.startedWithoutPerson) {
    lines.push(
      `No person started this execution (${codeName(separation.startedWithoutPerson, 60)}): nobody is excluded as its starter.`,
    );
  }
  if (separation.unknown) {
    const reasons = separation.unknown.reasons
      .slice(0, LISTED_MAX)
      .map((reason) => `• ${literalMrkdwn(reason, 400)}`);
    lines.push(
      '*Not everyone could be recognised*',
      ...reasons,
      separation.unknown.outcome === 'refuse'
        ? ':no_entry: This rule refuses approval when it cannot tell who made or started the change: nobody can approve in Slack. Approve in the CodePipeline console if you are allowed to; rejecting here still works.'
        : ':warning: This rule allows approval all the same: every approver may approve, so check that you did not make or start this change.',
    );
  }
  return lines;
}

function decisionButtons(view: ApprovalView): ActionsBlock {
  const button = (actionId: string, text: string, extra: Partial<Button> = {}): Button => ({
    type: 'button',
    action_id: actionId,
    text: plainText(text, BLOCK_KIT_LIMITS.buttonText),
    value: view.id,
    ...extra,
  });
  return {
    type: 'actions',
    block_id: `approval:${view.id}`,
    elements: [
      button(APPROVE_ACTION_ID, 'Approve', {
        style: 'primary',
        confirm: confirmation(`Approve ${view.pipeline} / ${view.stage}?`, 'Approve'),
      }),
      button(APPROVE_WITH_COMMENT_ACTION_ID, 'Approve with comment'),
      button(REJECT_ACTION_ID, 'Reject', { style: 'danger' }),
    ],
  };
}

function confirmation(title: string, confirm: string): ConfirmationDialog {
  return {
    title: plainText(title, BLOCK_KIT_LIMITS.confirmTitle),
    text: plainText(
      'CodePipeline will be told at once; this cannot be undone from Slack.',
      BLOCK_KIT_LIMITS.confirmText,
    ),
    confirm: plainText(confirm, BLOCK_KIT_LIMITS.confirmButton),
    deny: plainText('Cancel', BLOCK_KIT_LIMITS.confirmButton),
  };
}

/** The message once decided: buttons replaced by who decided what, and when, with every approver's comment. */
export function approvalDecidedMessage(
  view: ApprovalView,
  status: 'APPROVED' | 'REJECTED',
  decisions: readonly Decision[],
): SlackMessage {
  const outcome = status === 'APPROVED' ? 'Approved' : 'Rejected';
  return slackMessage(`${outcome}: ${where(view)}`, [
    ...overviewBlocks(view, outcome),
    ...sectionBlocks(decisionParagraphs(decisions, outcome)),
  ]);
}

const HEADLINE: Record<ApprovalEnding['kind'], string> = {
  'decided-elsewhere': 'Decided outside Slack',
  'timed-out': 'Expired',
  superseded: 'Superseded',
  canceled: 'Canceled',
  'completed-before-slack': 'Completed outside Slack',
  'not-confirmed': 'Not confirmed by CodePipeline',
};

function headline(ending: ApprovalEnding): string {
  return ending.kind === 'decided-elsewhere' ? `${ending.outcome} outside Slack` : HEADLINE[ending.kind];
}

const SUMMARY_MAX = 1_200;
const ANSWER_MAX = 600;

/** What happened, who and when, in a sentence or two; text from AWS is shown as text. */
function endingParagraph(ending: ApprovalEnding): string {
  const when = slackDate(Date.parse(ending.at));
  switch (ending.kind) {
    case 'decided-elsewhere': {
      const icon = ending.outcome === 'Approved' ? ':white_check_mark:' : ':x:';
      const who = ending.by
        ? `by ${codeName(ending.by, 300)}`
        : '(CodePipeline does not say by whom; the pipeline’s execution history may)';
      const summary = ending.summary ? `\n${quotedLiteral(ending.summary, SUMMARY_MAX)}` : '';
      return `${icon} ${ending.outcome} outside Slack ${who}, ${when}.${summary}`;
    }
    case 'timed-out':
      return `:hourglass: Nobody decided before the deadline, ${when}: the approval expired and CodePipeline rejected it.`;
    case 'superseded':
      return `:fast_forward: A newer execution superseded this one ${when}; CodePipeline no longer accepts a decision for it.`;
    case 'canceled':
      return `:no_entry_sign: CodePipeline canceled this approval ${when}: the pipeline was updated while this approval waited.`;
    case 'completed-before-slack':
      return (
        `:information_source: This approval was already completed outside Slack (console, CLI or another approver) before the decision above reached CodePipeline, ${when}; nothing was changed. ` +
        `CodePipeline does not say by whom; the pipeline’s execution history does.\n${quotedLiteral(ending.answer, ANSWER_MAX)}`
      );
    case 'not-confirmed': {
      const by = ending.userId ? ` by ${mention(ending.userId)}` : '';
      return (
        `:hourglass: This approval request expired or was superseded by a newer execution, or CodePipeline already had its answer. ` +
        `CodePipeline did not confirm the ${ending.decision.toLowerCase()} decision${by}, ${when}; the pipeline’s execution history shows which:\n` +
        quotedLiteral(ending.answer, ANSWER_MAX)
      );
    }
  }
}

/**
 * Closed without a confirmed Slack decision (expired, superseded, canceled, decided in the console, refused
 * by CodePipeline): buttons removed, what happened, when and by whom, and every decision that was made in
 * Slack kept for the audit (approvals under a quorum, a decision CodePipeline did not take).
 */
export function approvalClosedMessage(
  view: ApprovalView,
  decisions: readonly Decision[],
  ending: ApprovalEnding,
): SlackMessage {
  const inSlack = decisions.length > 0 ? ['*Recorded in Slack*', ...decisionParagraphs(decisions)] : [];
  return slackMessage(`${headline(ending)}: ${where(view)}`, [
    ...overviewBlocks(view, headline(ending)),
    ...sectionBlocks([...inSlack, endingParagraph(ending)]),
  ]);
}

/**
 * The clicker's explanation when CodePipeline refused a decision for a reason that a later click can get
 * past (throttling, a missing permission): the decision was withdrawn, nothing changed.
 */
export const decisionNotTakenText = (answer: string) =>
  `CodePipeline did not take your decision (${literalMrkdwn(answer, ANSWER_MAX)}). Nothing changed and the approval is open again: try once more in a minute. If it keeps failing, tell whoever runs this Slack app.`;

const modalLabel = (text: string) => plainText(text, BLOCK_KIT_LIMITS.inputLabel);
const modalButton = (text: string) => plainText(text, BLOCK_KIT_LIMITS.viewButton);

function decisionModal(
  view: Pick<ApprovalView, 'id'>,
  callbackId: string,
  { title, submit, label, optional }: { title: string; submit: string; label: string; optional: boolean },
): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: view.id,
    title: plainText(title, BLOCK_KIT_LIMITS.viewTitle),
    submit: modalButton(submit),
    close: modalButton('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: REJECT_REASON_BLOCK_ID,
        optional,
        label: modalLabel(label),
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

/** The modal asking for a rejection reason; the approval id travels in private_metadata, never the token. */
export const rejectReasonModal = (view: Pick<ApprovalView, 'id' | 'pipeline' | 'stage'>): ModalView =>
  decisionModal(view, REJECT_MODAL_CALLBACK_ID, {
    title: 'Reject approval',
    submit: 'Reject',
    label: `Why reject ${view.pipeline} / ${view.stage}?`,
    optional: false,
  });

/** The optional-comment modal of "Approve with comment"; the modal's submit button is the confirmation. */
export const approveCommentModal = (view: Pick<ApprovalView, 'id' | 'pipeline' | 'stage'>): ModalView =>
  decisionModal(view, APPROVE_MODAL_CALLBACK_ID, {
    title: 'Approve',
    submit: 'Approve',
    label: `Comment on approving ${view.pipeline} / ${view.stage}`,
    optional: true,
  });

/**
 * Shown as mrkdwn (ephemeral message) and as plain text (modal error) alike, so no markup: characters that
 * CodePipeline never allows in a name (only a forged notification could carry them) become `?`.
 */
const legalName = (name: string) => name.replace(/[^A-Za-z0-9.@\-_]/g, '?').slice(0, NAME_MAX);

export const notAnApproverText = (pipeline: string, stage: string) =>
  `You are not an approver for ${legalName(pipeline)}/${legalName(stage)}.`;

/**
 * CodePipeline's approvalReviewLink ends in `/approve/<token>`: cut it, so the token never reaches Slack (the
 * console still opens the approval action; approving there needs the reviewer's own IAM permission anyway).
 */
export function withoutApprovalToken(reviewLink: string): string {
  return reviewLink.replace(/\/approve\/[^/?#]+$/, '');
}
