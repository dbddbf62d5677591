import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalControlPlane, startLocalControlPlane } from '../../local/control-plane';
import { readEvent } from '../support/events';

/** Rollback on alarm end to end through local mode: deployment events, then an alarm, then the exact AWS call. */
describe('rollback on alarm through the local control plane', () => {
  let controlPlane: LocalControlPlane;
  const now = Date.now();
  const iso = (offsetMinutes: number) =>
    new Date(now + offsetMinutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

  beforeAll(async () => {
    // Local settings win over template defaults: this is how a platform team tries a config locally.
    process.env.ROLLBACK_CONFIG = JSON.stringify({
      targets: [
        {
          kind: 'codedeploy',
          application: 'checkout',
          deploymentGroup: 'prod',
          alarms: ['checkout-*'],
          mode: 'enforce',
        },
        {
          kind: 'codedeploy',
          application: 'checkout',
          deploymentGroup: 'eu-prod',
          alarms: ['eu-checkout-*'],
          mode: 'enforce',
        },
      ],
    });
    controlPlane = await startLocalControlPlane({ port: 0 });
  }, 60_000);

  afterAll(async () => {
    await controlPlane.close();
    delete process.env.ROLLBACK_CONFIG;
  });

  const post = async (path: string, body: unknown) =>
    (
      await fetch(`${controlPlane.url}${path}`, { method: 'POST', body: JSON.stringify(body) })
    ).json() as Promise<{
      deliveries: { matched: { function: string; result: unknown }[] }[];
    }>;

  const deploymentEvent = (deploymentGroup: string, deploymentId: string, state: string, minutes: number) => {
    const sample = readEvent<Record<string, unknown>>('record-execution/codedeploy-deployment-success.json');
    return {
      ...sample,
      id: `${deploymentId}-${state}`,
      time: iso(minutes),
      detail: { ...(sample.detail as object), application: 'checkout', deploymentGroup, deploymentId, state },
    };
  };

  const alarmIncident = (alarmName: string) => {
    const alarm = readEvent<Record<string, unknown>>('rollback-on-alarm/alarm.json');
    const detail = alarm.detail as { state: Record<string, unknown>; previousState: Record<string, unknown> };
    return {
      ...alarm,
      id: crypto.randomUUID(),
      time: iso(0),
      resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarmName}`],
      detail: {
        ...detail,
        alarmName,
        state: { ...detail.state, timestamp: new Date(now).toISOString() },
        previousState: { ...detail.previousState, timestamp: new Date(now - 3_600_000).toISOString() },
      },
    };
  };

  it('stops the deployment in progress once, however often the alarm is delivered', async () => {
    await post('/events', deploymentEvent('prod', 'd-LOCAL1234', 'START', -5));
    const incident = alarmIncident('checkout-5xx');
    const { deliveries } = await post('/events', [incident, incident, incident]);
    expect(deliveries[0]?.matched.map((match) => match.function)).toEqual(['RollbackOnAlarmFunction']);

    const calls = controlPlane.outbox.entries.filter((call) => call.command === 'StopDeployment');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.input).toEqual({ deploymentId: 'd-LOCAL1234', autoRollbackEnabled: true });
  });

  it('redeploys the last good revision after a success within the bake window, shown in GET /local/outbox', async () => {
    await post('/events', [
      deploymentEvent('eu-prod', 'd-LOCALGOOD', 'START', -120),
      deploymentEvent('eu-prod', 'd-LOCALGOOD', 'SUCCESS', -110),
      deploymentEvent('eu-prod', 'd-LOCALBAD', 'START', -10),
      deploymentEvent('eu-prod', 'd-LOCALBAD', 'SUCCESS', -3),
    ]);
    const incident = alarmIncident('eu-checkout-5xx');
    await post('/events', [incident, incident]);

    const { calls } = (await (await fetch(`${controlPlane.url}/local/outbox`)).json()) as {
      calls: { command: string; input: unknown; output?: { deploymentId?: string } }[];
    };
    const creates = calls.filter((call) => call.command === 'CreateDeployment');
    expect(creates).toHaveLength(1);
    expect(creates[0]?.input).toEqual({
      applicationName: 'checkout',
      deploymentGroupName: 'eu-prod',
      revision: {
        revisionType: 'S3',
        s3Location: { bucket: 'local-revisions', key: 'd-LOCALGOOD.zip', bundleType: 'zip' },
      },
      description: 'pipeline-control-plane rollback of d-LOCALBAD (alarm eu-checkout-5xx)',
    });
    expect(creates[0]?.output?.deploymentId).toMatch(/^d-LOCAL/);

    // Local mode announces in the local Slack sink's rollback channel (local-parameters.ts) as well.
    const slack = (await (await fetch(`${controlPlane.url}/local/slack`)).json()) as {
      calls: { method: string; args: { channel?: string; text?: string } }[];
    };
    const announced = slack.calls.filter(
      (call) => call.method === 'chat.postMessage' && call.args.text?.includes('codedeploy:checkout/eu-prod'),
    );
    expect(announced).toHaveLength(1);
    expect(announced[0]?.args.channel).toBe('C0LOCAL0002');
    expect(announced[0]?.args.text).toContain(`Redeploy ${creates[0]?.output?.deploymentId}: https://`);
  });
});
