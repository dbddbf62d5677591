import { describe, expect, it } from 'vitest';
import {
  approvalExpiresAt,
  parseApprovalNotifications,
} from '../../../functions/approvals/domain/approval-notification';
import { documentedNotification, snsEvent } from '../../support/approvals';

describe('parseApprovalNotifications', () => {
  it("reads CodePipeline's documented approval notification out of the SNS envelope", () => {
    const notification = parseApprovalNotifications(snsEvent(JSON.stringify(documentedNotification)))[0];
    if (!notification) throw new Error('expected one notification');
    // With the account of the topic it came through: the pipeline's account.
    expect(notification).toEqual({ ...documentedNotification, account: '111122223333' });
    expect(new Date(approvalExpiresAt(notification)).toISOString()).toBe('2016-07-07T20:22:00.000Z');
  });

  it('rejects a plain-text SNS message', () => {
    expect(() => parseApprovalNotifications(snsEvent('hello'))).toThrow(/not JSON/);
  });

  it('names the missing field of a foreign JSON message', () => {
    const { token: _token, ...approval } = documentedNotification.approval;
    expect(() =>
      parseApprovalNotifications(snsEvent(JSON.stringify({ ...documentedNotification, approval }))),
    ).toThrow(/approval\.token/);
  });

  const withApproval = (fields: object) =>
    snsEvent(
      JSON.stringify({
        ...documentedNotification,
        approval: { ...documentedNotification.approval, ...fields },
      }),
    );
  const inDays = (days: number) => `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16)}Z`;

  it.each(['!1f2e-uuid', '1f2e-uuid!'])('rejects token %j (only a UUID is an approval token)', (token) => {
    expect(() => parseApprovalNotifications(withApproval({ token }))).toThrow(
      /expected an approval token \(a UUID\)/,
    );
  });

  it('accepts an approval expiring in seven days and refuses one expiring in nine', () => {
    expect(parseApprovalNotifications(withApproval({ expires: inDays(7) }))[0]?.approval.expires).toBe(
      inDays(7),
    );
    expect(() => parseApprovalNotifications(withApproval({ expires: inDays(9) }))).toThrow(
      /approval\.expires/,
    );
  });

  it.each([
    ['no topic ARN', undefined],
    ['a topic ARN whose account is not 12 digits', 'arn:aws:sns:us-east-2:x111122223333:ApprovalTopic'],
    ['a topic ARN whose account has a 13th digit', 'arn:aws:sns:us-east-2:1111222233334:ApprovalTopic'],
    ['a topic ARN whose account ends in a letter', 'arn:aws:sns:us-east-2:111122223333x:ApprovalTopic'],
  ])('names no account for %s', (_case, topicArn) => {
    const event = snsEvent(JSON.stringify(documentedNotification));
    const record = event.Records[0] as { Sns: { TopicArn?: string } };
    if (topicArn === undefined) delete record.Sns.TopicArn;
    else record.Sns.TopicArn = topicArn;
    expect(parseApprovalNotifications(event)[0]).not.toHaveProperty('account');
  });
});

describe('approvalExpiresAt', () => {
  it('refuses an expiry that is not a date', () => {
    const notification = {
      ...documentedNotification,
      approval: { ...documentedNotification.approval, expires: 'soon' },
    };
    expect(() => approvalExpiresAt(notification)).toThrow('approval.expires is not a date: soon');
  });
});
