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
import { finishClick } from '../../../functions/approvals/approval-decisions/finish-click';
import {
  type SettleOwedOutcome,
  settleOwedApprovals,
} from '../../../functions/approvals/approval-reminders/settle-owed';
import { parseApprovalMessage } from '../../../functions/approvals/domain/approval-notification';
import { parseApprovalsPolicy } from '../../../functions/approvals/domain/approvals-policy';
import type { ClickJob } from '../../../functions/approvals/ports';
import { requestApproval } from '../../../functions/approvals/request-approval/request-approval';
import {
  handleInteraction,
  type InteractionDependencies,
} from '../../../functions/approvals/slack-interactions/handle-interaction';
import { signSlackRequest } from '../../../functions/approvals/slack-interactions/verify-slack-signature';
import { createAwsClientFactory } from '../../../functions/platform/aws-clients';
import { createSlackApi, type SlackApi } from '../../../functions/platform/slack/slack-client';
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
let slack: SlackApi;
let approvalId: string;
/** The decision worker's queue: jobs slack-interactions handed over, run by `interact` after the answer. */
const jobs: ClickJob[] = [];
let nextId = 0;

beforeAll(async () => {
  const table = await createTestTable();
  store = createApprovalStore({ client: table.client, tableName: table.tableName });
  sink = await startSlackSink({ groupMembers: { S0RELEASE: ['U0CAROL'] } });
  slack = createSlackApi('xoxb-test', sink.url);
  deps = {
    store,
    slack,
    queue: {
      enqueue: async (job) => {
        jobs.push(job);
      },
    },
    tellClicker: async () => {},
    signingSecret: async () => SIGNING_SECRET,
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
    slack: async () => slack,
    recentExecutions: async () => [],
    newId: () => `approval-${++nextId}`,
    now: () => NOW,
    warn: () => {},
  });
  if (outcome.status !== 'posted') throw new Error('expected the request to be posted');
  return outcome.approvalId;
}

const workerDeps = () => ({
  policy,
  store,
  slack: async () => slack,
  userEmail: (userId: string) => slack.userEmail(userId),
  putApprovalResult,
  now: () => NOW,
  warn: () => {},
});

/**
 * One Slack request as slack-interactions answers it, then the decision worker's run of the job it handed
 * over (after the answer, as Lambda's asynchronous invoke does). `outcome` names what the click ended as.
 */
async function interact(request: { headers: Record<string, string>; rawBody: string }) {
  const response = await handleInteraction(request, deps);
  const job = jobs.shift();
  if (!job) return { response, outcome: response.outcome as string };
  const { click: clicked, settlement } = await finishClick(job, workerDeps());
  const answer = settlement?.answer;
  const outcome =
    answer === 'accepted'
      ? job.decision.outcome.toLowerCase()
      : answer === 'refused'
        ? 'expired'
        : (answer ?? clicked);
  return { response, outcome };
}

beforeEach(async () => {
  jobs.length = 0;
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
    const { response } = await interact(request());
    expect(response.statusCode).toBe(401);
    expect(jobs).toHaveLength(0);
    expect(putCalls()).toHaveLength(0);
    expect(sink.calls).toHaveLength(0);
    expect(await store.get(approvalId)).toMatchObject({ status: 'PENDING', decisions: [] });
  });
});

