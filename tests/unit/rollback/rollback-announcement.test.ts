import { describe, expect, it } from 'vitest';
import { announcementSlackMessage } from '../../../functions/rollback/adapters/rollback-announcement';
import {
  announcementText,
  rollbackAnnouncement,
} from '../../../functions/rollback/domain/rollback-announcement';
import type { RollbackTarget } from '../../../functions/rollback/domain/rollback-config';
import type { RollbackRecord } from '../../../functions/rollback/domain/rollback-record';

const pipeline: RollbackTarget = {
  kind: 'pipeline',
  pipeline: 'payments api',
  stage: 'Prod',
  alarms: ['payments-*'],
  bakeMinutes: 30,
  cooldownMinutes: 60,
  mode: 'observe',
};
const record: RollbackRecord = {
  targetId: 'pipeline:payments api/Prod',
  alarmName: 'payments-5xx <p99>',
  alarmArn: 'arn:aws:cloudwatch:eu-central-1:123456789012:alarm:payments-5xx <p99>',
  alarmStateTime: '2026-11-24T11:50:00.000Z',
  decidedAt: '2026-11-24T11:50:01.000Z',
  action: 'rollback-stage',
  reason: 'observe mode, would act: execution e-bad succeeded in this stage & more',
  enforce: false,
  outcome: 'pending',
  executionId: 'e-bad',
  rollbackTo: 'e-good',
};

describe('rollbackAnnouncement', () => {
  const announcement = rollbackAnnouncement(record, pipeline, 'observed', 'would roll back');

  it('says observe mode in the subject and links the alarm and both executions in the alarm region', () => {
    expect(announcement.subject).toBe(
      'Rollback observed: rollback-stage (observe mode) on pipeline:payments api/Prod',
    );
    expect(announcement.links.map((link) => link.url)).toEqual([
      'https://eu-central-1.console.aws.amazon.com/cloudwatch/home?region=eu-central-1#alarmsV2:alarm/payments-5xx%20%3Cp99%3E',
      'https://eu-central-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/payments%20api/executions/e-bad/timeline?region=eu-central-1',
      'https://eu-central-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/payments%20api/executions/e-good/timeline?region=eu-central-1',
    ]);
    expect(announcementText(announcement)).toContain('Execution e-bad: https://');
  });

  it('escapes Slack control characters in the facts but keeps links clickable', () => {
    const { blocks, text } = announcementSlackMessage(announcement);
    const markup = JSON.stringify(blocks);
    expect(markup).toContain('payments-5xx &lt;p99&gt;');
    expect(markup).toContain('succeeded in this stage &amp; more');
    expect(markup).toContain('|Last good e-good>');
    expect(text.startsWith(`${announcement.subject}\n`)).toBe(true);
  });

  it('has no links without an alarm ARN to take the region from', () => {
    const { alarmArn: _, ...withoutArn } = record;
    expect(rollbackAnnouncement(withoutArn, pipeline, 'observed', '').links).toEqual([]);
  });
});
