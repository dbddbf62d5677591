import { createServer } from 'node:http';
import { CodePipelineClient, PutApprovalResultCommand } from '@aws-sdk/client-codepipeline';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApprovalStore,
  createApprovalStore,
} from '../../../functions/approvals/adapters/approval-store';
import { createCommitAuthors } from '../../../functions/approvals/adapters/commit-authors';
import { approvalResultSender } from '../../../functions/approvals/adapters/put-approval-result';
import { cachedSlackUserEmail } from '../../../functions/approvals/adapters/slack-user-email';
import { finishClick } from '../../../functions/approvals/approval-decisions/finish-click';
import { parseApprovalMessage } from '../../../functions/approvals/domain/approval-notification';
import { parseApprovalsPolicy } from '../../../functions/approvals/domain/approvals-policy';
import type { DecisionOutcome } from '../../../functions/approvals/domain/decide-approval';
import { requestApproval } from '../../../functions/approvals/request-approval/request-approval';
import type { ExecutionRecord } from '../../../functions/history/domain/execution-record';
import { createAwsClientFactory } from '../../../functions/platform/aws-clients';
import { createSlackApi, type SlackApi } from '../../../functions/platform/slack/slack-client';
import { createFaultInjector } from '../../../local/fault-injection';
import { listenOnLoopback } from '../../../local/loopback';
import { createOutbox } from '../../../local/outbox';
import { documentedNotification } from '../../support/approvals';
import { createTestTable } from '../../support/dynamo';
import { startSlackSink } from '../../support/slack-sink';

/**
 * Separation of duties end to end: the request reads who made and started the change (the history's
 * execution, the commit's author from GitHub or CodeCommit), the message says who may not approve, and the
 * decision worker refuses their approval privately while the others' count towards the quorum.
 */
const NOW = new Date('2016-07-01T12:00:00Z');
const SPOKE = '222222222222';
const GITHUB_SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const CODECOMMIT_SHA = 'b2c3d4e5f60718293a4b5c6d7e8f901234567890';
const MISSING_SHA = 'c3d4e5f60718293a4b5c6d7e8f90123456789012';
const STARTER = `arn:aws:sts::${SPOKE}:assumed-role/Deployer/dan-session`;
const GITHUB_TOKEN = 'ghp_test_token_0123456789';

const policy = parseApprovalsPolicy(
  JSON.stringify({
    rules: [
      {
        pipeline: 'Authored*',
        channel: 'C0APPROVALS',
        approvers: { users: ['U0ALICE', 'U0BOB', 'U0DAN'] },
        quorum: 2,
        separationOfDuties: 'author',
      },
      {
        pipeline: 'Strict*',
        channel: 'C0APPROVALS',
        approvers: { users: ['U0ALICE', 'U0BOB'] },
        separationOfDuties: 'author-or-starter',
        onUnknownAuthor: 'refuse',
      },
      {
        pipeline: 'Started*',
        channel: 'C0APPROVALS',
        approvers: { users: ['U0ALICE', 'U0DAN'] },
        separationOfDuties: 'starter',
        identities: { [STARTER]: 'U0DAN' },
      },
    ],
  }),
);

const codePipeline = mockClient(CodePipelineClient);
const outbox = createOutbox();
const faults = createFaultInjector();
const clients = createAwsClientFactory({
  decorate: (client, service, scope) => {
    // CodeCommit answers from the outbox, which records where each call went.
    if (service !== 'CodeCommit') return;
    faults.decorate(client as never, service);
    outbox.install(client as never, service, scope);
  },
});
const gitHubRequests: { url: string; authorization?: string }[] = [];
const gitHub = createServer((request, response) => {
  gitHubRequests.push({ url: request.url ?? '', authorization: request.headers.authorization });
  const authorised = request.headers.authorization === `Bearer ${GITHUB_TOKEN}`;
  if (!authorised || request.url !== `/repos/acme/web/commits/${GITHUB_SHA}`) {
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({ sha: GITHUB_SHA, commit: { author: { name: 'Alice', email: 'ALICE@example.com' } } }),
  );
});

let sink: Awaited<ReturnType<typeof startSlackSink>>;
let slack: SlackApi;
let store: ApprovalStore;
let gitHubUrl: string;
let nextId = 0;

