import { CodeDeployClient, GetDeploymentCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryStore } from '../../../functions/history/adapters/history-store';
import { createSlackApi } from '../../../functions/platform/slack/slack-client';
import { slackAnnouncementChannel } from '../../../functions/rollback/adapters/announcement-channels';
import { createRollbackStore, type RollbackStore } from '../../../functions/rollback/adapters/rollback-store';
import { parseRollbackConfig } from '../../../functions/rollback/domain/rollback-config';
import {
  type RollbackDependencies,
  rollbackOnAlarm,
} from '../../../functions/rollback/rollback-on-alarm/rollback-on-alarm';
import type { FaultKind } from '../../../local/fault-injection';
import { createTestTable } from '../../support/dynamo';
import { alarmEvent, awsGateways, checkoutProdTarget, seedDeployment } from '../../support/rollback';
import { type SlackCall, startSlackSink } from '../../support/slack-sink';

const codeDeploy = mockClient(CodeDeployClient);

describe('rollback announcements in Slack (local Slack sink over loopback HTTP)', () => {
  let sink: Awaited<ReturnType<typeof startSlackSink>>;
  let answer:
    | ((call: SlackCall) => { status: number; body: Record<string, unknown> } | undefined)
    | undefined;
  let fault: ((method: string) => FaultKind | undefined) | undefined;
  let history: HistoryStore;
  let rollbacks: RollbackStore;
  let warnings: { message: string; context: Record<string, unknown> }[];
  let now: Date;

  beforeAll(async () => {
    sink = await startSlackSink({ answer: (call) => answer?.(call), fault: (method) => fault?.(method) });
  });
  afterAll(() => sink.close());

  beforeEach(async () => {
    codeDeploy.reset();
    codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { creator: 'user' } });
    codeDeploy.on(StopDeploymentCommand).resolves({ status: 'Pending' });
    const table = await createTestTable();
    history = table.store;
    rollbacks = createRollbackStore({ client: table.client, tableName: table.tableName, retentionDays: 400 });
    await seedDeployment(history, 'd-BAD', 'START', '2026-11-24T11:40:00.000Z');
    sink.calls.length = 0;
    answer = undefined;
    fault = undefined;
    warnings = [];
    now = new Date('2026-11-24T12:00:00.000Z');
  });

  const deps = (): RollbackDependencies => ({
    config: parseRollbackConfig(JSON.stringify({ targets: [checkoutProdTarget('enforce')] })),
    rollbacks,
    history,
    ...awsGateways(),
    announcements: [
      slackAnnouncementChannel(
        'C0ROLLBACKS',
        async () => createSlackApi('xoxb-test', sink.url),
        (message, context) => warnings.push({ message, context }),
      ),
    ],
    warn: (message, context) => warnings.push({ message, context }),
    now: () => now,
  });

  it('posts one message to the channel with the alarm, target, decision, reason, outcome and links', async () => {
    const event = alarmEvent('checkout-5xx', '2026-11-24T11:45:00.000Z');
    await rollbackOnAlarm(event, deps());
    await rollbackOnAlarm(event, deps()); // a redelivery is a duplicate: not announced again

    const posts = sink.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.channel).toBe('C0ROLLBACKS');
    expect(posts[0]?.args.text).toBe(
      [
        'Rollback succeeded: stop-deployment on codedeploy:checkout/prod',
        'Alarm checkout-5xx entered ALARM at 2026-11-24T11:45:00.000Z.',
        'Target: codedeploy:checkout/prod. Decision: stop-deployment. Outcome: succeeded.',
        'Reason: deployment d-BAD is in progress (START); stop it and let CodeDeploy roll back',
        'Detail: StopDeployment d-BAD (autoRollbackEnabled): Pending',
        'Alarm checkout-5xx: https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/checkout-5xx',
        'Deployment d-BAD: https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-BAD?region=us-east-1',
      ].join('\n'),
    );
    expect(JSON.stringify(posts[0]?.args.blocks)).toContain(
      '<https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-BAD?region=us-east-1|Deployment d-BAD>',
    );
    expect(warnings).toEqual([]);
  });

  it('only warns when Slack refuses the post (ok: false): the decision and its outcome stay recorded', async () => {
    answer = (call) =>
      call.method === 'chat.postMessage'
        ? { status: 200, body: { ok: false, error: 'not_in_channel' } }
        : undefined;
    const [outcome] = await rollbackOnAlarm(alarmEvent('checkout-5xx', '2026-11-24T11:45:00.000Z'), deps());

    expect(outcome).toMatchObject({ action: 'stop-deployment', outcome: 'succeeded' });
    expect(codeDeploy.commandCalls(StopDeploymentCommand)).toHaveLength(1);
    expect(sink.callsTo('chat.postMessage')).toHaveLength(1);
    expect(warnings).toEqual([
      {
        message: 'Slack announcement failed',
        context: expect.objectContaining({ targetId: 'codedeploy:checkout/prod' }),
      },
    ]);
    const [record] = await rollbacks.listIncidents('codedeploy:checkout/prod');
    expect(record).toMatchObject({
      outcome: 'succeeded',
      action: 'stop-deployment',
      announced: { Slack: 'failed: WebAPIPlatformError' },
    });
  });

  it('posts again on the next delivery when Slack answered HTTP 500, without stopping twice', async () => {
    answer = (call) =>
      call.method === 'chat.postMessage'
        ? { status: 500, body: { ok: false, error: 'internal_error' } }
        : undefined;
    const event = alarmEvent('checkout-5xx', '2026-11-24T11:45:00.000Z');
    await expect(rollbackOnAlarm(event, deps())).rejects.toThrow(/Slack announcement failed/);
    answer = undefined;
    // Lambda's retry, a minute later: past the first attempt's claim on the announcement.
    now = new Date('2026-11-24T12:01:01.000Z');
    const [retry] = await rollbackOnAlarm(event, deps());

    expect(retry).toMatchObject({ action: 'stop-deployment', outcome: 'succeeded' });
    expect(codeDeploy.commandCalls(StopDeploymentCommand)).toHaveLength(1);
    expect(sink.callsTo('chat.postMessage')).toHaveLength(2);
    const [record] = await rollbacks.listIncidents('codedeploy:checkout/prod');
    expect(record).toMatchObject({ outcome: 'succeeded', progress: 'done', announced: { Slack: 'sent' } });
  });

  it('finds a post whose answer was lost in the channel history instead of posting twice', async () => {
    fault = (method) => (method === 'chat.postMessage' ? 'lost-response' : undefined);
    const event = alarmEvent('checkout-5xx', '2026-11-24T11:45:00.000Z');
    await expect(rollbackOnAlarm(event, deps())).rejects.toThrow(/Slack announcement failed/);
    fault = undefined;
    now = new Date('2026-11-24T12:01:01.000Z');
    const [retry] = await rollbackOnAlarm(event, deps());

    expect(retry).toMatchObject({ action: 'stop-deployment', outcome: 'succeeded' });
    const posts = sink.callsTo('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.metadata).toEqual({
      event_type: 'pipeline_rollback_announced',
      event_payload: {
        target_id: 'codedeploy:checkout/prod',
        alarm_name: 'checkout-5xx',
        alarm_state_time: '2026-11-24T11:45:00.000Z',
      },
    });
    expect(sink.callsTo('conversations.history')).toHaveLength(1);
    const [record] = await rollbacks.listIncidents('codedeploy:checkout/prod');
    expect(record).toMatchObject({ progress: 'done', announced: { Slack: 'sent' } });
  });

  it('posts again, and says why, when the app may not read the channel history', async () => {
    fault = (method) => (method === 'chat.postMessage' ? 'lost-response' : undefined);
    answer = (call) =>
      call.method === 'conversations.history'
        ? { status: 200, body: { ok: false, error: 'missing_scope', needed: 'channels:history' } }
        : undefined;
    const event = alarmEvent('checkout-5xx', '2026-11-24T11:45:00.000Z');
    await expect(rollbackOnAlarm(event, deps())).rejects.toThrow(/Slack announcement failed/);
    fault = undefined;
    now = new Date('2026-11-24T12:01:01.000Z');
    await rollbackOnAlarm(event, deps());

    expect(sink.callsTo('chat.postMessage')).toHaveLength(2);
    expect(warnings.map((warning) => warning.message)).toContain(
      'Cannot look for an earlier post of this rollback announcement; posting it again, which may show it twice. Give the Slack app channels:history and groups:history to prevent this',
    );
  });
});
