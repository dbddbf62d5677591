import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AwsClientFactory } from '#platform/aws-clients';
import type { SlackMessage } from '#platform/slack/block-kit';
import { announcementText } from '#rollback/domain/rollback-announcement';
import type { AnnouncementChannel } from '#rollback/ports';
import { announcementSlackMessage } from './rollback-announcement';

/** The SNS topic told about every decision that acts or would act. */
export function snsAnnouncementChannel(clients: AwsClientFactory, topicArn: string): AnnouncementChannel {
  return {
    name: 'SNS',
    async announce(announcement) {
      await clients.client(SNSClient).send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: announcement.subject,
          Message: announcementText(announcement),
        }),
      );
    },
  };
}

/** The Slack channel told the same, through whatever posts a message (the approvals' Slack app in AWS). */
export function slackAnnouncementChannel(
  post: (message: SlackMessage) => Promise<void>,
): AnnouncementChannel {
  return { name: 'Slack', announce: (announcement) => post(announcementSlackMessage(announcement)) };
}
