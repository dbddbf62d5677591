import {
  ApprovalAlreadyCompletedException,
  CodePipelineClient,
  InvalidApprovalTokenException,
  PutApprovalResultCommand,
} from '@aws-sdk/client-codepipeline';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  APPROVE_ACTION_ID,
  APPROVE_MODAL_CALLBACK_ID,
  APPROVE_WITH_COMMENT_ACTION_ID,
  REJECT_ACTION_ID,
  REJECT_MODAL_CALLBACK_ID,
} from '../../../functions/approvals/adapters/approval-messages';
import {
  type ApprovalStore,
  createApprovalStore,
} from '../../../functions/approvals/adapters/approval-store';
import { approvalResultSender } from '../../../functions/approvals/adapters/put-approval-result';
import {
  type RedriveOutcome,
  redriveUnconfirmedDecisions,
} from '../../../functions/approvals/approval-reminders/redrive-decisions';
import { parseApprovalMessage } from '../../../functions/approvals/domain/approval-notification';
import { parseApprovalsPolicy } from '../../../functions/approvals/domain/approvals-policy';
import { requestApproval } from '../../../functions/approvals/request-approval/request-approval';
import {
  handleInteraction,
  type InteractionDependencies,
} from '../../../functions/approvals/slack-interactions/handle-interaction';
import { signSlackRequest } from '../../../functions/approvals/slack-interactions/verify-slack-signature';
import { createAwsClientFactory } from '../../../functions/platform/aws-clients';
import { createSlackApi } from '../../../functions/platform/slack/slack-client';
import { documentedNotification } from '../../support/approvals';
import { createTestTable } from '../../support/dynamo';
import { startSlackSink } from '../../support/slack-sink';

const SIGNING_SECRET = 'test-signing-secret-0123456789';
const NOW = new Date('2016-07-01T12:00:00Z');
const TOKEN = documentedNotification.approval.token;

const policy = parseApprovalsPolicy(
  JSON.stringify({
    rules: [
      {
        pipeline: 'MyFirstPipeline',
        channel: 'C0APPROVALS',
        approvers: { users: ['U0ALICE', 'U0BOB'], groups: ['S0RELEASE'] },
      },
      {
        pipeline: 'Quorum*',
        channel: 'C0APPROVALS',
        approvers: { users: ['U0ALICE', 'U0BOB', 'U0DAN'] },
        quorum: 2,
      },
    ],
  }),
);

const codePipeline = mockClient(CodePipelineClient);
const putApprovalResult = approvalResultSender(createAwsClientFactory());
let sink: Awaited<ReturnType<typeof startSlackSink>>;
let store: ApprovalStore;
let deps: InteractionDependencies;
let approvalId: string;
let nextId = 0;

beforeAll(async () => {
  const table = await createTestTable();
  store = createApprovalStore({ client: table.client, tableName: table.tableName });
  sink = await startSlackSink({ groupMembers: { S0RELEASE: ['U0CAROL'] } });
  const slack = createSlackApi('xoxb-test', sink.url);
  deps = {
    policy,
    store,
    slack,
    signingSecret: async () => SIGNING_SECRET,
    putApprovalResult,
    now: () => NOW,
    warn: () => {},
  };
});
afterAll(() => sink.close());

async function newApproval(pipelineName = 'MyFirstPipeline') {
  const notification = parseApprovalMessage(
    JSON.stringify({
      ...documentedNotification,
      approval: { ...documentedNotification.approval, pipelineName },
    }),
  );
  const outcome = await requestApproval(notification, {
    policy,
    store,
    slack: async () => deps.slack,
    recentExecutions: async () => [],
    newId: () => `approval-${++nextId}`,
    now: () => NOW,
    warn: () => {},
  });
  if (outcome.status !== 'posted') throw new Error('expected the request to be posted');
  return outcome.approvalId;
}

