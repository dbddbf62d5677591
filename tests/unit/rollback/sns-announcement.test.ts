import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAwsClientFactory } from '../../../functions/platform/aws-clients';
import {
  incidentAnnouncementId,
  snsAnnouncementChannel,
} from '../../../functions/rollback/adapters/announcement-channels';

const sns = mockClient(SNSClient);
const incident = {
  targetId: 'codedeploy:checkout/prod',
  alarmName: 'checkout-5xx',
  alarmStateTime: '2026-11-24T11:45:00.000Z',
};
const announcement = {
  subject: 'Rollback succeeded: stop-deployment',
  lines: ['Outcome: succeeded.'],
  links: [],
};

describe('the SNS announcement channel', () => {
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  it('gives a FIFO topic the same deduplication id on every attempt, so SNS drops a repeat', async () => {
    const channel = snsAnnouncementChannel(
      createAwsClientFactory(),
      'arn:aws:sns:us-east-1:111122223333:rollbacks.fifo',
    );
    await channel.announce(announcement, { incident });
    await channel.announce(announcement, { incident, earlierSince: '2026-11-24T12:00:00.000Z' });
    const [first, again] = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
    expect(first?.MessageDeduplicationId).toBe(incidentAnnouncementId(incident));
    expect(first?.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(first?.MessageGroupId).toMatch(/^[0-9a-f]{64}$/);
    // Byte for byte the same publish: nothing in it may differ between the attempts SNS deduplicates.
    expect(again).toEqual(first);
    expect(incidentAnnouncementId({ ...incident, alarmStateTime: '2026-11-24T11:46:00.000Z' })).not.toBe(
      first?.MessageDeduplicationId,
    );
  });

  it('publishes to a standard topic without FIFO fields, and says so when it may repeat an earlier publish', async () => {
    const channel = snsAnnouncementChannel(
      createAwsClientFactory(),
      'arn:aws:sns:us-east-1:111122223333:rollbacks',
    );
    await channel.announce(announcement, { incident });
    await channel.announce(announcement, { incident, earlierSince: '2026-11-24T12:00:00.000Z' });
    const [first, again] = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
    expect(first).toEqual({
      TopicArn: 'arn:aws:sns:us-east-1:111122223333:rollbacks',
      Subject: 'Rollback succeeded: stop-deployment',
      Message: 'Outcome: succeeded.',
    });
    expect(again?.Message).toBe(
      "Outcome: succeeded.\n(Sent again: an earlier attempt's answer was lost at 2026-11-24T12:00:00.000Z, so this may repeat it.)",
    );
  });
});
