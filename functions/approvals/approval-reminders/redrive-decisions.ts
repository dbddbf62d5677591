import type { ApprovalStore } from '#approvals/adapters/approval-store';
import { type SendDecisionDependencies, sendDecision } from '#approvals/adapters/send-decision';
import type { SlackApi } from '#platform/slack/slack-client';
import { slackCall } from './send-reminders';

export interface RedriveDependencies {
  store: ApprovalStore;
  slack: () => Promise<SlackApi>;
  putApprovalResult: SendDecisionDependencies['putApprovalResult'];
  now: () => Date;
  warn: (message: string, context: Record<string, unknown>) => void;
}

export interface RedriveOutcome {
  /** CodePipeline has the recorded decision now (or had it from the earlier attempt). */
  confirmed: string[];
  /** CodePipeline refused it (token no longer valid): closed with its answer. */
  closed: string[];
  /** Still no answer: sent again by a later run. */
  unconfirmed: string[];
}

/**
 * How long a decision may stay unconfirmed before it counts as stuck. Far beyond the 10 s in which
 * slack-interactions (and the 30 s in which an earlier run of this schedule) either recorded CodePipeline's
 * answer or died, so nobody else is still sending it.
 */
export const STUCK_AFTER_MS = 2 * 60_000;

/**
 * Sends decisions that were recorded but never confirmed by CodePipeline (the Lambda died between the two
 * writes) again, as the user who made them decided. Each is claimed first, so overlapping runs send it
 * once; an earlier attempt of ours makes "already completed" mean accepted (see interpretApprovalResultError).
 */
export async function redriveUnconfirmedDecisions(deps: RedriveDependencies): Promise<RedriveOutcome> {
  const now = deps.now();
  const stuck = await deps.store.unconfirmedSince(new Date(now.getTime() - STUCK_AFTER_MS));
  const outcome: RedriveOutcome = { confirmed: [], closed: [], unconfirmed: [] };
  for (const record of stuck) {
    if (!(await deps.store.claimRedrive(record, now.toISOString()))) continue;
    const claimed = { ...record, rev: record.rev + 1, redrivenAt: now.toISOString() };
    const { answer, recorded, error } = await sendDecision(
      claimed,
      {
        ...deps,
        updateMessage: (approval, message) =>
          slackCall(deps, approval, (slack) =>
            slack.updateMessage(approval.channel, approval.messageTs ?? '', message),
          ),
      },
      true,
    );
    if (answer === 'accepted' || answer === 'refused' || answer === 'completed-elsewhere') {
      // Settled by someone else meanwhile (the action's end event): theirs is the record, not ours.
      if (recorded) (answer === 'accepted' ? outcome.confirmed : outcome.closed).push(record.id);
    } else {
      outcome.unconfirmed.push(record.id);
      deps.warn('Unconfirmed approval decision still unanswered', {
        approvalId: record.id,
        error: error?.message,
      });
    }
  }
  return outcome;
}