beforeAll(async () => {
  const table = await createTestTable();
  store = createApprovalStore({ client: table.client, tableName: table.tableName });
  // Alice's Slack e-mail differs from her commit e-mail in case only.
  sink = await startSlackSink({
    userEmails: { U0ALICE: 'alice@Example.com', U0BOB: 'bob@example.com', U0DAN: 'dan@example.com' },
  });
  slack = createSlackApi('xoxb-test', sink.url);
  gitHubUrl = `http://127.0.0.1:${await listenOnLoopback(gitHub)}`;
  outbox.respond('GetCommit', (input) => {
    if (input.commitId !== CODECOMMIT_SHA)
      throw Object.assign(new Error('Commit not found'), { name: 'CommitDoesNotExistException' });
    return { commit: { commitId: CODECOMMIT_SHA, author: { name: 'Bob', email: 'Bob@Example.com' } } };
  });
});
afterAll(async () => {
  await sink.close();
  await new Promise((resolve) => gitHub.close(resolve));
});
beforeEach(() => {
  codePipeline.reset();
  codePipeline.on(PutApprovalResultCommand).resolves({ approvedAt: NOW });
  sink.calls.length = 0;
  outbox.clear();
  gitHubRequests.length = 0;
});

const execution = (
  pipeline: string,
  revision: { sha: string; url?: string },
  trigger?: ExecutionRecord['trigger'],
): ExecutionRecord => ({
  account: SPOKE,
  region: 'eu-west-1',
  pipeline,
  executionId: `exec-${pipeline}`,
  firstEventAt: NOW.toISOString(),
  lastEventAt: NOW.toISOString(),
  stages: {},
  sourceRevisions: [
    { actionName: 'Source', revisionId: revision.sha, ...(revision.url ? { url: revision.url } : {}) },
  ],
  ...(trigger ? { trigger } : {}),
});
const onGitHub = (sha = GITHUB_SHA) => ({ sha, url: `https://github.com/acme/web/commit/${sha}` });
const onCodeCommit = (sha = CODECOMMIT_SHA) => ({
  sha,
  url: `https://eu-west-1.console.aws.amazon.com/codesuite/codecommit/repositories/web-app/commit/${sha}?region=eu-west-1`,
});

/** Requests an approval for `pipeline` whose waiting execution is `waiting`; answers its id and its message's text. */
async function newApproval(pipeline: string, waiting: ExecutionRecord) {
  const notification = parseApprovalMessage(
    JSON.stringify({
      ...documentedNotification,
      approval: { ...documentedNotification.approval, pipelineName: pipeline },
    }),
  );
  const outcome = await requestApproval(notification, {
    policy,
    store,
    slack: async () => slack,
    recentExecutions: async () => [waiting],
    commitAuthors: createCommitAuthors({
      clients,
      gitHubToken: async () => GITHUB_TOKEN,
      gitHubApiUrl: gitHubUrl,
    }),
    newId: () => `sod-${++nextId}`,
    now: () => NOW,
    warn: () => {},
  });
  if (outcome.status !== 'posted') throw new Error('expected the request to be posted');
  const message = JSON.stringify(sink.callsTo('chat.postMessage').at(-1)?.args.blocks);
  return { approvalId: outcome.approvalId, message };
}

const workerDeps = {
  policy,
  get store() {
    return store;
  },
  slack: async () => slack,
  userEmail: cachedSlackUserEmail(async () => slack),
  putApprovalResult: approvalResultSender(createAwsClientFactory()),
  now: () => NOW,
  warn: () => {},
};
let clicks = 0;
const decide = (approvalId: string, userId: string, outcome: DecisionOutcome = 'Approved') =>
  finishClick(
    {
      approvalId,
      channel: 'C0APPROVALS',
      decision: {
        userId,
        userName: userId.slice(2).toLowerCase(),
        outcome,
        at: NOW.toISOString(),
        clickId: `click-${++clicks}`,
        ...(outcome === 'Rejected' ? { comment: 'no' } : {}),
      },
    },
    workerDeps,
  );
const ephemeralTo = (user: string) =>
  sink.callsTo('chat.postEphemeral').filter((call) => call.args.user === user);

