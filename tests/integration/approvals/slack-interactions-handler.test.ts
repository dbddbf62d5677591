import { CodePipelineClient, PutApprovalResultCommand } from '@aws-sdk/client-codepipeline';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVE_ACTION_ID } from '../../../functions/approvals/adapters/approval-messages';
import { createApprovalStore } from '../../../functions/approvals/adapters/approval-store';
import { parseApprovalMessage } from '../../../functions/approvals/domain/approval-notification';
import { parseApprovalsPolicy } from '../../../functions/approvals/domain/approvals-policy';
import { requestApproval } from '../../../functions/approvals/request-approval/request-approval';
import { signSlackRequest } from '../../../functions/approvals/slack-interactions/verify-slack-signature';
import { createSlackApi } from '../../../functions/platform/slack/slack-client';
import { DEV_SIGNING_SECRET } from '../../../local/development-slack-credentials';
import { documentedNotification } from '../../support/approvals';
import { createTestTable } from '../../support/dynamo';
import { testPlatform } from '../../support/platform';
import { startSlackSink } from '../../support/slack-sink';

const POLICY = JSON.stringify({
  rules: [{ pipeline: '*', channel: 'C0APPROVALS', approvers: { users: ['U0ALICE'] } }],
});
const context = { functionName: 'slack-interactions', awsRequestId: 'req-1' } as Context;
const codePipeline = mockClient(CodePipelineClient);
let sink: Awaited<ReturnType<typeof startSlackSink>>;
let handler: (event: unknown, context: Context) => Promise<{ statusCode: number; body: string }>;
let store: ReturnType<typeof createApprovalStore>;

beforeAll(async () => {
  const table = await createTestTable();
  store = createApprovalStore({ client: table.client, tableName: table.tableName });
  sink = await startSlackSink();
  Object.assign(process.env, {
    TABLE_NAME: table.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    APPROVALS_POLICY: POLICY,
    SLACK_API_URL: sink.url,
  });
  // No SLACK_SECRET_ARN: local-mode credentials, i.e. the documented development signing secret.
  delete process.env.SLACK_SECRET_ARN;
  delete process.env.SLACK_SIGNING_SECRET;
  handler = (await import('../../../functions/approvals/slack-interactions/handler')).createHandler(
    testPlatform(),
  ) as unknown as typeof handler;
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

const clickBody = (id: string) =>
  `payload=${encodeURIComponent(
    JSON.stringify({
      type: 'block_actions',
      user: { id: 'U0ALICE', username: 'alice' },
      trigger_id: '1.2.3',
      actions: [{ action_id: APPROVE_ACTION_ID, value: id }],
    }),
  )}`;

describe('slack-interactions handler (Function URL event)', () => {
  it('verifies the base64-decoded body and approves', async () => {
    codePipeline.on(PutApprovalResultCommand).resolves({});
    await pendingApproval('h-1');
    const body = clickBody('h-1');
    const response = await handler(
      functionUrlEvent(body, signSlackRequest(body, DEV_SIGNING_SECRET, Math.floor(Date.now() / 1000))),
      context,
    );
    expect(response.statusCode).toBe(200);
    expect(codePipeline.commandCalls(PutApprovalResultCommand)).toHaveLength(1);
    expect((await store.get('h-1'))?.status).toBe('APPROVED');
  });

  it('answers 401 to a request signed with another secret, touching nothing', async () => {
    codePipeline.reset();
    await pendingApproval('h-2');
    const body = clickBody('h-2');
    const response = await handler(
      functionUrlEvent(body, signSlackRequest(body, 'not-the-secret', Math.floor(Date.now() / 1000))),
      context,
    );
    expect(response.statusCode).toBe(401);
    expect(codePipeline.commandCalls(PutApprovalResultCommand)).toHaveLength(0);
    expect((await store.get('h-2'))?.status).toBe('PENDING');
  });
});
