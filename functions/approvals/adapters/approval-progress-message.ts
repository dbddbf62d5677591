import type { Decision } from '#approvals/domain/decide-approval';
import { type ApprovalView, approvalRequestMessage, type SlackMessage } from './approval-messages';

/**
 * The message while a decision is on its way to CodePipeline: the request without its buttons (nobody can
 * click into a decision in flight) and "Approving… by @alice". The final message replaces it.
 */
export function approvalInProgressMessage(
  view: ApprovalView,
  status: 'APPROVED' | 'REJECTED',
  decisions: readonly Decision[],
): SlackMessage {
  const verb = status === 'APPROVED' ? 'Approving' : 'Rejecting';
  const deciders = decisions
    .filter((d) => d.outcome === (status === 'APPROVED' ? 'Approved' : 'Rejected'))
    .map((d) => `<@${d.userId}>`)
    .join(', ');
  const request = approvalRequestMessage(view, decisions);
  return {
    text: `${verb}…: ${view.pipeline} / ${view.stage} / ${view.action}`,
    blocks: [
      ...request.blocks.filter((block) => (block as { type?: string }).type !== 'actions'),
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: `:hourglass_flowing_sand: ${verb}… by ${deciders}: telling CodePipeline.` },
        ],
      },
    ],
  };
}
