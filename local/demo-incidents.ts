import { readFileSync } from 'node:fs';

/**
 * The account and region of the demo's payments-api and first checkout-service (the sample events' own, so
 * events/rollback-on-alarm samples meet a guarded target). Another account has a checkout-service too.
 */
export const DEMO_SHOP_ACCOUNT = { account: '123456789012', region: 'us-east-1' } as const;

/**
 * What the demo guards, and the alarms that fire on it: payments-api's production deployment group is
 * enforced (its deployment is still running, so the alarm stops it); checkout-service's is observed, with
 * the longest bake (a day: its last success, 23 hours before the demo's end, is within it), so the redeploy
 * it would do is recorded and announced, not made. Each target names its account and region: the other
 * account's checkout-service has the same application name and must never be acted on for these alarms.
 */
export const DEMO_ROLLBACK_CONFIG = {
  targets: [
    {
      ...DEMO_SHOP_ACCOUNT,
      kind: 'codedeploy',
      application: 'payments-api',
      deploymentGroup: 'production',
      alarms: ['payments-api-*', 'payments-health'],
      bakeMinutes: 30,
      cooldownMinutes: 60,
      mode: 'enforce',
    },
    {
      ...DEMO_SHOP_ACCOUNT,
      kind: 'codedeploy',
      application: 'checkout-service',
      deploymentGroup: 'production',
      alarms: ['checkout-*'],
      bakeMinutes: 1440,
      cooldownMinutes: 60,
      mode: 'observe',
    },
  ],
};

/** The alarms the demo puts in ALARM; everything else DescribeAlarms is asked about is OK. */
export const DEMO_ALARMS_IN_ALARM = ['payments-api-5xx', 'checkout-p99-latency'];

const SAMPLE_ALARM = new URL('../events/rollback-on-alarm/alarm.json', import.meta.url);

/** events/rollback-on-alarm/alarm.json for another alarm, gone into ALARM at `at`. */
export function alarmStateChange(alarmName: string, at: Date): Record<string, unknown> {
  const sample = JSON.parse(readFileSync(SAMPLE_ALARM, 'utf8')) as {
    id: string;
    resources: string[];
    detail: { alarmName: string; state: Record<string, unknown>; previousState: Record<string, unknown> };
  };
  const before = new Date(at.getTime() - 5 * 60_000);
  return {
    ...sample,
    id: crypto.randomUUID(),
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    resources: [sample.resources[0]?.replace(/alarm:.*$/, `alarm:${alarmName}`)],
    detail: {
      ...sample.detail,
      alarmName,
      previousState: { ...sample.detail.previousState, timestamp: cloudWatchTime(before) },
      state: { ...sample.detail.state, timestamp: cloudWatchTime(at) },
    },
  };
}

/** CloudWatch writes state timestamps as `2026-11-24T11:45:00.989+0000`. */
const cloudWatchTime = (at: Date) => at.toISOString().replace('Z', '+0000');
