import type { ApprovalRecord } from '#approvals/domain/approval-record';
import { type ApprovalsPolicy, findApprovalRule } from '#approvals/domain/approvals-policy';
import { planReminder } from '#approvals/domain/plan-reminders';
import type { ApprovalStore } from '#approvals/ports';
import { sectionBlocks, slackMessage } from '#platform/slack/block-kit';
import type { SlackApi } from '#platform/slack/slack-client';
import { codeName } from '#platform/slack/slack-text';

export interface ReminderDependencies {
  store: ApprovalStore;
  slack: () => Promise<SlackApi>;
  policy: ApprovalsPolicy;
  remindBeforeMinutes: number;
  now: () => Date;
  warn: (message: string, context: Record<string, unknown>) => void;
}

// CodePipeline's longest approval timeout is 60 days (quotas page): older deadlines cannot still be pending.
const LOOKBACK_MS = 60 * 86_400_000;

/** One scheduled run: reminds in the thread before the deadline, marks past-deadline requests expired. */
export async function sendReminders(
  deps: ReminderDependencies,
): Promise<{ reminded: string[]; expired: string[] }> {
  const now = deps.now();
  const remindBeforeMs = deps.remindBeforeMinutes * 60_000;
  const due = await deps.store.pendingByDeadline(
    new Date(now.getTime() - LOOKBACK_MS),
    new Date(now.getTime() + remindBeforeMs),
  );
  const reminded: string[] = [];
  const expired: string[] = [];
  for (const record of due) {
    const step = planReminder(record, now.getTime(), remindBeforeMs);
    if (step.kind === 'expire') {
      // Its message is replaced by the same run's settleOwedApprovals, and again by later runs until Slack
      // takes it: the close puts the approval among the stale messages.
      const ending = { kind: 'timed-out', at: new Date(record.deadline).toISOString() } as const;
      const closedNow = await deps.store.close(
        record,
        'EXPIRED',
        'deadline passed',
        ['PENDING'],
        ending,
        now.toISOString(),
      );
      if (!closedNow) continue;
      expired.push(record.id);
    } else if (step.kind === 'remind') {
      // Marked first: two overlapping runs (or a retry) post one reminder, never two.
      if (!(await deps.store.markReminded(record.id, now.toISOString()))) continue;
      reminded.push(record.id);
      await slackCall(deps, record, (slack) =>
        slack.postMessage(record.channel, reminderMessage(record, deps.policy), record.messageTs),
      );
    }
  }
  return { reminded, expired };
}

function reminderMessage(record: ApprovalRecord, policy: ApprovalsPolicy) {
  const rule = findApprovalRule(policy, record.pipeline, record.stage, {
    account: record.account,
    region: record.region,
  });
  const mentions = [
    ...(rule?.approvers.users.map((u) => `<@${u}>`) ?? []),
    ...(rule?.approvers.groups.map((g) => `<!subteam^${g}>`) ?? []),
  ].join(' ');
  const deadline = Math.floor(record.deadline / 1000);
  const text = `${mentions} :alarm_clock: Reminder: ${codeName(record.pipeline, 120)} / ${codeName(record.stage, 120)} is waiting for approval; CodePipeline rejects it <!date^${deadline}^{date_short_pretty} at {time}|${new Date(record.deadline).toISOString()}>.`;
  return slackMessage(text, sectionBlocks([text]));
}

/** A Slack call about one approval's message; failures are logged, never thrown (the message is cosmetic). */
export async function slackCall(
  deps: Pick<ReminderDependencies, 'slack' | 'warn'>,
  record: ApprovalRecord,
  call: (slack: SlackApi) => Promise<unknown>,
) {
  if (!record.messageTs) return;
  try {
    await call(await deps.slack());
  } catch (error) {
    deps.warn('Slack call failed', { approvalId: record.id, error: (error as Error).message });
  }
}
