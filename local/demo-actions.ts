import { readFileSync } from 'node:fs';
import { demoServiceHealthPath } from './demo-services';

/** One invoke action job the demo runs, and what the newcomer should see it do. */
export interface DemoJob {
  action: 'change-window' | 'alarm-bake' | 'http-smoke-test';
  expect: 'success' | 'failure';
  story: string;
  event: Record<string, unknown>;
}

const sample = (path: string) =>
  JSON.parse(readFileSync(new URL(`../events/actions/${path}`, import.meta.url), 'utf8')) as {
    'CodePipeline.job': { id: string; data: Record<string, unknown> };
  };

/** A shipped sample job with another id, UserParameters and (optionally) continuation token. */
function job(path: string, userParameters: unknown, continuationToken?: unknown): Record<string, unknown> {
  const base = sample(path)['CodePipeline.job'];
  const data = base.data as { actionConfiguration: { configuration: Record<string, unknown> } };
  return {
    'CodePipeline.job': {
      ...base,
      id: crypto.randomUUID(),
      data: {
        ...data,
        actionConfiguration: {
          configuration: {
            ...data.actionConfiguration.configuration,
            UserParameters: JSON.stringify(userParameters),
          },
        },
        ...(continuationToken === undefined ? {} : { continuationToken: JSON.stringify(continuationToken) }),
      },
    },
  };
}

const EVERY_DAY = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/**
 * Each kind of invoke action at least once, passing or failing for a reason a reader recognises, and
 * independent of the wall clock: the windows are built around `now`. The smoke tests
 * check the demo's stand-in services on `controlPlaneUrl` (local mode allows that one loopback port; a
 * deployed function refuses loopback).
 */
export function demoJobs(now: Date, controlPlaneUrl: string): DemoJob[] {
  const today = now.toISOString().slice(0, 10);
  return [
    {
      action: 'change-window',
      expect: 'success',
      story: 'change-window: inside the window (every day, all day, UTC), so the release may go on',
      event: job('change-window/weekday-office-hours.json', { timeZone: 'UTC', days: EVERY_DAY }),
    },
    {
      action: 'change-window',
      expect: 'failure',
      story: 'change-window: today is inside a change freeze, so the release is held',
      event: job('change-window/weekday-office-hours.json', {
        timeZone: 'UTC',
        days: EVERY_DAY,
        freezes: [{ from: today, to: today, reason: 'Demo day freeze' }],
      }),
    },
    {
      action: 'alarm-bake',
      expect: 'success',
      // Local mode's clock jumps over the bake's waits: twenty polls in ten minutes, replayed in a moment.
      story: 'alarm-bake: checkout-5xx stays OK through a 10-minute bake (its waits compressed locally)',
      event: job('alarm-bake/ten-minutes.json', { alarmNames: ['checkout-5xx'], bakeMinutes: 10 }),
    },
    {
      action: 'alarm-bake',
      expect: 'failure',
      story: 'alarm-bake: payments-api-5xx is in ALARM, so the bake fails naming it',
      event: job('alarm-bake/ten-minutes.json', { alarmNames: ['payments-api-5xx'], bakeMinutes: 10 }),
    },
    {
      action: 'http-smoke-test',
      expect: 'success',
      story: 'http-smoke-test: checkout-service answers 200 with "status":"ok" on its health URL',
      event: job('http-smoke-test/two-urls.json', {
        checks: [
          {
            url: `${controlPlaneUrl}${demoServiceHealthPath('checkout-service')}`,
            bodyPattern: '"status":\\s*"ok"',
          },
        ],
        maxAttempts: 1,
      }),
    },
    {
      action: 'http-smoke-test',
      expect: 'failure',
      story:
        'http-smoke-test: payments-api answers 503 on its health URL, so the check fails after its retries',
      event: job('http-smoke-test/two-urls.json', {
        checks: [{ url: `${controlPlaneUrl}${demoServiceHealthPath('payments-api')}` }],
        maxAttempts: 2,
        initialBackoffMs: 100,
      }),
    },
  ];
}
