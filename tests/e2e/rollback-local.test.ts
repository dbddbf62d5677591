import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalControlPlane, startLocalControlPlane } from '../../local/control-plane';
import { readEvent } from '../support/events';

/** Issue 4 end to end through local mode: deployment events, then an alarm, then the exact AWS call. */
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

  it('stops the deployment in progress once, however often the alarm is delivered', async () => {
    const start = readEvent<Record<string, unknown>>('record-execution/codedeploy-deployment-success.json');
    await post('/events', {
      ...start,
      id: 'deploy-start',
      time: iso(-5),
      detail: {
        ...(start.detail as object),
        application: 'checkout',
        deploymentGroup: 'prod',
        deploymentId: 'd-LOCAL1234',
        state: 'START',
      },
    });
    const alarm = readEvent<Record<string, unknown>>('rollback-on-alarm/alarm.json');
    const detail = alarm.detail as { state: Record<string, unknown>; previousState: Record<string, unknown> };
    const incident = {
      ...alarm,
      time: iso(0),
      detail: {
        ...detail,
        state: { ...detail.state, timestamp: new Date(now).toISOString() },
        previousState: { ...detail.previousState, timestamp: new Date(now - 3_600_000).toISOString() },
      },
    };
    const { deliveries } = await post('/events', [incident, incident, incident]);
    expect(deliveries[0]?.matched.map((match) => match.function)).toEqual(['RollbackOnAlarmFunction']);

    const calls = controlPlane.outbox.entries.filter((call) => call.command === 'StopDeployment');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.input).toEqual({ deploymentId: 'd-LOCAL1234', autoRollbackEnabled: true });
  });
});
