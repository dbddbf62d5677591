import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApprovalStore } from '../../../functions/approvals/adapters/approval-store';
import { parseApprovalMessage } from '../../../functions/approvals/domain/approval-notification';
import { parseApprovalsPolicy } from '../../../functions/approvals/domain/approvals-policy';
import {
  approvalIdFor,
  recentExecutionsFrom,
  requestApproval,
} from '../../../functions/approvals/request-approval/request-approval';
import type { HistoryStore } from '../../../functions/history/adapters/history-store';
import type { ExecutionRecord } from '../../../functions/history/domain/execution-record';
import { createSlackApi } from '../../../functions/platform/slack/slack-client';
import { documentedNotification } from '../../support/approvals';
import { createTestTable } from '../../support/dynamo';
import { startSlackSink } from '../../support/slack-sink';

const policy = parseApprovalsPolicy(
  JSON.stringify({ rules: [{ pipeline: '*', channel: 'C0APPROVALS', approvers: { users: ['U0ALICE'] } }] }),
);
let sink: Awaited<ReturnType<typeof startSlackSink>>;
let history: HistoryStore;
let approvals: ReturnType<typeof createApprovalStore>;

const execution = (executionId: string, at: string, actionStatus: string, commit: string): ExecutionRecord =>
  ({
    pipeline: 'MyFirstPipeline',
    executionId,
    startTime: at,
    firstEventAt: at,
    lastEventAt: at,
    sourceRevisions: [{ actionName: 'Source', revisionId: commit, summary: `Commit ${commit}` }],
    stages: {
      MyApprovalStage: {
        actions: { MyApprovalAction: { status: actionStatus, statusAt: at, attempt: 1 } },
      },
    },
  }) as ExecutionRecord;

beforeAll(async () => {
  const table = await createTestTable();
  history = table.store;
  approvals = createApprovalStore({ client: table.client, tableName: table.tableName });
  sink = await startSlackSink();
});
afterAll(() => sink.close());

