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
import type { RollbackTarget } from '#rollback/domain/rollback-config';
import type { RollbackOutcome, RollbackRecord } from './rollback-store';

/** What every channel says about one decision: SNS and Slack carry the same facts and links. */
export interface RollbackAnnouncement {
  subject: string;
  lines: string[];
  links: { label: string; url: string }[];
}

// SNS Publish: "Subject … must be less than 100 characters" (SNS API reference).
const SNS_SUBJECT_MAX = 100;

export function rollbackAnnouncement(
  record: RollbackRecord,
  target: RollbackTarget,
  outcome: RollbackOutcome,
  message: string,
): RollbackAnnouncement {
  const verb = record.enforce ? record.action : `${record.action} (observe mode)`;
  return {
    subject: `Rollback ${outcome}: ${verb} on ${record.targetId}`.slice(0, SNS_SUBJECT_MAX),
    lines: [
      `Alarm ${record.alarmName} entered ALARM at ${record.alarmStateTime}.`,
      `Target: ${record.targetId}. Decision: ${record.action}. Outcome: ${outcome}.`,
      `Reason: ${record.reason}`,
      `Detail: ${message}`,
    ],
    links: consoleLinks(record, target),
  };
}

export function announcementText(announcement: RollbackAnnouncement): string {
  return [...announcement.lines, ...announcement.links.map((link) => `${link.label}: ${link.url}`)].join(
    '\n',
  );
}

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

/** Console pages of the alarm and of what the decision is about; the region is the alarm's (same account). */
function consoleLinks(record: RollbackRecord, target: RollbackTarget): RollbackAnnouncement['links'] {
  const region = record.alarmArn?.split(':')[3];
  if (!region) return [];
  const home = `https://${region}.console.aws.amazon.com`;
  const deployment = (id: string) => `${home}/codesuite/codedeploy/deployments/${id}?region=${region}`;
  const execution = (id: string) =>
    target.kind === 'pipeline'
      ? `${home}/codesuite/codepipeline/pipelines/${encodeURIComponent(target.pipeline)}/executions/${id}/timeline?region=${region}`
      : '';
  const links = [
    {
      label: `Alarm ${record.alarmName}`,
      url: `${home}/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(record.alarmName)}`,
    },
  ];
  const add = (label: string, url: string) => {
    if (url) links.push({ label, url });
  };
  if (record.deploymentId) add(`Deployment ${record.deploymentId}`, deployment(record.deploymentId));
  if (record.executionId) add(`Execution ${record.executionId}`, execution(record.executionId));
  if (record.rollbackTo) {
    const url = target.kind === 'codedeploy' ? deployment(record.rollbackTo) : execution(record.rollbackTo);
    add(`Last good ${record.rollbackTo}`, url);
  }
  const redeployId = record.result?.deploymentId;
  if (redeployId) add(`Redeploy ${redeployId}`, deployment(redeployId));
  const rollbackExecutionId = record.result?.rollbackExecutionId;
  if (rollbackExecutionId) add(`Rollback execution ${rollbackExecutionId}`, execution(rollbackExecutionId));
  return links;
}