beforeEach(async () => {
  codePipeline.reset();
  codePipeline.on(PutApprovalResultCommand).resolves({ approvedAt: NOW });
  approvalId = await newApproval();
  sink.calls.length = 0;
});

function signed(rawBody: string, at = NOW.getTime() / 1000) {
  return { headers: signSlackRequest(rawBody, SIGNING_SECRET, at), rawBody };
}
const form = (payload: object) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;
const click = (userId: string, actionId: string, id = approvalId) =>
  form({
    type: 'block_actions',
    user: { id: userId, username: userId.slice(2).toLowerCase() },
    trigger_id: '123.456.abc',
    channel: { id: 'C0APPROVALS' },
    actions: [{ action_id: actionId, value: id }],
  });
const rejectReason = (
  userId: string,
  reason: string,
  id = approvalId,
  callbackId = REJECT_MODAL_CALLBACK_ID,
) =>
  form({
    type: 'view_submission',
    user: { id: userId, username: userId.slice(2).toLowerCase() },
    view: {
      callback_id: callbackId,
      private_metadata: id,
      state: { values: { reason: { 'reason-input': { value: reason } } } },
    },
  });
const putCalls = () => codePipeline.commandCalls(PutApprovalResultCommand);

describe('approval request', () => {
  it('stores the token server-side and posts a message that never contains it', async () => {
    approvalId = await newApproval();
    const [posted] = sink.callsTo('chat.postMessage');
    expect(posted?.args.channel).toBe('C0APPROVALS');
    expect(JSON.stringify(posted?.args)).not.toContain(TOKEN);
    expect(await store.get(approvalId)).toMatchObject({
      token: TOKEN,
      status: 'PENDING',
      messageTs: expect.any(String),
    });
  });
});

describe('Slack signature', () => {
  const body = () => click('U0ALICE', APPROVE_ACTION_ID);
  it.each([
    [
      'forged',
      () => ({
        headers: {
          'x-slack-signature': `v0=${'a'.repeat(64)}`,
          'x-slack-request-timestamp': String(NOW.getTime() / 1000),
        },
        rawBody: body(),
      }),
    ],
    ['stale', () => signed(body(), NOW.getTime() / 1000 - 301)],
    [
      'replayed with a new timestamp',
      () => {
        const original = signed(body(), NOW.getTime() / 1000 - 600);
        return {
          ...original,
          headers: { ...original.headers, 'x-slack-request-timestamp': String(NOW.getTime() / 1000) },
        };
      },
    ],
    ['body-tampered', () => ({ ...signed(body()), rawBody: click('U0ALICE', REJECT_ACTION_ID) })],
  ])('answers a %s request with 401 and no side effect', async (_case, request) => {
    const response = await handleInteraction(request(), deps);
    expect(response.statusCode).toBe(401);
    expect(putCalls()).toHaveLength(0);
    expect(sink.calls).toHaveLength(0);
    expect(await store.get(approvalId)).toMatchObject({ status: 'PENDING', decisions: [] });
  });
});

describe('approving', () => {
  it('tells CodePipeline once, naming the Slack user, and replaces the buttons', async () => {
    const response = await handleInteraction(signed(click('U0ALICE', APPROVE_ACTION_ID)), deps);
    expect(response).toMatchObject({ statusCode: 200, outcome: 'approved' });
    expect(putCalls()).toHaveLength(1);
    expect(putCalls()[0]?.args[0].input).toMatchObject({
      pipelineName: 'MyFirstPipeline',
      stageName: 'MyApprovalStage',
      actionName: 'MyApprovalAction',
      token: TOKEN,
      result: { status: 'Approved', summary: 'Approved via Slack by alice (U0ALICE)' },
    });
    const [update] = sink.callsTo('chat.update');
    expect(JSON.stringify(update?.args.blocks)).toContain('*Approved* by <@U0ALICE>');
    expect(JSON.stringify(update?.args.blocks)).not.toContain('"actions"');
  });

  it('produces exactly one PutApprovalResult for a double click', async () => {
    const request = signed(click('U0ALICE', APPROVE_ACTION_ID));
    await Promise.all([handleInteraction(request, deps), handleInteraction(request, deps)]);
    expect(putCalls()).toHaveLength(1);
  });

  it('produces exactly one PutApprovalResult when two approvers click at once', async () => {
    const outcomes = await Promise.all([
      handleInteraction(signed(click('U0ALICE', APPROVE_ACTION_ID)), deps),
      handleInteraction(signed(click('U0BOB', APPROVE_ACTION_ID)), deps),
    ]);
    expect(putCalls()).toHaveLength(1);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['approved', 'closed']);
  });

  it('accepts a member of an allowed user group', async () => {
    const response = await handleInteraction(signed(click('U0CAROL', APPROVE_ACTION_ID)), deps);
    expect(response.outcome).toBe('approved');
    expect(sink.callsTo('usergroups.users.list')[0]?.args.usergroup).toBe('S0RELEASE');
  });
});