describe('separation of duties: authors', () => {
  it('refuses the author privately and changes nothing; the quorum is reached by two others', async () => {
    const { approvalId, message } = await newApproval(
      'AuthoredOnGitHub',
      execution('AuthoredOnGitHub', onGitHub()),
    );
    expect(gitHubRequests).toEqual([
      { url: `/repos/acme/web/commits/${GITHUB_SHA}`, authorization: `Bearer ${GITHUB_TOKEN}` },
    ]);
    expect(message).toContain('`alice@example.com`, author of `a1b2c3d4e5f6`');

    expect(await decide(approvalId, 'U0ALICE')).toEqual({ click: 'not-eligible' });
    expect(ephemeralTo('U0ALICE')[0]?.args.text).toContain('You wrote commit a1b2c3d4e5f6 of this change');
    expect(await store.get(approvalId)).toMatchObject({ status: 'PENDING', decisions: [], rev: 0 });

    expect((await decide(approvalId, 'U0BOB')).click).toBe('counted');
    expect((await decide(approvalId, 'U0DAN')).click).toBe('decided');
    const puts = codePipeline.commandCalls(PutApprovalResultCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.args[0].input.result?.summary).toBe('Approved via Slack by bob (U0BOB); dan (U0DAN)');
    // users.info is asked once per user and container.
    await decide(approvalId, 'U0ALICE');
    expect(sink.callsTo('users.info').filter((call) => call.args.user === 'U0ALICE')).toHaveLength(1);
  });

  it('lets the author reject their own change', async () => {
    const { approvalId } = await newApproval('AuthoredRejected', execution('AuthoredRejected', onGitHub()));
    expect((await decide(approvalId, 'U0ALICE', 'Rejected')).click).toBe('decided');
    expect((await store.get(approvalId))?.status).toBe('REJECTED');
  });

  it("reads a CodeCommit author in the pipeline's own account and region", async () => {
    const { approvalId, message } = await newApproval(
      'AuthoredOnCodeCommit',
      execution('AuthoredOnCodeCommit', onCodeCommit()),
    );
    expect(outbox.entries.map((entry) => [entry.command, entry.account, entry.region, entry.input])).toEqual([
      ['GetCommit', SPOKE, 'eu-west-1', { repositoryName: 'web-app', commitId: CODECOMMIT_SHA }],
    ]);
    expect(message).toContain('`bob@example.com`, author of `b2c3d4e5f607`');
    expect((await decide(approvalId, 'U0BOB')).click).toBe('not-eligible');
    expect((await decide(approvalId, 'U0ALICE')).click).toBe('counted');
  });
});

describe('separation of duties: an author who cannot be known', () => {
  it('with "refuse", says so in the message and refuses every approval, while a rejection still works', async () => {
    const { approvalId, message } = await newApproval(
      'StrictUnknown',
      execution('StrictUnknown', onGitHub(MISSING_SHA)),
    );
    expect(message).toContain('GitHub answered 404');
    expect(message).toContain('nobody can approve in Slack');
    expect(await decide(approvalId, 'U0BOB')).toEqual({ click: 'not-eligible' });
    expect(ephemeralTo('U0BOB')[0]?.args.text).toContain('Nobody may approve this change in Slack');
    expect(await store.get(approvalId)).toMatchObject({ status: 'PENDING', decisions: [] });
    expect((await decide(approvalId, 'U0BOB', 'Rejected')).click).toBe('decided');
  });

  it('with "allow", counts every approver and says that it does', async () => {
    const { approvalId, message } = await newApproval(
      'AuthoredMissing',
      execution('AuthoredMissing', onCodeCommit(MISSING_SHA)),
    );
    expect(message).toContain('CommitDoesNotExistException');
    expect(message).toContain('This rule allows approval all the same');
    expect((await decide(approvalId, 'U0ALICE')).click).toBe('counted');
  });
});

describe('separation of duties: the starter', () => {
  it('recognises the starter through the identities map and refuses only them', async () => {
    const waiting = execution('StartedByHand', onGitHub(), {
      type: 'StartPipelineExecution',
      detail: STARTER,
    });
    const { approvalId, message } = await newApproval('StartedByHand', waiting);
    // The starter mode reads no commit.
    expect(gitHubRequests).toEqual([]);
    expect(message).toContain('<@U0DAN>, who started this execution');
    expect((await decide(approvalId, 'U0DAN')).click).toBe('not-eligible');
    expect(ephemeralTo('U0DAN')[0]?.args.text).toContain('You started this pipeline execution');
    expect((await decide(approvalId, 'U0ALICE')).click).toBe('decided');
  });
});
