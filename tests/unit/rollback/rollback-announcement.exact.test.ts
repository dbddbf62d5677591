import { describe, expect, it } from 'vitest';
import {
  announcementText,
  announcingSince,
  earlierAnnouncementSince,
  rollbackAnnouncement,
} from '../../../functions/rollback/domain/rollback-announcement';
import type { RollbackTarget } from '../../../functions/rollback/domain/rollback-config';
import type { RollbackRecord } from '../../../functions/rollback/domain/rollback-record';

const codedeploy: RollbackTarget = {
  kind: 'codedeploy',
  application: 'payments',
  deploymentGroup: 'prod',
  alarms: ['payments-*'],
  bakeMinutes: 30,
  cooldownMinutes: 60,
  mode: 'enforce',
};
const pipeline: RollbackTarget = {
  kind: 'pipeline',
  pipeline: 'payments',
  stage: 'Prod',
  alarms: ['payments-*'],
  bakeMinutes: 30,
  cooldownMinutes: 60,
  mode: 'enforce',
};
const home = 'https://eu-west-1.console.aws.amazon.com';
const alarmLink = {
  label: 'Alarm payments-5xx',
  url: `${home}/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/payments-5xx`,
};
const deploymentUrl = (id: string) => `${home}/codesuite/codedeploy/deployments/${id}?region=eu-west-1`;
const executionUrl = (id: string) =>
  `${home}/codesuite/codepipeline/pipelines/payments/executions/${id}/timeline?region=eu-west-1`;
const base: RollbackRecord = {
  targetId: 'codedeploy:payments/prod',
  alarmName: 'payments-5xx',
  alarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:payments-5xx',
  alarmStateTime: '2026-11-24T11:50:00.000Z',
  decidedAt: '2026-11-24T11:50:01.000Z',
  action: 'redeploy',
  reason: 'deployment d-BAD is the latest',
  enforce: true,
  outcome: 'succeeded',
};

describe('rollbackAnnouncement, exactly', () => {
  it('a CodeDeploy redeploy: subject, lines, text and the links to the deployments', () => {
    const record = {
      ...base,
      deploymentId: 'd-BAD',
      rollbackTo: 'd-GOOD',
      result: { deploymentId: 'd-NEW' },
    };
    const announcement = rollbackAnnouncement(record, codedeploy, 'succeeded', 'redeployed d-GOOD');
    expect(announcement).toEqual({
      subject: 'Rollback succeeded: redeploy on codedeploy:payments/prod',
      lines: [
        'Alarm payments-5xx entered ALARM at 2026-11-24T11:50:00.000Z.',
        'Target: codedeploy:payments/prod. Decision: redeploy. Outcome: succeeded.',
        'Reason: deployment d-BAD is the latest',
        'Detail: redeployed d-GOOD',
      ],
      links: [
        alarmLink,
        { label: 'Deployment d-BAD', url: deploymentUrl('d-BAD') },
        { label: 'Last good d-GOOD', url: deploymentUrl('d-GOOD') },
        { label: 'Redeploy d-NEW', url: deploymentUrl('d-NEW') },
      ],
    });
    expect(announcementText(announcement)).toBe(
      [
        'Alarm payments-5xx entered ALARM at 2026-11-24T11:50:00.000Z.',
        'Target: codedeploy:payments/prod. Decision: redeploy. Outcome: succeeded.',
        'Reason: deployment d-BAD is the latest',
        'Detail: redeployed d-GOOD',
        `Alarm payments-5xx: ${alarmLink.url}`,
        `Deployment d-BAD: ${deploymentUrl('d-BAD')}`,
        `Last good d-GOOD: ${deploymentUrl('d-GOOD')}`,
        `Redeploy d-NEW: ${deploymentUrl('d-NEW')}`,
      ].join('\n'),
    );
  });

  it('a CodeDeploy target has no execution links, even for ids it was handed', () => {
    const record = { ...base, executionId: 'e-1', result: { rollbackExecutionId: 'e-2' } };
    expect(rollbackAnnouncement(record, codedeploy, 'succeeded', '').links).toEqual([alarmLink]);
  });

  it('a pipeline rollback links the bad, the last good and the rollback execution', () => {
    const record = {
      ...base,
      targetId: 'pipeline:payments/Prod',
      action: 'rollback-stage',
      executionId: 'e-BAD',
      rollbackTo: 'e-GOOD',
      result: { rollbackExecutionId: 'e-RB' },
    };
    expect(rollbackAnnouncement(record, pipeline, 'succeeded', '').links).toEqual([
      alarmLink,
      { label: 'Execution e-BAD', url: executionUrl('e-BAD') },
      { label: 'Last good e-GOOD', url: executionUrl('e-GOOD') },
      { label: 'Rollback execution e-RB', url: executionUrl('e-RB') },
    ]);
  });

  it('links only the alarm when the record names nothing else', () => {
    expect(rollbackAnnouncement(base, pipeline, 'skipped', '').links).toEqual([alarmLink]);
    expect(rollbackAnnouncement(base, codedeploy, 'skipped', '').links).toEqual([alarmLink]);
  });

  it('cuts a long subject to fit SNS (less than 100 characters), keeping its start', () => {
    const long = { ...base, targetId: `codedeploy:${'a'.repeat(120)}` };
    const subject = rollbackAnnouncement(long, codedeploy, 'succeeded', '').subject;
    expect(subject.length).toBe(99);
    expect(subject.startsWith(`Rollback succeeded: redeploy on codedeploy:${'a'.repeat(50)}`)).toBe(true);
  });
});

describe('announcingSince and earlierAnnouncementSince', () => {
  it('round-trips the time an earlier attempt started announcing', () => {
    expect(announcingSince('2026-11-24T11:50:02.000Z')).toBe('announcing since 2026-11-24T11:50:02.000Z');
    expect(earlierAnnouncementSince('announcing since 2026-11-24T11:50:02.000Z')).toBe(
      '2026-11-24T11:50:02.000Z',
    );
  });

  it('is undefined for no answer and for a real answer (a Slack ts or an SNS message id)', () => {
    expect(earlierAnnouncementSince(undefined)).toBeUndefined();
    expect(earlierAnnouncementSince('1732449000.000100')).toBeUndefined();
    expect(earlierAnnouncementSince('message id announcing since ')).toBeUndefined();
  });
});
