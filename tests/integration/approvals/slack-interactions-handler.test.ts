import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVE_ACTION_ID, REJECT_ACTION_ID } from '../../../functions/approvals/adapters/approval-messages';
import { createApprovalStore } from '../../../functions/approvals/adapters/approval-store';
import { parseApprovalMessage } from '../../../functions/approvals/domain/approval-notification';
import { parseApprovalsPolicy } from '../../../functions/approvals/domain/approvals-policy';
import { requestApproval } from '../../../functions/approvals/request-approval/request-approval';
import { signSlackRequest } from '../../../functions/approvals/slack-interactions/verify-slack-signature';
import { createAwsClientFactory } from '../../../functions/platform/aws-clients';
import { createSlackApi } from '../../../functions/platform/slack/slack-client';
import type { SlackHandlerPlatform } from '../../../functions/platform/slack/slack-platform';
import { createDeadLetterQueue } from '../../../local/async-invoke';
import {
  DEV_SIGNING_SECRET,
  developmentSlackCredentials,
} from '../../../local/development-slack-credentials';
import { createFaultInjector } from '../../../local/fault-injection';
import { installLambdaEventInvoke } from '../../../local/lambda-event-invoke';
import type { LocalFunction } from '../../../local/local-functions';
import { createOutbox } from '../../../local/outbox';
import { documentedNotification } from '../../support/approvals';
import { createTestTable } from '../../support/dynamo';
import { startSlackSink } from '../../support/slack-sink';

const POLICY = JSON.stringify({
  rules: [{ pipeline: '*', channel: 'C0APPROVALS', approvers: { users: ['U0ALICE'] } }],
});
const WORKER = 'ApprovalDecisionsFunction';
const context = (name: string) => ({ functionName: name, awsRequestId: 'req-1' }) as Context;
type Handler = (event: unknown, context: Context) => Promise<{ statusCode: number; body: string }>;

const outbox = createOutbox();
const deadLetters = createDeadLetterQueue();
const faults = createFaultInjector();
/** Every AWS call (DynamoDB included) waits this long before it is sent: a slow AWS. */
let awsDelayMs = 0;
let sink: Awaited<ReturnType<typeof startSlackSink>>;
let endpoint: Handler;
let store: ReturnType<typeof createApprovalStore>;
let asyncInvocations: ReturnType<typeof installLambdaEventInvoke>;

beforeAll(async () => {
  const table = await createTestTable();
  store = createApprovalStore({ client: table.client, tableName: table.tableName });
  sink = await startSlackSink();
  Object.assign(process.env, {
    TABLE_NAME: table.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    APPROVALS_POLICY: POLICY,
    DECISIONS_FUNCTION_NAME: WORKER,
    SLACK_API_URL: sink.url,
  });
  // No SLACK_SECRET_ARN: local-mode credentials, i.e. the documented development signing secret.
  delete process.env.SLACK_SECRET_ARN;
  delete process.env.SLACK_SIGNING_SECRET;
  const clients = createAwsClientFactory({
    decorate: (client, service) => {
      const stack = (client as { middlewareStack: { add: (...args: unknown[]) => void } }).middlewareStack;
      stack.add(
        (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
          if (awsDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, awsDelayMs));
          return next(args);
        },
        { step: 'initialize', name: 'slowAws', priority: 'low' },
      );
      // Lambda and CodePipeline answer from the outbox (placed after local mode's fault middleware, here
      // with no rules); DynamoDB is the test's engine.
      faults.decorate(client as never, service);
      if (service !== 'DynamoDB') outbox.install(client as never, service);
    },
  });
  const platform: SlackHandlerPlatform = { clients, slackCredentials: developmentSlackCredentials(clients) };
  endpoint = (await import('../../../functions/approvals/slack-interactions/handler')).createHandler(
    platform,
  ) as unknown as Handler;
  const worker = (await import('../../../functions/approvals/approval-decisions/handler')).createHandler(
    platform,
  ) as unknown as Handler;
  asyncInvocations = installLambdaEventInvoke(
    outbox,
    (name) =>
      name === WORKER
        ? ({
            logicalId: WORKER,
            properties: {},
            invoke: (event: unknown) => worker(event, context(WORKER)),
          } as unknown as LocalFunction)
        : undefined,
    deadLetters,
  );
});
afterAll(() => sink.close());

async function pendingApproval(id: string) {
  await requestApproval(parseApprovalMessage(JSON.stringify(documentedNotification)), {
    policy: parseApprovalsPolicy(POLICY),
    store,
    slack: async () => createSlackApi('xoxb-test', sink.url),
    recentExecutions: async () => [],
    newId: () => id,
    now: () => new Date(),
    warn: () => {},
  });
}

function functionUrlEvent(rawBody: string, headers: Record<string, string>) {
  return {
    version: '2.0',
    rawPath: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    requestContext: { http: { method: 'POST', path: '/' } },
    body: Buffer.from(rawBody).toString('base64'),
    isBase64Encoded: true,
  };
}

