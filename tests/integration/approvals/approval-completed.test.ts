import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApprovalStore,
  createApprovalStore,
} from '../../../functions/approvals/adapters/approval-store';
import { closeApprovalsCompletedElsewhere } from '../../../functions/approvals/approval-completed/close-approval';
import { parseApprovalMessage } from '../../../functions/approvals/domain/approval-notification';
import { parseApprovalsPolicy } from '../../../functions/approvals/domain/approvals-policy';
import { requestApproval } from '../../../functions/approvals/request-approval/request-approval';
import { actionExecutionEvent } from '../../../functions/events/codepipeline-events';
import { createSlackApi } from '../../../functions/platform/slack/slack-client';
import { documentedNotification } from '../../support/approvals';
import { createTestTable } from '../../support/dynamo';
import { startSlackSink } from '../../support/slack-sink';

const policy = parseApprovalsPolicy(
  JSON.stringify({ rules: [{ pipeline: '*', channel: 'C0APPROVALS', approvers: { users: ['U0ALICE'] } }] }),
);
let sink: Awaited<ReturnType<typeof startSlackSink>>;
let store: ApprovalStore;

beforeAll(async () => {
  const table = await createTestTable();
  store = createApprovalStore({ client: table.client, tableName: table.tableName });
  sink = await startSlackSink();
});
afterAll(() => sink.close());

async function pending(id: string, stageName: string) {
  // As it arrives through a topic of the pipeline's account (the action events' account below).
  const notification = {
    ...parseApprovalMessage(
      JSON.stringify({
        ...documentedNotification,
        approval: { ...documentedNotification.approval, stageName },
      }),
    ),
    account: '111122223333',
  };
  await requestApproval(notification, {
    policy,
    store,
    slack: async () => createSlackApi('xoxb-test', sink.url),
    recentExecutions: async () => [],
    newId: () => id,
    now: () => new Date('2016-07-01T00:00:00Z'),
    warn: () => {},
  });
}

const actionEvent = (stage: string, state: string, time = '2016-07-02T00:00:00Z') =>
  actionExecutionEvent.parse({
    version: '0',
    id: 'e1',
    'detail-type': 'CodePipeline Action Execution State Change',
    source: 'aws.codepipeline',
    account: '111122223333',
    time,
    region: 'us-east-2',
    resources: ['arn:aws:codepipeline:us-east-2:111122223333:MyFirstPipeline'],
    detail: {
      pipeline: 'MyFirstPipeline',
      'execution-id': '01234567-0123-0123-0123-012345678901',
      stage,
      action: 'MyApprovalAction',
      state,
      region: 'us-east-2',
      type: { owner: 'AWS', provider: 'Manual', category: 'Approval', version: '1' },
      version: 1,
    },
  });

/** Decided by U0ALICE in Slack at 2016-07-01T12:00Z; CodePipeline's answer not recorded (unconfirmed). */
async function decidedInSlack(id: string, stage: string, outcome: 'Approved' | 'Rejected') {
  await pending(id, stage);
  const record = await store.get(id);
  if (!record) throw new Error('expected the approval');
  const decisions = [{ userId: 'U0ALICE', userName: 'alice', outcome, at: '2016-07-01T12:00:00.000Z' }];
  const status = outcome === 'Approved' ? 'APPROVED' : 'REJECTED';
  await store.applyDecision(id, record.rev, { ...record, status, decisions });
  return { ...record, status, decisions, rev: record.rev + 1 } as const;
}

const deps = () => ({
  store,
  slack: async () => createSlackApi('xoxb-test', sink.url),
  warn: () => {},
  now: () => new Date(),
});

