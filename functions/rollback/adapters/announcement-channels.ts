import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SlackMessage } from '#approvals/adapters/approval-messages';
import type { AwsClientFactory } from '#platform/aws-clients';
import { escapeSlackText } from '#platform/slack/slack-text';
import { announcementText, type RollbackAnnouncement } from '#rollback/domain/rollback-announcement';
import type { AnnouncementChannel } from '#rollback/ports';

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

// A section block's text is limited to 3000 characters.
const SLACK_SECTION_MAX = 3000;

export function announcementSlackMessage(announcement: RollbackAnnouncement): SlackMessage {
  const body = announcement.lines.map(escapeSlackText).join('\n').slice(0, SLACK_SECTION_MAX);
  const blocks: object[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlackText(announcement.subject)}*` } },
    { type: 'section', text: { type: 'mrkdwn', text: body } },
  ];
  if (announcement.links.length > 0) {
    const links = announcement.links
      .map((link) => `<${link.url}|${escapeSlackText(link.label)}>`)
      .join(' · ');
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: links }] });
  }
  // `text` is the notification and screen-reader fallback: the subject and the facts, without markup.
  return { text: `${announcement.subject}\n${announcementText(announcement)}`, blocks };
}