describe('requestApproval', () => {
  it('shows the source revision of the execution waiting at the approval action', async () => {
    // The newest execution is not the one waiting: an older one sits at the approval (superseded mode queues).
    await history.mergeExecution('MyFirstPipeline', 'e-waiting', () =>
      execution('e-waiting', '2016-06-30T20:00:00.000Z', 'STARTED', 'aaaaaaaaaaaaaaaa1111'),
    );
    await history.mergeExecution('MyFirstPipeline', 'e-newer', () =>
      execution('e-newer', '2016-06-30T21:00:00.000Z', 'SUCCEEDED', 'bbbbbbbbbbbbbbbb2222'),
    );
    const outcome = await requestApproval(parseApprovalMessage(JSON.stringify(documentedNotification)), {
      policy,
      store: approvals,
      slack: async () => createSlackApi('xoxb-test', sink.url),
      recentExecutions: recentExecutionsFrom(history, () => new Date('2016-06-30T22:00:00Z')),
      now: () => new Date('2016-06-30T20:22:00Z'),
      warn: (message, context) => {
        throw new Error(`${message} ${JSON.stringify(context)}`);
      },
    });
    expect(outcome.status).toBe('posted');
    const blocks = JSON.stringify(sink.callsTo('chat.postMessage')[0]?.args.blocks);
    expect(blocks).toContain('aaaaaaaaaaaa');
    expect(blocks).toContain('Commit aaaaaaaaaaaaaaaa1111');
    expect(blocks).toContain('Review the latest changes');
  });

  it("reads the history of the notification's own account and region, not a same-named hub pipeline", async () => {
    sink.calls.length = 0;
    const spoke = { account: '222222222222', region: 'us-east-2', pipeline: 'MyFirstPipeline' };
    await history.mergeExecution(spoke, 'e-spoke', () => ({
      ...execution('e-spoke', '2016-06-30T20:00:00.000Z', 'STARTED', 'cccccccccccccccc3333'),
      account: spoke.account,
      region: spoke.region,
    }));
    const notification = { ...notificationWithToken('spoke-request-token'), account: spoke.account };
    await requestApproval(notification, {
      ...quietDependencies(),
      recentExecutions: recentExecutionsFrom(history, () => new Date('2016-06-30T22:00:00Z')),
    });
    const blocks = JSON.stringify(sink.callsTo('chat.postMessage')[0]?.args.blocks);
    expect(blocks).toContain('cccccccccccc');
    expect(blocks).not.toContain('aaaaaaaaaaaa');
  });

  it.each([
    // A newer execution runs too, but only the older one's stage has started.
    ['its stage has started', 'STARTED', 'STARTED'],
    // The newer one has ended.
    ['it is the only execution running', undefined, 'SUCCEEDED'],
  ])(
    'without the action recorded yet, shows the execution at the approval when %s',
    async (_case, stageStatus, newerStatus) => {
      sink.calls.length = 0;
      const at = '2016-06-30T20:00:00.000Z';
      const waiting = {
        ...execution('e-at-stage', at, 'none', 'dddddddddddddddd4444'),
        status: { status: 'STARTED', statusAt: at, attempt: 1 },
        stages: stageStatus
          ? { MyApprovalStage: { status: { status: stageStatus, statusAt: at, attempt: 1 }, actions: {} } }
          : {},
      } as unknown as ExecutionRecord;
      const newer = {
        ...execution('e-newer-ended', '2016-06-30T21:00:00.000Z', 'none', 'eeeeeeeeeeeeeeee5555'),
        status: { status: newerStatus, statusAt: at, attempt: 1 },
        stages: {},
      } as unknown as ExecutionRecord;
      await requestApproval(notificationWithToken(`no-action-yet-${String(stageStatus)}`), {
        ...quietDependencies(),
        recentExecutions: async () => [newer, waiting],
      });
      const blocks = JSON.stringify(sink.callsTo('chat.postMessage')[0]?.args.blocks);
      expect(blocks).toContain('dddddddddddd');
      expect(blocks).not.toContain('eeeeeeeeeeee');
    },
  );

  it('shows no revision when two executions run and neither is recorded at the approval', async () => {
    sink.calls.length = 0;
    const running = (id: string, commit: string) =>
      ({
        ...execution(id, '2016-06-30T20:00:00.000Z', 'none', commit),
        status: { status: 'STARTED', statusAt: '2016-06-30T20:00:00.000Z', attempt: 1 },
        stages: {},
      }) as unknown as ExecutionRecord;
    await requestApproval(notificationWithToken('two-running'), {
      ...quietDependencies(),
      recentExecutions: async () => [
        running('e-1', 'ffffffffffffffff6666'),
        running('e-2', '9999999999999999aaaa'),
      ],
    });
    const blocks = JSON.stringify(sink.callsTo('chat.postMessage')[0]?.args.blocks);
    expect(blocks).not.toContain('ffffffffffff');
    expect(blocks).not.toContain('999999999999');
  });

  it('still posts when the history cannot be read', async () => {
    sink.calls.length = 0;
    const outcome = await requestApproval(notificationWithToken('another-request-token'), {
      policy,
      store: approvals,
      slack: async () => createSlackApi('xoxb-test', sink.url),
      recentExecutions: async () => {
        throw new Error('throttled');
      },
      now: () => new Date('2016-06-30T20:22:00Z'),
      warn: () => {},
    });
    expect(outcome.status).toBe('posted');
    expect(sink.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('posts a redelivered request once: the same token is the same approval', async () => {
    sink.calls.length = 0;
    const deps = quietDependencies();
    const notification = notificationWithToken('redelivered-token');
    const first = await requestApproval(notification, deps);
    const again = await requestApproval(notification, deps);
    expect(first.status).toBe('posted');
    expect(again).toEqual({ status: 'duplicate', approvalId: (first as { approvalId: string }).approvalId });
    expect(sink.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('posts on redelivery when the first attempt died between storing the approval and posting it', async () => {
    sink.calls.length = 0;
    const deps = quietDependencies();
    const notification = notificationWithToken('died-before-posting');
    const dying = { ...deps, slack: async () => Promise.reject(new Error('Lambda timed out')) };
    await expect(requestApproval(notification, dying)).rejects.toThrow('Lambda timed out');
    expect((await requestApproval(notification, deps)).status).toBe('posted');
    expect(sink.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('finds a post whose answer was lost in the channel history (conversations.history with metadata)', async () => {
    const lossy = await startSlackSink({ fault: lostFirstPost() });
    try {
      const deps = { ...quietDependencies(), slack: async () => createSlackApi('xoxb-test', lossy.url) };
      const notification = notificationWithToken('post-answer-lost');
      await expect(requestApproval(notification, deps)).rejects.toThrow();
      // Lambda's retry, a minute later: the earlier claim's lease is over.
      const retry = await requestApproval(notification, {
        ...deps,
        now: () => new Date('2016-06-30T20:23:00Z'),
      });
      const [post] = lossy.callsTo('chat.postMessage');
      expect(lossy.callsTo('chat.postMessage')).toHaveLength(1);
      expect(post?.args.metadata).toEqual({
        event_type: 'pipeline_approval_requested',
        event_payload: { approval_id: approvalIdFor('post-answer-lost') },
      });
      expect(lossy.callsTo('conversations.history')[0]?.args).toMatchObject({
        channel: 'C0APPROVALS',
        // Form-encoded by the client, as Slack receives it.
        include_all_metadata: 'true',
      });
      expect(retry).toEqual({
        status: 'found-earlier-post',
        approvalId: approvalIdFor('post-answer-lost'),
        channel: 'C0APPROVALS',
        ts: expect.stringMatching(/^\d{10}\.\d{6}$/),
      });
      const { ts } = retry as { ts: string };
      expect((await approvals.get(approvalIdFor('post-answer-lost')))?.messageTs).toBe(ts);
    } finally {
      await lossy.close();
    }
  });

  it('posts again, and says why, when the app may not read the channel history', async () => {
    const lossy = await startSlackSink({
      fault: lostFirstPost(),
      answer: ({ method }) =>
        method === 'conversations.history'
          ? { status: 200, body: { ok: false, error: 'missing_scope', needed: 'channels:history' } }
          : undefined,
    });
    try {
      const warnings: unknown[] = [];
      const deps = {
        ...quietDependencies(),
        slack: async () => createSlackApi('xoxb-test', lossy.url),
        warn: (message: string, context: Record<string, unknown>) => warnings.push({ message, context }),
      };
      const notification = notificationWithToken('history-unreadable');
      await expect(requestApproval(notification, deps)).rejects.toThrow();
      const retry = await requestApproval(notification, {
        ...deps,
        now: () => new Date('2016-06-30T20:23:00Z'),
      });
      expect(retry.status).toBe('posted');
      expect(lossy.callsTo('chat.postMessage')).toHaveLength(2);
      expect(warnings).toEqual([
        {
          message: expect.stringContaining('channels:history and groups:history'),
          context: expect.objectContaining({ reason: 'missing_scope' }),
        },
      ]);
    } finally {
      await lossy.close();
    }
  });

  it('derives the approval id from the token one way: the token never shows in Slack', () => {
    const id = approvalIdFor('1a2b3c4d-573f-4ea7-a67E-XAMPLETOKEN');
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(approvalIdFor('1a2b3c4d-573f-4ea7-a67E-XAMPLETOKEN')).toBe(id);
    expect(approvalIdFor('another')).not.toBe(id);
  });
});

/** The first chat.postMessage reaches Slack and its answer is lost. */
function lostFirstPost() {
  let posts = 0;
  return (method: string) => (method === 'chat.postMessage' && ++posts === 1 ? 'lost-response' : undefined);
}

function notificationWithToken(token: string) {
  return parseApprovalMessage(
    JSON.stringify({ ...documentedNotification, approval: { ...documentedNotification.approval, token } }),
  );
}

/** A policy-covered request with no history and a working Slack: what the redelivery tests vary. */
function quietDependencies() {
  return {
    policy,
    store: approvals,
    slack: async () => createSlackApi('xoxb-test', sink.url),
    recentExecutions: async () => [],
    now: () => new Date('2016-06-30T20:22:00Z'),
    warn: () => {},
  };
}