describe('approval completed outside Slack', () => {
  it.each([
    [
      'SUCCEEDED',
      'ApprovedInConsole',
      'COMPLETED_ELSEWHERE',
      'Approved outside Slack (CodePipeline does not say by whom',
      undefined,
    ],
    ['ABANDONED', 'Superseded', 'EXPIRED', 'A newer execution superseded this one', undefined],
    [
      'CANCELED',
      'PipelineUpdated',
      'EXPIRED',
      'the pipeline was updated while this approval waited',
      undefined,
    ],
    ['FAILED', 'TimedOut', 'EXPIRED', 'Nobody decided before the deadline', '2016-07-08T00:00:00Z'],
    [
      'FAILED',
      'RejectedInConsole',
      'COMPLETED_ELSEWHERE',
      'Rejected outside Slack (CodePipeline does not say by whom',
      undefined,
    ],
  ])('closes the pending approval and its message on %s (%s)', async (state, stage, status, text, time) => {
    await pending(`c-${stage}`, stage);
    sink.calls.length = 0;
    const outcome = await closeApprovalsCompletedElsewhere(actionEvent(stage, state, time), deps());
    expect(outcome.closed).toEqual([`c-${stage}`]);
    expect((await store.get(`c-${stage}`))?.status).toBe(status);
    // Only a person's decision has an approval wait; a timeout or a superseded execution has none.
    expect(outcome.decidedElsewhere).toEqual(
      status === 'COMPLETED_ELSEWHERE'
        ? [
            {
              account: '111122223333',
              region: 'us-east-2',
              pipeline: 'MyFirstPipeline',
              waitedMs: Date.parse(time ?? '2016-07-02T00:00:00Z') - Date.parse('2016-07-01T00:00:00Z'),
            },
          ]
        : [],
    );
    const update = sink.callsTo('chat.update')[0];
    expect(JSON.stringify(update?.args.blocks)).toContain(text);
    expect(JSON.stringify(update?.args.blocks)).not.toContain('"actions"');
  });

  it("says who approved outside Slack and when, from CodePipeline's action execution record", async () => {
    await pending('c-who', 'Who');
    sink.calls.length = 0;
    const actionEnd = async () => ({
      by: 'arn:aws:sts::123456789012:assumed-role/Release/alice',
      at: '2016-07-01T23:59:00.000Z',
      summary: 'canary is green',
    });
    await closeApprovalsCompletedElsewhere(actionEvent('Who', 'SUCCEEDED'), { ...deps(), actionEnd });
    const update = JSON.stringify(sink.callsTo('chat.update')[0]?.args.blocks);
    expect(update).toContain(
      'Approved outside Slack by `arn:aws:sts::123456789012:assumed-role/Release/alice`',
    );
    expect(update).toContain('|2016-07-01T23:59:00.000Z>');
    expect(update).toContain('> canary is green');
  });

  it('says plainly that it does not know who when the lookup fails', async () => {
    await pending('c-unknown', 'Unknown');
    sink.calls.length = 0;
    const actionEnd = async () => {
      throw Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    };
    await closeApprovalsCompletedElsewhere(actionEvent('Unknown', 'SUCCEEDED'), { ...deps(), actionEnd });
    expect(JSON.stringify(sink.callsTo('chat.update')[0]?.args.blocks)).toContain(
      'CodePipeline does not say by whom',
    );
  });

  it('leaves an approval decided in Slack alone when its own SUCCEEDED event arrives', async () => {
    const decided = await decidedInSlack('c-slack', 'Slack', 'Approved');
    await store.confirmResult(decided, '2016-07-01T12:00:01Z');
    sink.calls.length = 0;
    expect(
      (await closeApprovalsCompletedElsewhere(actionEvent('Slack', 'SUCCEEDED'), deps())).closed,
    ).toEqual([]);
    expect(sink.calls).toHaveLength(0);
  });

  it('confirms a Slack decision left unconfirmed when the action ends as decided', async () => {
    await decidedInSlack('c-unconfirmed', 'Unconfirmed', 'Approved');
    sink.calls.length = 0;
    const outcome = await closeApprovalsCompletedElsewhere(actionEvent('Unconfirmed', 'SUCCEEDED'), deps());
    expect(outcome).toMatchObject({ closed: [], confirmed: ['c-unconfirmed'], decidedElsewhere: [] });
    expect(await store.get('c-unconfirmed')).toMatchObject({
      status: 'APPROVED',
      resultSentAt: '2016-07-02T00:00:00.000Z',
    });
    expect(JSON.stringify(sink.callsTo('chat.update')[0]?.args.blocks)).toContain('*Approved* by <@U0ALICE>');
    // Settled: the reminders schedule's resend no longer finds it.
    expect(await store.unconfirmedSince(new Date('2016-07-09T00:00:00Z'))).toEqual([]);
  });

  it('closes a Slack decision left unconfirmed when the action ended otherwise', async () => {
    await decidedInSlack('c-overruled', 'Overruled', 'Approved');
    sink.calls.length = 0;
    const outcome = await closeApprovalsCompletedElsewhere(actionEvent('Overruled', 'FAILED'), deps());
    expect(outcome).toMatchObject({ closed: ['c-overruled'], confirmed: [] });
    expect((await store.get('c-overruled'))?.status).toBe('COMPLETED_ELSEWHERE');
    const update = JSON.stringify(sink.callsTo('chat.update')[0]?.args.blocks);
    expect(update).toContain('Rejected outside Slack');
    // The Slack decision CodePipeline did not follow stays in the message.
    expect(update).toContain('*Approved* by <@U0ALICE>');
    expect(await store.unconfirmedSince(new Date('2016-07-09T00:00:00Z'))).toEqual([]);
  });

  it('ignores an approval action that only started', async () => {
    await pending('c-started', 'Started');
    expect(
      (await closeApprovalsCompletedElsewhere(actionEvent('Started', 'STARTED'), deps())).closed,
    ).toEqual([]);
    expect((await store.get('c-started'))?.status).toBe('PENDING');
  });
});