describe('approving', () => {
  it('answers Slack before anything is decided, then tells CodePipeline once, naming the Slack user, and replaces the buttons', async () => {
    const response = await handleInteraction(signed(click('U0ALICE', APPROVE_ACTION_ID)), deps);
    expect(response).toMatchObject({ statusCode: 200, outcome: 'queued' });
    expect(putCalls()).toHaveLength(0);
    expect(sink.calls).toHaveLength(0);
    const job = jobs.shift();
    expect(job?.decision).toMatchObject({ userId: 'U0ALICE', outcome: 'Approved', clickId: '123.456.abc' });
    await finishClick(job as ClickJob, workerDeps());
    expect(putCalls()).toHaveLength(1);
    expect(putCalls()[0]?.args[0].input).toMatchObject({
      pipelineName: 'MyFirstPipeline',
      stageName: 'MyApprovalStage',
      actionName: 'MyApprovalAction',
      token: TOKEN,
      result: { status: 'Approved', summary: 'Approved via Slack by alice (U0ALICE)' },
    });
    const [progress, final] = sink.callsTo('chat.update');
    expect(JSON.stringify(progress?.args.blocks)).toContain('Approving… by <@U0ALICE>');
    expect(JSON.stringify(progress?.args.blocks)).not.toContain('"actions"');
    expect(JSON.stringify(final?.args.blocks)).toContain('*Approved* by <@U0ALICE>');
    expect(JSON.stringify(final?.args.blocks)).not.toContain('"actions"');
    expect(await store.get(approvalId)).toMatchObject({ messageShows: 'APPROVED' });
  });

  it('produces exactly one PutApprovalResult for a double click', async () => {
    const second = click('U0ALICE', APPROVE_ACTION_ID).replace(encodeURIComponent('123.456.abc'), 'again');
    await Promise.all([interact(signed(click('U0ALICE', APPROVE_ACTION_ID))), interact(signed(second))]);
    expect(putCalls()).toHaveLength(1);
  });

  it('produces exactly one PutApprovalResult for one click whose job is delivered twice at once', async () => {
    const request = signed(click('U0ALICE', APPROVE_ACTION_ID));
    await Promise.all([interact(request), interact(request)]);
    expect(putCalls()).toHaveLength(1);
    expect(await store.get(approvalId)).toMatchObject({ resultSentAt: expect.any(String) });
  });

  it('finishes a click whose job ran twice (a retried worker) once: its own earlier decision is recognised', async () => {
    await handleInteraction(signed(click('U0ALICE', APPROVE_ACTION_ID)), deps);
    const job = jobs.shift() as ClickJob;
    await finishClick(job, workerDeps());
    expect(await finishClick(job, workerDeps())).toMatchObject({
      click: 'decided',
      settlement: { state: 'settled' },
    });
    expect(putCalls()).toHaveLength(1);
    expect(sink.callsTo('chat.postEphemeral')).toHaveLength(0);
  });

  it('produces exactly one PutApprovalResult when two approvers click at once', async () => {
    const outcomes = await Promise.all([
      interact(signed(click('U0ALICE', APPROVE_ACTION_ID))),
      interact(signed(click('U0BOB', APPROVE_ACTION_ID))),
    ]);
    expect(putCalls()).toHaveLength(1);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['approved', 'closed']);
  });

  it('accepts a member of an allowed user group', async () => {
    const { outcome } = await interact(signed(click('U0CAROL', APPROVE_ACTION_ID)));
    expect(outcome).toBe('approved');
    expect(sink.callsTo('usergroups.users.list')[0]?.args.usergroup).toBe('S0RELEASE');
  });
});

describe('approving with a comment', () => {
  it('opens a modal, then approves with the comment in the summary', async () => {
    expect((await interact(signed(click('U0ALICE', APPROVE_WITH_COMMENT_ACTION_ID)))).outcome).toBe(
      'modal-opened',
    );
    expect(sink.callsTo('views.open')[0]?.args).toMatchObject({
      view: { callback_id: APPROVE_MODAL_CALLBACK_ID },
    });
    const submitted = await interact(
      signed(rejectReason('U0ALICE', 'canary looks good', approvalId, APPROVE_MODAL_CALLBACK_ID)),
    );
    expect(submitted.outcome).toBe('approved');
    expect(putCalls()[0]?.args[0].input.result).toEqual({
      status: 'Approved',
      summary: 'Approved via Slack by alice (U0ALICE): canary looks good',
    });
  });

  it('approves without a comment too', async () => {
    const submitted = await interact(
      signed(rejectReason('U0ALICE', '', approvalId, APPROVE_MODAL_CALLBACK_ID)),
    );
    expect(submitted.outcome).toBe('approved');
  });
});

describe('quorum of 2', () => {
  beforeEach(async () => {
    approvalId = await newApproval('QuorumPipeline');
    sink.calls.length = 0;
  });
  const clickAs = (userId: string, clickId: string) =>
    signed(click(userId, APPROVE_ACTION_ID).replace(encodeURIComponent('123.456.abc'), clickId));

  it('needs two distinct users', async () => {
    expect((await interact(clickAs('U0ALICE', 'c1'))).outcome).toBe('counted');
    expect((await interact(clickAs('U0ALICE', 'c2'))).outcome).toBe('duplicate');
    expect(putCalls()).toHaveLength(0);
    expect((await interact(clickAs('U0BOB', 'c3'))).outcome).toBe('approved');
    expect(putCalls()).toHaveLength(1);
    expect(putCalls()[0]?.args[0].input.result?.summary).toBe(
      'Approved via Slack by alice (U0ALICE); bob (U0BOB)',
    );
  });

  it('counts both of two concurrent approvals and tells CodePipeline once', async () => {
    await Promise.all([
      interact(clickAs('U0ALICE', 'c1')),
      interact(clickAs('U0BOB', 'c2')),
      interact(clickAs('U0DAN', 'c3')),
    ]);
    expect(putCalls()).toHaveLength(1);
    expect((await store.get(approvalId))?.status).toBe('APPROVED');
  });
});

