import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVE_ACTION_ID } from '../../functions/approvals/adapters/approval-messages';
import { signSlackRequest } from '../../functions/approvals/slack-interactions/verify-slack-signature';
import { type LocalControlPlane, startLocalControlPlane } from '../../local/control-plane';
import { readEvent } from '../support/events';

/**
 * Slack approvals end to end through local mode, over HTTP only: SNS notification → message in the Slack
 * sink → signed Approve click, answered at once → the decision worker (Lambda's asynchronous invoke, run
 * after the answer) → PutApprovalResult in the outbox → message updated. Local policy: any pipeline,
 * approvers U0LOCAL001 and U0LOCAL002 (local/local-parameters.ts); signing secret: the documented default.
 */
describe('Slack approvals through the local control plane', () => {
  let controlPlane: LocalControlPlane;
  beforeAll(async () => {
    controlPlane = await startLocalControlPlane({ port: 0 });
  }, 60_000);
  afterAll(() => controlPlane.close());

  const click = (approvalId: string, user: string, secret = 'local-dev-signing-secret') => {
    const body = `payload=${encodeURIComponent(
      JSON.stringify({
        type: 'block_actions',
        user: { id: user },
        trigger_id: '1.2.3',
        actions: [{ action_id: APPROVE_ACTION_ID, value: approvalId }],
      }),
    )}`;
    return fetch(`${controlPlane.url}/slack/interactions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...signSlackRequest(body, secret, Math.floor(Date.now() / 1000)),
      },
      body,
    });
  };

  it('posts the request, takes a signed approval, calls PutApprovalResult once and updates the message', async () => {
    const notification = readEvent<{ Records: { Sns: { Message: string } }[] }>(
      'request-approval/approval-needed.json',
    );
    const topicArn = 'arn:aws:sns:us-east-1:000000000000:ApprovalTopic';
    const delivered = await fetch(`${controlPlane.url}/sns`, {
      method: 'POST',
      body: JSON.stringify({ TopicArn: topicArn, Message: notification.Records[0]?.Sns.Message }),
    });
    expect(
      ((await delivered.json()) as { delivered: { function: string }[] }).delivered.map((d) => d.function),
    ).toEqual(['RequestApprovalFunction']);

    const { calls } = (await (await fetch(`${controlPlane.url}/local/slack`)).json()) as {
      calls: {
        method: string;
        args: { blocks?: { elements?: { action_id?: string; value?: string }[] }[] };
      }[];
    };
    const posted = calls.find((call) => call.method === 'chat.postMessage');
    const approvalId = posted?.args.blocks
      ?.flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === APPROVE_ACTION_ID)?.value;
    expect(approvalId).toEqual(expect.any(String));
    expect(JSON.stringify(posted)).not.toContain('1a2b3c4d-573f-4ea7-a67e-000000000001'); // the token stays server-side

    expect((await click(approvalId ?? '', 'U0LOCAL001', 'forged-secret-forged-secret')).status).toBe(401);
    expect((await click(approvalId ?? '', 'U0LOCAL001')).status).toBe(200);
    expect((await click(approvalId ?? '', 'U0LOCAL001')).status).toBe(200); // a double click
    const handedOver = controlPlane.outbox.entries.filter((call) => call.command === 'Invoke');
    expect(handedOver.map((call) => (call.input as { InvocationType?: string }).InvocationType)).toEqual([
      'Event',
      'Event',
    ]);
    await controlPlane.asyncInvocations.idle();

    const results = controlPlane.outbox.entries.filter((call) => call.command === 'PutApprovalResult');
    expect(results).toHaveLength(1);
    expect(results[0]?.input).toMatchObject({
      pipelineName: 'web',
      stageName: 'Prod',
      actionName: 'ApproveRelease',
      token: '1a2b3c4d-573f-4ea7-a67e-000000000001',
      result: { status: 'Approved' },
    });
    const updates = controlPlane.slackCalls.filter((call) => call.method === 'chat.update');
    expect(JSON.stringify(updates.at(-1)?.args.blocks)).toContain('*Approved* by <@U0LOCAL001>');
    expect(JSON.stringify(updates.at(-1)?.args.blocks)).not.toContain('"actions"');
  });

  it('decides once and ends showing the decision when the hand-over answer is lost and Slack times out twice', async () => {
    const notification = readEvent<{ Records: { Sns: { Message: string } }[] }>(
      'request-approval/approval-needed.json',
    );
    const message = JSON.parse(notification.Records[0]?.Sns.Message ?? '{}');
    message.approval.token = '1a2b3c4d-573f-4ea7-a67e-000000000002';
    await fetch(`${controlPlane.url}/sns`, {
      method: 'POST',
      body: JSON.stringify({
        TopicArn: 'arn:aws:sns:us-east-1:000000000000:ApprovalTopic',
        Message: JSON.stringify(message),
      }),
    });
    const posted = controlPlane.slackCalls.filter((call) => call.method === 'chat.postMessage').at(-1);
    const blocks = posted?.args.blocks as { elements?: { action_id?: string; value?: string }[] }[];
    const approvalId = blocks
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === APPROVE_ACTION_ID)?.value;
    const before = controlPlane.slackCalls.length;

    const faults = await fetch(`${controlPlane.url}/local/faults`, {
      method: 'POST',
      body: JSON.stringify({
        rules: [
          // The hand-over reaches Lambda but its answer is lost: the SDK sends it again, two jobs run.
          { service: 'lambda', operation: 'Invoke', fault: 'lost-response' },
          // "Approving…" goes through; the final message times out twice before Slack takes it.
          { service: 'slack', operation: 'chat.update', fault: 'timeout', nth: 2, times: 2 },
        ],
      }),
    });
    expect(faults.status).toBe(200);
    try {
      expect((await click(approvalId ?? '', 'U0LOCAL002')).status).toBe(200);
      await controlPlane.asyncInvocations.idle();
      const installed = (await (await fetch(`${controlPlane.url}/local/faults`)).json()) as {
        rules: { fired: number }[];
      };
      expect(installed.rules.map((rule) => rule.fired)).toEqual([1, 2]);
    } finally {
      await fetch(`${controlPlane.url}/local/faults`, { method: 'DELETE' });
    }

    const results = controlPlane.outbox.entries.filter(
      (call) =>
        call.command === 'PutApprovalResult' &&
        (call.input as { token?: string }).token === message.approval.token,
    );
    expect(results).toHaveLength(1);
    const updates = controlPlane.slackCalls.slice(before).filter((call) => call.method === 'chat.update');
    expect(JSON.stringify(updates.at(-1)?.args.blocks)).toContain('*Approved* by <@U0LOCAL002>');
    expect(JSON.stringify(updates.at(-1)?.args.blocks)).not.toContain('"actions"');
  });
});