const clickBody = (id: string, actionId = APPROVE_ACTION_ID) =>
  `payload=${encodeURIComponent(
    JSON.stringify({
      type: 'block_actions',
      user: { id: 'U0ALICE', username: 'alice' },
      trigger_id: `trigger-${id}-${actionId}`,
      response_url: `${sink.url}response/${id}`,
      actions: [{ action_id: actionId, value: id }],
    }),
  )}`;

const send = (body: string, secret = DEV_SIGNING_SECRET) =>
  endpoint(
    functionUrlEvent(body, signSlackRequest(body, secret, Math.floor(Date.now() / 1000))),
    context('slack-interactions'),
  );
const putCalls = () => outbox.entries.filter((entry) => entry.command === 'PutApprovalResult');

describe('slack-interactions and approval-decisions handlers', () => {
  it('verifies the base64-decoded body, answers, and the worker approves once', async () => {
    await pendingApproval('h-1');
    const response = await send(clickBody('h-1'));
    expect(response.statusCode).toBe(200);
    await asyncInvocations.idle();
    expect(deadLetters.letters).toEqual([]);
    expect(putCalls()).toHaveLength(1);
    expect(await store.get('h-1')).toMatchObject({ status: 'APPROVED', messageShows: 'APPROVED' });
  });

  it('answers 401 to a request signed with another secret, touching nothing', async () => {
    outbox.clear();
    await pendingApproval('h-2');
    const response = await send(clickBody('h-2'), 'not-the-secret');
    expect(response.statusCode).toBe(401);
    await asyncInvocations.idle();
    expect(outbox.entries).toHaveLength(0);
    expect((await store.get('h-2'))?.status).toBe('PENDING');
  });

  it('answers every click within 3 s while Slack and AWS each take 2.5 s a call, and still decides', async () => {
    outbox.clear();
    await pendingApproval('h-3');
    await pendingApproval('h-4');
    sink.slowDown(2_500);
    awsDelayMs = 2_500;
    try {
      const timed = async (body: string) => {
        const started = performance.now();
        const response = await send(body);
        return { status: response.statusCode, ms: performance.now() - started };
      };
      const [approve, reject] = await Promise.all([
        timed(clickBody('h-3')),
        timed(clickBody('h-4', REJECT_ACTION_ID)),
      ]);
      expect(approve.status).toBe(200);
      expect(reject.status).toBe(200);
      expect(approve.ms).toBeLessThan(3_000);
      expect(reject.ms).toBeLessThan(3_000);
    } finally {
      sink.slowDown(0);
      awsDelayMs = 0;
    }
    // Calls already on their slow way finish (the answer did not wait for them), then the worker runs.
    await new Promise((resolve) => setTimeout(resolve, 2_600));
    await asyncInvocations.idle();
    // The late hand-over of the Approve click still reached the worker, which decided once.
    expect(putCalls()).toHaveLength(1);
    expect(await store.get('h-3')).toMatchObject({ status: 'APPROVED', messageShows: 'APPROVED' });
    expect(await store.get('h-4')).toMatchObject({ status: 'PENDING' });
  }, 30_000);

  it("refuses the author's approval privately, by their Slack e-mail (users.info), and changes nothing", async () => {
    outbox.clear();
    sink.calls.length = 0;
    const author = parseApprovalsPolicy(
      JSON.stringify({
        rules: [
          {
            pipeline: '*',
            channel: 'C0APPROVALS',
            approvers: { users: ['U0ALICE'] },
            separationOfDuties: 'author',
          },
        ],
      }),
    );
    const sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
    await requestApproval(parseApprovalMessage(JSON.stringify(documentedNotification)), {
      policy: author,
      store,
      slack: async () => createSlackApi('xoxb-test', sink.url),
      recentExecutions: async () => [
        {
          pipeline: documentedNotification.approval.pipelineName,
          executionId: 'e-1',
          firstEventAt: new Date().toISOString(),
          lastEventAt: new Date().toISOString(),
          stages: {},
          sourceRevisions: [
            { actionName: 'Source', revisionId: sha, url: `https://github.com/acme/web/commit/${sha}` },
          ],
        },
      ],
      // The local Slack sink's e-mail for U0ALICE, in another case.
      commitAuthors: { authorEmail: async () => 'U0Alice@Example.COM' },
      newId: () => 'h-sod',
      now: () => new Date(),
      warn: () => {},
    });
    expect((await send(clickBody('h-sod'))).statusCode).toBe(200);
    await asyncInvocations.idle();
    expect(deadLetters.letters).toEqual([]);
    expect(sink.callsTo('users.info').map((call) => call.args.user)).toEqual(['U0ALICE']);
    expect(sink.callsTo('chat.postEphemeral')[0]?.args).toMatchObject({
      user: 'U0ALICE',
      text: expect.stringContaining('does not let an author approve their own change'),
    });
    expect(putCalls()).toHaveLength(0);
    expect(await store.get('h-sod')).toMatchObject({ status: 'PENDING', decisions: [], rev: 0 });
  });
});
