import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalResultSender } from '../../../functions/approvals/adapters/put-approval-result';
import { parseApprovalNotifications } from '../../../functions/approvals/domain/approval-notification';
import { findApprovalRule, parseApprovalsPolicy } from '../../../functions/approvals/domain/approvals-policy';
import { createOutbox } from '../../../local/outbox';
import { documentedNotification, snsEvent } from '../../support/approvals';
import { spokeClientsThroughOutbox, startStsStandIn } from '../../support/sts-stand-in';

/**
 * A pipeline of the same name in the hub and in a spoke: the approval knows its account from the topic it came
 * through, the policy can send each to its own approvers, and the decision goes to CodePipeline in that account
 * and region (the outbox records where each call went).
 */
const HUB = '111111111111';
const SPOKE = '222222222222';
const ROLE = 'pipeline-control-plane-spoke';

describe('approvals across accounts', () => {
  let sts: Awaited<ReturnType<typeof startStsStandIn>>;
  const outbox = createOutbox();

  beforeAll(async () => {
    sts = await startStsStandIn();
  });
  afterAll(() => sts.close());

  it("takes the pipeline's account from the notification's topic", () => {
    const event = snsEvent(JSON.stringify(documentedNotification));
    const record = event.Records[0];
    if (record) record.Sns.TopicArn = `arn:aws:sns:us-east-2:${SPOKE}:ApprovalTopic`;
    const [notification] = parseApprovalNotifications(event);
    expect(notification).toMatchObject({ account: SPOKE, region: 'us-east-2' });
  });

  it('finds the rule of the account and region the pipeline is in', () => {
    const policy = parseApprovalsPolicy(
      JSON.stringify({
        rules: [
          { pipeline: 'checkout', account: SPOKE, channel: 'C0SPOKE', approvers: { users: ['U0SPOKE'] } },
          {
            pipeline: 'checkout',
            account: HUB,
            region: 'eu-*',
            channel: 'C0HUB',
            approvers: { users: ['U0HUB'] },
          },
        ],
      }),
    );
    const channel = (account?: string, region?: string) =>
      findApprovalRule(policy, 'checkout', 'Prod', { account, region })?.channel;
    expect(channel(SPOKE, 'us-east-1')).toBe('C0SPOKE');
    expect(channel(HUB, 'eu-west-1')).toBe('C0HUB');
    expect(channel(HUB, 'us-east-1')).toBeUndefined();
    expect(channel(undefined, 'eu-west-1')).toBeUndefined();
  });

  it("decides the approval in the pipeline's account and region, through the spoke role there", async () => {
    const clients = spokeClientsThroughOutbox({
      hubAccount: HUB,
      roleName: ROLE,
      stsEndpoint: sts.endpoint,
      outbox,
    });
    const putApprovalResult = approvalResultSender(clients);
    const approval = { pipeline: 'checkout', stage: 'Prod', action: 'Approve', token: 't-1' };
    await putApprovalResult({ ...approval, account: SPOKE, region: 'eu-west-1' }, 'Approved', 'ok');
    await putApprovalResult({ ...approval, account: HUB, region: 'us-east-1' }, 'Rejected', 'no');
    expect(outbox.entries.map((entry) => [entry.command, entry.account, entry.region, entry.input])).toEqual([
      [
        'PutApprovalResult',
        SPOKE,
        'eu-west-1',
        expect.objectContaining({ result: { status: 'Approved', summary: 'ok' } }),
      ],
      [
        'PutApprovalResult',
        HUB,
        'us-east-1',
        expect.objectContaining({ result: { status: 'Rejected', summary: 'no' } }),
      ],
    ]);
    expect(sts.state.assumed).toEqual([`arn:aws:iam::${SPOKE}:role/${ROLE}`]);
  });
});
