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
});
