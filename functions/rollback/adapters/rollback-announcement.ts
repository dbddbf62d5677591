import type { KnownBlock } from '@slack/types';
import {
  CONTEXT_TEXT_MAX,
  contextBlock,
  headerBlock,
  type SlackMessage,
  sectionBlocks,
  slackMessage,
} from '#platform/slack/block-kit';
import { literalMrkdwn, slackLink } from '#platform/slack/slack-text';
import { announcementText, type RollbackAnnouncement } from '#rollback/domain/rollback-announcement';

// One fact per paragraph: an alarm name or reason near the limit is clipped alone, never the facts after it.
const FACT_MAX = 2_900;

/**
 * The Slack form: the subject as a plain-text header, the facts as inert mrkdwn (alarm names, reasons and
 * AWS errors are written by others), and the links checked (https only) and escaped.
 */
export function announcementSlackMessage(announcement: RollbackAnnouncement): SlackMessage {
  const blocks: KnownBlock[] = [
    headerBlock(announcement.subject),
    ...sectionBlocks(announcement.lines.map((line) => literalMrkdwn(line, FACT_MAX))),
  ];
  if (announcement.links.length > 0) {
    blocks.push(
      contextBlock(announcement.links.map((link) => slackLink(link.url, link.label, CONTEXT_TEXT_MAX))),
    );
  }
  // `text` is the notification and screen-reader fallback: the subject and the facts, without markup.
  return slackMessage(`${announcement.subject}\n${announcementText(announcement)}`, blocks);
}
