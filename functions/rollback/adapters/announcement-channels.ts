import { createHash } from 'node:crypto';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AwsClientFactory } from '#platform/aws-clients';
import { postOnce } from '#platform/slack/post-once';
import type { PostMetadata, SlackApi } from '#platform/slack/slack-client';
import { announcementText } from '#rollback/domain/rollback-announcement';
import type { IncidentKey } from '#rollback/domain/rollback-record';
import type { AnnouncementChannel } from '#rollback/ports';
import { announcementSlackMessage } from './rollback-announcement';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** One id per incident and target, the same in every attempt: SNS's deduplication id (at most 128 characters). */
export const incidentAnnouncementId = (incident: IncidentKey) =>
  sha256(`${incident.targetId}\n${incident.alarmName}\n${incident.alarmStateTime}`);

/**
 * The SNS topic told about every decision that acts or would act. A FIFO topic (`.fifo`) is given the incident's
 * id as MessageDeduplicationId, so SNS itself drops a second publish of the same announcement within its 5-minute
 * deduplication window, and the target as MessageGroupId (one target's announcements in order). A standard topic
 * takes no such id: a publish whose answer was lost is published again, and says so.
 */
export function snsAnnouncementChannel(clients: AwsClientFactory, topicArn: string): AnnouncementChannel {
  const fifo = topicArn.endsWith('.fifo');
  return {
    name: 'SNS',
    async announce(announcement, attempt) {
      const text = announcementText(announcement);
      const repeated = !fifo && attempt.earlierSince;
      await clients.client(SNSClient).send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: announcement.subject,
          Message: repeated
            ? `${text}\n(Sent again: an earlier attempt's answer was lost at ${attempt.earlierSince}, so this may repeat it.)`
            : text,
          ...(fifo
            ? {
                MessageDeduplicationId: incidentAnnouncementId(attempt.incident),
                MessageGroupId: sha256(attempt.incident.targetId),
              }
            : {}),
        }),
      );
    },
  };
}

/** What an announcement carries in Slack (invisible to people) so that a later attempt can find it. */
export const announcementPostMetadata = (incident: IncidentKey): PostMetadata => ({
  eventType: 'pipeline_rollback_announced',
  payload: {
    target_id: incident.targetId,
    alarm_name: incident.alarmName,
    alarm_state_time: incident.alarmStateTime,
  },
});

/**
 * The Slack channel told the same, through the approvals' Slack app: a retry after an attempt that may have posted
 * looks for that post in the channel's history first (postOnce).
 */
export function slackAnnouncementChannel(
  channel: string,
  slack: () => Promise<SlackApi>,
  warn: (message: string, context: Record<string, unknown>) => void,
): AnnouncementChannel {
  return {
    name: 'Slack',
    async announce(announcement, attempt) {
      await postOnce(
        await slack(),
        {
          channel,
          message: announcementSlackMessage(announcement),
          metadata: announcementPostMetadata(attempt.incident),
          earlierSince: attempt.earlierSince,
          what: 'rollback announcement',
        },
        warn,
      );
    },
  };
}