describe('approving with a comment', () => {
  it('opens a modal, then approves with the comment in the summary', async () => {
    expect(
      (await handleInteraction(signed(click('U0ALICE', APPROVE_WITH_COMMENT_ACTION_ID)), deps)).outcome,
    ).toBe('modal-opened');
    expect(sink.callsTo('views.open')[0]?.args).toMatchObject({
      view: { callback_id: APPROVE_MODAL_CALLBACK_ID },
    });
    const submitted = await handleInteraction(
      signed(rejectReason('U0ALICE', 'canary looks good', approvalId, APPROVE_MODAL_CALLBACK_ID)),
      deps,
    );
    expect(submitted.outcome).toBe('approved');
    expect(putCalls()[0]?.args[0].input.result).toEqual({
      status: 'Approved',
      summary: 'Approved via Slack by alice (U0ALICE): canary looks good',
    });
  });

  it('approves without a comment too', async () => {
    const submitted = await handleInteraction(
      signed(rejectReason('U0ALICE', '', approvalId, APPROVE_MODAL_CALLBACK_ID)),
      deps,
    );
    expect(submitted.outcome).toBe('approved');
  });
});

describe('quorum of 2', () => {
  beforeEach(async () => {
    approvalId = await newApproval('QuorumPipeline');
    sink.calls.length = 0;
  });

  it('needs two distinct users', async () => {
    expect((await handleInteraction(signed(click('U0ALICE', APPROVE_ACTION_ID)), deps)).outcome).toBe(
      'counted',
    );
    expect((await handleInteraction(signed(click('U0ALICE', APPROVE_ACTION_ID)), deps)).outcome).toBe(
      'duplicate',
    );
    expect(putCalls()).toHaveLength(0);
    expect((await handleInteraction(signed(click('U0BOB', APPROVE_ACTION_ID)), deps)).outcome).toBe(
      'approved',
    );
    expect(putCalls()).toHaveLength(1);
    expect(putCalls()[0]?.args[0].input.result?.summary).toBe(
      'Approved via Slack by alice (U0ALICE); bob (U0BOB)',
    );
  });

  it('counts both of two concurrent approvals and tells CodePipeline once', async () => {
    await Promise.all([
      handleInteraction(signed(click('U0ALICE', APPROVE_ACTION_ID)), deps),
      handleInteraction(signed(click('U0BOB', APPROVE_ACTION_ID)), deps),
      handleInteraction(signed(click('U0DAN', APPROVE_ACTION_ID)), deps),
    ]);
    expect(putCalls()).toHaveLength(1);
    expect((await store.get(approvalId))?.status).toBe('APPROVED');
  });
});