describe('unauthorized users', () => {
  it('get an ephemeral refusal to approve and change nothing', async () => {
    const { outcome } = await interact(signed(click('U0MALLORY', APPROVE_ACTION_ID)));
    expect(outcome).toBe('not-an-approver');
    expect(sink.callsTo('chat.postEphemeral')[0]?.args).toMatchObject({
      user: 'U0MALLORY',
      text: 'You are not an approver for MyFirstPipeline/MyApprovalStage.',
    });
    expect(putCalls()).toHaveLength(0);
    expect(await store.get(approvalId)).toMatchObject({ status: 'PENDING', decisions: [], rev: 0 });
  });

  it('cannot reject through a forged modal submission', async () => {
    const { outcome } = await interact(signed(rejectReason('U0MALLORY', 'no')));
    expect(outcome).toBe('not-an-approver');
    expect(putCalls()).toHaveLength(0);
    expect(await store.get(approvalId)).toMatchObject({ status: 'PENDING', decisions: [] });
  });
});

describe('rejecting', () => {
  it('asks for a reason in a modal, then rejects with it', async () => {
    const opened = await interact(signed(click('U0BOB', REJECT_ACTION_ID)));
    expect(opened.outcome).toBe('modal-opened');
    expect(sink.callsTo('views.open')[0]?.args).toMatchObject({
      trigger_id: '123.456.abc',
      view: { callback_id: REJECT_MODAL_CALLBACK_ID, private_metadata: approvalId },
    });
    expect(putCalls()).toHaveLength(0);

    const submitted = await interact(signed(rejectReason('U0BOB', 'breaks checkout')));
    expect(submitted.outcome).toBe('rejected');
    expect(submitted.response.body).toBe(JSON.stringify({ response_action: 'clear' }));
    expect(putCalls()[0]?.args[0].input.result).toEqual({
      status: 'Rejected',
      summary: 'Rejected via Slack by bob (U0BOB): breaks checkout',
    });
    expect(JSON.stringify(sink.callsTo('chat.update').at(-1)?.args.blocks)).toContain('breaks checkout');
  });

  it('insists on a reason', async () => {
    const { response } = await interact(signed(rejectReason('U0BOB', '  ')));
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
    const result = await interact(signed(click('U0ALICE', APPROVE_ACTION_ID)));
    expect(result).toMatchObject({ response: { statusCode: 200 }, outcome });
    expect((await store.get(approvalId))?.status).toBe(status);
    const update = sink.callsTo('chat.update').at(-1);
    expect(JSON.stringify(update?.args.blocks)).toContain(text);
    expect(JSON.stringify(update?.args.blocks)).not.toContain('"actions"');
  });

  it("keeps a throttled decision recorded and sends it on the worker's retry, never asking for another click", async () => {
    codePipeline
      .on(PutApprovalResultCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await handleInteraction(signed(click('U0ALICE', APPROVE_ACTION_ID)), deps);
    const job = jobs.shift() as ClickJob;
    await expect(finishClick(job, workerDeps())).rejects.toThrow('slow down');
    expect(await store.get(approvalId)).toMatchObject({ status: 'APPROVED', sendAttempts: 1 });
    expect(JSON.stringify(sink.callsTo('chat.update').at(-1)?.args.blocks)).toContain('Approving…');
    codePipeline.on(PutApprovalResultCommand).resolves({ approvedAt: NOW });
    expect(await finishClick(job, workerDeps())).toMatchObject({ settlement: { answer: 'accepted' } });
    expect(putCalls()).toHaveLength(2);
    expect(JSON.stringify(sink.callsTo('chat.update').at(-1)?.args.blocks)).toContain('*Approved* by');
  });
});

/** The reminders schedule's settling of what is still owed, `minutesLater` after the click. */
const remindersRun = (minutesLater: number) =>
  settleOwedApprovals({
    store,
    slack: async () => slack,
    putApprovalResult,
    now: () => new Date(NOW.getTime() + minutesLater * 60_000),
    warn: () => {},
  });

describe('decisions CodePipeline never confirmed', () => {
  const nothing: SettleOwedOutcome = { sent: [], shown: [], owed: [] };
  /** The worker dies inside PutApprovalResult: the call never returns, nothing after it runs. */
  async function clickThatDies(body: string) {
    codePipeline.on(PutApprovalResultCommand).callsFake(() => new Promise(() => {}));
    void interact(signed(body));
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

    expect(await remindersRun(1)).toEqual(nothing); // the worker may still be running
    codePipeline.on(PutApprovalResultCommand).resolves({ approvedAt: NOW });
    expect(await remindersRun(3)).toEqual({ ...nothing, sent: [approvalId] });
    expect(await remindersRun(8)).toEqual(nothing);

    expect(putCalls()).toHaveLength(2);
    expect(putCalls()[1]?.args[0].input).toMatchObject({
      token: TOKEN,
      result: { status: 'Approved', summary: 'Approved via Slack by alice (U0ALICE)' },
    });
    expect(await store.get(approvalId)).toMatchObject({
      status: 'APPROVED',
      resultSentAt: new Date(NOW.getTime() + 3 * 60_000).toISOString(),
      messageShows: 'APPROVED',
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
    expect(await remindersRun(3)).toEqual({ ...nothing, sent: [approvalId] });
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
    expect(await remindersRun(3)).toEqual({ ...nothing, sent: [approvalId] });
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

  it("does not overwrite the action's end event that settles it during the resend", async () => {
    await clickThatDies(click('U0ALICE', APPROVE_ACTION_ID));
    codePipeline.on(PutApprovalResultCommand).callsFake(async () => {
      // The action's end event arrives while the resend waits for CodePipeline: approval-completed confirms it.
      const stuck = await store.get(approvalId);
      if (stuck) await store.confirmResult(stuck, NOW.toISOString());
      throw new InvalidApprovalTokenException({ message: 'already received a response', $metadata: {} });
    });
    await remindersRun(3);
    expect(await store.get(approvalId)).toMatchObject({
      status: 'APPROVED',
      resultSentAt: NOW.toISOString(),
      messageShows: 'APPROVED',
    });
    expect(lastUpdate()).toContain('*Approved* by <@U0ALICE>');
  });

  it('keeps sending while CodePipeline does not answer, once per claim', async () => {
    await clickThatDies(click('U0ALICE', APPROVE_ACTION_ID));
    codePipeline
      .on(PutApprovalResultCommand)
      .rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    expect(await remindersRun(3)).toEqual({ ...nothing, owed: [approvalId] });
    expect(await remindersRun(4)).toEqual(nothing); // claimed a minute ago: not stale yet
    codePipeline.on(PutApprovalResultCommand).resolves({ approvedAt: NOW });
    expect(await remindersRun(8)).toEqual({ ...nothing, sent: [approvalId] });
    expect(putCalls()).toHaveLength(3);
  });
});

describe('messages Slack did not take', () => {
  it('are replaced by the schedule until Slack takes the final state', async () => {
    const failing = new Set(['chat.update']);
    const original = slack.updateMessage;
    slack.updateMessage = async (...args) => {
      if (failing.has('chat.update')) throw new Error('slack down');
      return original(...args);
    };
    try {
      await handleInteraction(signed(click('U0ALICE', APPROVE_ACTION_ID)), deps);
      await expect(finishClick(jobs.shift() as ClickJob, workerDeps())).rejects.toThrow('slack down');
      expect(await store.get(approvalId)).toMatchObject({
        status: 'APPROVED',
        resultSentAt: expect.any(String),
      });
      expect((await store.get(approvalId))?.messageShows).toBeUndefined();
      expect(await remindersRun(1)).toEqual({ sent: [], shown: [], owed: [approvalId] });
      failing.clear();
      expect(await remindersRun(6)).toEqual({ sent: [], shown: [approvalId], owed: [] });
      expect(await store.get(approvalId)).toMatchObject({ messageShows: 'APPROVED' });
      expect(await remindersRun(11)).toEqual({ sent: [], shown: [], owed: [] });
    } finally {
      slack.updateMessage = original;
    }
  });
});

describe('PutApprovalResult answers within one job', () => {
  it('takes "already completed" after an SDK retry as its own first attempt accepted', async () => {
    codePipeline
      .on(PutApprovalResultCommand)
      .rejects(new ApprovalAlreadyCompletedException({ message: 'already', $metadata: { attempts: 2 } }));
    const { outcome } = await interact(signed(click('U0ALICE', APPROVE_ACTION_ID)));
    expect(outcome).toBe('approved');
    expect(await store.get(approvalId)).toMatchObject({
      status: 'APPROVED',
      resultSentAt: expect.any(String),
    });
    const update = JSON.stringify(sink.callsTo('chat.update').at(-1)?.args.blocks);
    expect(update).toContain('*Approved* by <@U0ALICE>');
    expect(update).not.toContain('outside Slack');
  });
});
