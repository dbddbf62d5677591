import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApprovalStore,
  createApprovalStore,
} from '../../../functions/approvals/adapters/approval-store';
import { sendReminders } from '../../../functions/approvals/approval-reminders/send-reminders';
import { settleOwedApprovals } from '../../../functions/approvals/approval-reminders/settle-owed';
import { parseApprovalMessage } from '../../../functions/approvals/domain/approval-notification';
import { parseApprovalsPolicy } from '../../../functions/approvals/domain/approvals-policy';
import { planReminder } from '../../../functions/approvals/domain/plan-reminders';
import { requestApproval } from '../../../functions/approvals/request-approval/request-approval';
import { createSlackApi } from '../../../functions/platform/slack/slack-client';
import { documentedNotification } from '../../support/approvals';
import { createTestTable } from '../../support/dynamo';
import { startSlackSink } from '../../support/slack-sink';

const policy = parseApprovalsPolicy(
  JSON.stringify({
    rules: [
      { pipeline: '*', channel: 'C0APPROVALS', approvers: { users: ['U0ALICE'], groups: ['S0RELEASE'] } },
    ],
  }),
);
// documentedNotification expires 2016-07-07T20:22Z.
const DEADLINE = Date.parse('2016-07-07T20:22:00Z');
let sink: Awaited<ReturnType<typeof startSlackSink>>;
let store: ApprovalStore;

beforeAll(async () => {
  const table = await createTestTable();
  store = createApprovalStore({ client: table.client, tableName: table.tableName });
  sink = await startSlackSink();
  await requestApproval(parseApprovalMessage(JSON.stringify(documentedNotification)), {
    policy,
    store,
    slack: async () => createSlackApi('xoxb-test', sink.url),
    recentExecutions: async () => [],
    newId: () => 'r-1',
    now: () => new Date('2016-07-01T00:00:00Z'),
    warn: () => {},
  });
});
afterAll(() => sink.close());

const run = (now: number) =>
  sendReminders({
    store,
    policy,
    slack: async () => createSlackApi('xoxb-test', sink.url),
    remindBeforeMinutes: 60,
    now: () => new Date(now),
    warn: () => {},
  });

describe('planReminder', () => {
  it.each([
    ['waits well before the deadline', { deadline: 10_000_000 }, 0, 'wait'],
    ['reminds inside the window', { deadline: 3_000_000 }, 0, 'remind'],
    ['reminds only once', { deadline: 3_000_000, remindedAt: 'x' }, 0, 'wait'],
    ['expires at the deadline', { deadline: 5 }, 5, 'expire'],
  ])('%s', (_case, approval, now, kind) => {
    expect(planReminder(approval, now, 3_600_000).kind).toBe(kind);
  });
});

describe('approval reminders schedule', () => {
  it('does nothing while the deadline is far', async () => {
    expect(await run(DEADLINE - 2 * 3_600_000)).toEqual({ reminded: [], expired: [] });
  });

  it('reminds once in the thread, mentioning the approvers, then expires the request at its deadline', async () => {
    sink.calls.length = 0;
    expect(await run(DEADLINE - 30 * 60_000)).toEqual({ reminded: ['r-1'], expired: [] });
    expect(await run(DEADLINE - 15 * 60_000)).toEqual({ reminded: [], expired: [] });
    const [reminder] = sink.callsTo('chat.postMessage');
    expect(reminder?.args.thread_ts).toBe((await store.get('r-1'))?.messageTs);
    expect(String(reminder?.args.text)).toContain('<@U0ALICE> <!subteam^S0RELEASE>');

    expect(await run(DEADLINE + 60_000)).toEqual({ reminded: [], expired: ['r-1'] });
    expect((await store.get('r-1'))?.status).toBe('EXPIRED');
    // The same run then replaces the message, and records that it shows the expiry.
    const settled = await settleOwedApprovals({
      store,
      slack: async () => createSlackApi('xoxb-test', sink.url),
      putApprovalResult: async () => {
        throw new Error('nothing to send');
      },
      now: () => new Date(DEADLINE + 60_000),
      warn: () => {},
    });
    expect(settled).toEqual({ sent: [], shown: ['r-1'], owed: [] });
    expect(JSON.stringify(sink.callsTo('chat.update')[0]?.args.blocks)).toContain('expired');
    expect(JSON.stringify(sink.callsTo('chat.update')[0]?.args.blocks)).not.toContain('"actions"');
    expect(await store.get('r-1')).toMatchObject({ messageShows: 'EXPIRED' });
  });
});