describe('unauthorized users', () => {
  it.each([
    ['approve', APPROVE_ACTION_ID],
    ['reject', REJECT_ACTION_ID],
  ])('get an ephemeral refusal to %s and change nothing', async (_case, actionId) => {
    const response = await handleInteraction(signed(click('U0MALLORY', actionId)), deps);
    expect(response.outcome).toBe('not-an-approver');
    expect(sink.callsTo('chat.postEphemeral')[0]?.args).toMatchObject({
      user: 'U0MALLORY',
      text: 'You are not an approver for MyFirstPipeline/MyApprovalStage.',
    });
    expect(sink.callsTo('views.open')).toHaveLength(0);
    expect(putCalls()).toHaveLength(0);
    expect(await store.get(approvalId)).toMatchObject({ status: 'PENDING', decisions: [], rev: 0 });
  });

  it('cannot reject through a forged modal submission', async () => {
    const response = await handleInteraction(signed(rejectReason('U0MALLORY', 'no')), deps);
    expect(response.outcome).toBe('not-an-approver');
    expect(putCalls()).toHaveLength(0);
  });
});

describe('rejecting', () => {
  it('asks for a reason in a modal, then rejects with it', async () => {
    const opened = await handleInteraction(signed(click('U0BOB', REJECT_ACTION_ID)), deps);
    expect(opened.outcome).toBe('modal-opened');
    expect(sink.callsTo('views.open')[0]?.args).toMatchObject({
      trigger_id: '123.456.abc',
      view: { callback_id: REJECT_MODAL_CALLBACK_ID, private_metadata: approvalId },
    });
    expect(putCalls()).toHaveLength(0);

    const submitted = await handleInteraction(signed(rejectReason('U0BOB', 'breaks checkout')), deps);
    expect(submitted).toMatchObject({
      outcome: 'rejected',
      body: JSON.stringify({ response_action: 'clear' }),
    });
    expect(putCalls()[0]?.args[0].input.result).toEqual({
      status: 'Rejected',
      summary: 'Rejected via Slack by bob (U0BOB): breaks checkout',
    });
    expect(JSON.stringify(sink.callsTo('chat.update')[0]?.args.blocks)).toContain('breaks checkout');
  });

  it('insists on a reason', async () => {
    const response = await handleInteraction(signed(rejectReason('U0BOB', '  ')), deps);
    expect(response.outcome).toBe('reason-required');
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ response_action: 'errors' });
    expect(putCalls()).toHaveLength(0);
  });
});

