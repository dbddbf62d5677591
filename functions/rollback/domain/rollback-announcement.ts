import type { RollbackTarget } from './rollback-config';
import type { RollbackOutcome, RollbackRecord } from './rollback-record';

/** What every channel says about one decision: SNS and Slack carry the same facts and links. */
export interface RollbackAnnouncement {
  subject: string;
  lines: string[];
  links: { label: string; url: string }[];
}

// SNS Publish: "Subject … must be less than 100 characters" (SNS API reference): 99 at most.
const SNS_SUBJECT_MAX = 99;

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

/**
 * What an incident records for a channel before announcing on it: a later attempt that finds this (and no
 * answer) knows the announcement may already be out, since when.
 */
export const announcingSince = (at: string) => `${ANNOUNCING}${at}`;
const ANNOUNCING = 'announcing since ';

/** When an earlier attempt started announcing, if the recorded answer says only that; undefined otherwise. */
export function earlierAnnouncementSince(recorded: string | undefined): string | undefined {
  return recorded?.startsWith(ANNOUNCING) ? recorded.slice(ANNOUNCING.length) : undefined;
}
