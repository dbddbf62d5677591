import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApprovalStore } from '../../../functions/approvals/adapters/approval-store';
import { documentedNotification, snsEvent } from '../../support/approvals';
import { createTestTable } from '../../support/dynamo';
import { testPlatform } from '../../support/platform';
import { startSlackSink } from '../../support/slack-sink';

const context = { functionName: 'request-approval', awsRequestId: 'req-1' } as Context;
let sink: Awaited<ReturnType<typeof startSlackSink>>;
let store: ReturnType<typeof createApprovalStore>;
let handler: (event: unknown, context: Context) => Promise<unknown>;

beforeAll(async () => {
  const table = await createTestTable();
  store = createApprovalStore({ client: table.client, tableName: table.tableName });
  sink = await startSlackSink();
  Object.assign(process.env, {
    TABLE_NAME: table.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    APPROVALS_POLICY: JSON.stringify({
      rules: [
        { pipeline: 'MyFirst*', channel: 'C0APPROVALS', approvers: { users: ['U0ALICE'] } },
        {
          pipeline: 'Guarded*',
          channel: 'C0GUARDED',
          approvers: { users: ['U0ALICE'] },
          separationOfDuties: 'author',
          onUnknownAuthor: 'refuse',
        },
      ],
    }),
    SLACK_API_URL: sink.url,
  });
  delete process.env.SLACK_SECRET_ARN;
  handler = (await import('../../../functions/approvals/request-approval/handler')).createHandler(
    testPlatform(),
  ) as unknown as typeof handler;
});
afterAll(() => sink.close());

describe('request-approval handler (SNS event)', () => {
  it('stores the approval and posts the request to the policy channel', async () => {
    const [outcome] = (await handler(snsEvent(JSON.stringify(documentedNotification)), context)) as {
      status: string;
      approvalId: string;
    }[];
    expect(outcome?.status).toBe('posted');
    expect(sink.callsTo('chat.postMessage')[0]?.args.channel).toBe('C0APPROVALS');
    expect(await store.get(outcome?.approvalId ?? '')).toMatchObject({
      status: 'PENDING',
      channel: 'C0APPROVALS',
    });
  });

  it('answers a plain-text SNS message without throwing (a retry cannot fix it)', async () => {
    expect(await handler(snsEvent('test message'), context)).toMatchObject({ status: 'rejected' });
  });

  it('does not post an approval no rule covers', async () => {
    sink.calls.length = 0;
    const other = {
      ...documentedNotification,
      approval: { ...documentedNotification.approval, pipelineName: 'other' },
    };
    expect(await handler(snsEvent(JSON.stringify(other)), context)).toEqual([
      { status: 'no-rule', pipeline: 'other', stage: 'MyApprovalStage' },
    ]);
    expect(sink.calls).toHaveLength(0);
  });

  it('says in the message that nobody may approve when the rule must exclude an author nobody recorded', async () => {
    sink.calls.length = 0;
    const guarded = {
      ...documentedNotification,
      approval: { ...documentedNotification.approval, pipelineName: 'GuardedPipeline', token: 'guarded-1' },
    };
    const [outcome] = (await handler(snsEvent(JSON.stringify(guarded)), context)) as { approvalId: string }[];
    const message = JSON.stringify(sink.callsTo('chat.postMessage')[0]?.args.blocks);
    expect(message).toContain('no source commit of this execution is recorded');
    expect(message).toContain('nobody can approve in Slack');
    expect(await store.get(outcome?.approvalId ?? '')).toMatchObject({
      separation: { mode: 'author', excluded: [], unknown: { outcome: 'refuse' } },
    });
  });
});