describe('CodePipeline refusals', () => {
  it.each([
    [
      'ApprovalAlreadyCompletedException',
      new ApprovalAlreadyCompletedException({ message: 'already', $metadata: {} }),
      'completed-elsewhere',
      'COMPLETED_ELSEWHERE',
      'already completed outside Slack',
    ],
    [
      'InvalidApprovalTokenException',
      new InvalidApprovalTokenException({ message: 'expired', $metadata: {} }),
      'expired',
      'EXPIRED',
      'expired or was superseded',
    ],
  ])('maps %s to a message that says so', async (_name, error, outcome, status, text) => {
    codePipeline.on(PutApprovalResultCommand).rejects(error);
    const response = await handleInteraction(signed(click('U0ALICE', APPROVE_ACTION_ID)), deps);
    expect(response).toMatchObject({ statusCode: 200, outcome });
    expect((await store.get(approvalId))?.status).toBe(status);
    const update = sink.callsTo('chat.update')[0];
    expect(JSON.stringify(update?.args.blocks)).toContain(text);
    expect(JSON.stringify(update?.args.blocks)).not.toContain('"actions"');
  });

  it('reopens the approval when CodePipeline fails for another reason, so the click can be repeated', async () => {
    codePipeline
      .on(PutApprovalResultCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(handleInteraction(signed(click('U0ALICE', APPROVE_ACTION_ID)), deps)).rejects.toThrow(
      'slow down',
    );
    expect(await store.get(approvalId)).toMatchObject({ status: 'PENDING', decisions: [] });
    // The clicker is told why and that clicking again is safe, not only Slack's generic error.
    expect(String(sink.callsTo('chat.postEphemeral').at(-1)?.args.text)).toContain(
      'CodePipeline did not take your decision (ThrottlingException: slow down)',
    );
    codePipeline.on(PutApprovalResultCommand).resolves({ approvedAt: NOW });
    expect((await handleInteraction(signed(click('U0ALICE', APPROVE_ACTION_ID)), deps)).outcome).toBe(
      'approved',
    );
  });
});

/** The reminders schedule's resend of unconfirmed decisions, `minutesLater` after the click. */
const remindersRun = (minutesLater: number) =>
  redriveUnconfirmedDecisions({
    store,
    slack: async () => deps.slack,
    putApprovalResult,
    now: () => new Date(NOW.getTime() + minutesLater * 60_000),
    warn: () => {},
  });

describe('decisions CodePipeline never confirmed', () => {
  const nothing: RedriveOutcome = { confirmed: [], closed: [], unconfirmed: [] };
  /** The click's Lambda dies inside PutApprovalResult: the call never returns, nothing after it runs. */
  async function clickThatDies(body: string) {
    codePipeline.on(PutApprovalResultCommand).callsFake(() => new Promise(() => {}));
    void handleInteraction(signed(body), deps);
    await vi.waitFor(() => expect(putCalls()).toHaveLength(1));
    sink.calls.length = 0;
  }
  const lastUpdate = () => JSON.stringify(sink.callsTo('chat.update').at(-1)?.args.blocks);

  it('leaves the decision recognisably unconfirmed; the next reminders run sends it once and updates the message', async () => {
    await clickThatDies(click('U0ALICE', APPROVE_ACTION_ID));
    const stuck = await store.get(approvalId);
    expect(stuck).toMatchObject({ status: 'APPROVED', decidedAt: NOW.toISOString() });
    expect(stuck?.resultSentAt).toBeUndefined();
    expect(sink.callsTo('chat.update')).toHaveLength(0);

    expect(await remindersRun(1)).toEqual(nothing); // the click may still be running
    codePipeline.on(PutApprovalResultCommand).resolves({ approvedAt: NOW });
    expect(await remindersRun(3)).toEqual({ ...nothing, confirmed: [approvalId] });
    expect(await remindersRun(8)).toEqual(nothing);

    expect(putCalls()).toHaveLength(2);
    expect(putCalls()[1]?.args[0].input).toMatchObject({
      token: TOKEN,
      result: { status: 'Approved', summary: 'Approved via Slack by alice (U0ALICE)' },
    });
    expect(await store.get(approvalId)).toMatchObject({
      status: 'APPROVED',
      resultSentAt: new Date(NOW.getTime() + 3 * 60_000).toISOString(),
    });
    expect(sink.callsTo('chat.update')).toHaveLength(1);
    expect(lastUpdate()).toContain('*Approved* by <@U0ALICE>');
    expect(lastUpdate()).not.toContain('"actions"');
  });

  it('reads "already completed" on the resend as its first attempt accepted, decided by the recorded user', async () => {
    await clickThatDies(rejectReason('U0BOB', 'breaks the checkout'));
    codePipeline
      .on(PutApprovalResultCommand)
      .rejects(new ApprovalAlreadyCompletedException({ message: 'already', $metadata: {} }));
    expect(await remindersRun(3)).toEqual({ ...nothing, confirmed: [approvalId] });
    expect(await store.get(approvalId)).toMatchObject({
      status: 'REJECTED',
      resultSentAt: expect.any(String),
    });
    expect(lastUpdate()).toContain('*Rejected* by <@U0BOB>');
    expect(lastUpdate()).toContain('breaks the checkout');
    expect(lastUpdate()).not.toContain('outside Slack');
  });

  it("closes it with CodePipeline's reason when the token is no longer valid", async () => {
    await clickThatDies(click('U0ALICE', APPROVE_ACTION_ID));
    codePipeline
      .on(PutApprovalResultCommand)
      .rejects(new InvalidApprovalTokenException({ message: 'superseded', $metadata: {} }));
    expect(await remindersRun(3)).toEqual({ ...nothing, closed: [approvalId] });
    expect(await remindersRun(8)).toEqual(nothing);
    expect(putCalls()).toHaveLength(2);
    expect(await store.get(approvalId)).toMatchObject({
      status: 'EXPIRED',
      closedReason: 'InvalidApprovalTokenException: superseded',
    });
    expect(lastUpdate()).toContain('expired or was superseded');
    expect(lastUpdate()).toContain('CodePipeline did not confirm the approved decision by <@U0ALICE>');
    expect(lastUpdate()).not.toContain('"actions"');
  });

  it("leaves it alone when the action's end event settles it during the resend (no close, no message)", async () => {
    await clickThatDies(click('U0ALICE', APPROVE_ACTION_ID));
    codePipeline.on(PutApprovalResultCommand).callsFake(async () => {
      // The action's end event arrives while the resend waits for CodePipeline: approval-completed confirms it.
      const stuck = await store.get(approvalId);
      if (stuck) await store.confirmResult(stuck, NOW.toISOString());
      throw new InvalidApprovalTokenException({ message: 'already received a response', $metadata: {} });
    });
    expect(await remindersRun(3)).toEqual(nothing);
    expect(await store.get(approvalId)).toMatchObject({
      status: 'APPROVED',
      resultSentAt: NOW.toISOString(),
    });
    expect(sink.callsTo('chat.update')).toHaveLength(0);
  });

  it('keeps sending while CodePipeline does not answer, once per run', async () => {
    await clickThatDies(click('U0ALICE', APPROVE_ACTION_ID));
    codePipeline
      .on(PutApprovalResultCommand)
      .rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    expect(await remindersRun(3)).toEqual({ ...nothing, unconfirmed: [approvalId] });
    expect(await remindersRun(4)).toEqual(nothing); // sent a minute ago: not stuck again yet
    codePipeline.on(PutApprovalResultCommand).resolves({ approvedAt: NOW });
    expect(await remindersRun(8)).toEqual({ ...nothing, confirmed: [approvalId] });
    expect(putCalls()).toHaveLength(3);
  });
});

describe('PutApprovalResult answers within one click', () => {
  it('takes "already completed" after an SDK retry as its own first attempt accepted', async () => {
    codePipeline
      .on(PutApprovalResultCommand)
      .rejects(new ApprovalAlreadyCompletedException({ message: 'already', $metadata: { attempts: 2 } }));
    const response = await handleInteraction(signed(click('U0ALICE', APPROVE_ACTION_ID)), deps);
    expect(response.outcome).toBe('approved');
    expect(await store.get(approvalId)).toMatchObject({
      status: 'APPROVED',
      resultSentAt: expect.any(String),
    });
    const update = JSON.stringify(sink.callsTo('chat.update')[0]?.args.blocks);
    expect(update).toContain('*Approved* by <@U0ALICE>');
    expect(update).not.toContain('outside Slack');
  });

  it('keeps an unanswered decision recorded (not reopened) for the reminders run, and tells the approver', async () => {
    codePipeline
      .on(PutApprovalResultCommand)
      .rejects(Object.assign(new Error('timed out'), { name: 'TimeoutError', $metadata: { attempts: 2 } }));
    const response = await handleInteraction(signed(click('U0ALICE', APPROVE_ACTION_ID)), deps);
    expect(response.outcome).toBe('unconfirmed');
    const record = await store.get(approvalId);
    expect(record).toMatchObject({ status: 'APPROVED' });
    expect(record?.resultSentAt).toBeUndefined();
    expect(String(sink.callsTo('chat.postEphemeral')[0]?.args.text)).toContain('sent again');
    // Confirmed by the next run, so no other test's run finds it.
    codePipeline.on(PutApprovalResultCommand).resolves({ approvedAt: NOW });
    expect((await remindersRun(3)).confirmed).toEqual([approvalId]);
  });
});
