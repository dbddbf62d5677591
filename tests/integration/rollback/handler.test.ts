import { readFileSync } from 'node:fs';
import { CodeDeployClient, GetDeploymentCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRollbackStore } from '../../../functions/rollback/adapters/rollback-store';
import { createTestTable } from '../../support/dynamo';
import { captureEmf } from '../../support/emf';
import { testPlatform } from '../../support/platform';
import { seedDeployment } from '../../support/rollback';
import { startSlackSink } from '../../support/slack-sink';

const codeDeploy = mockClient(CodeDeployClient);
const sns = mockClient(SNSClient);
const readEvent = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../../events/${path}`, import.meta.url), 'utf8'));
const context = {
  functionName: 'rollback-on-alarm',
  awsRequestId: 'test',
  getRemainingTimeInMillis: () => 30_000,
} as Context;

describe('rollback-on-alarm handler', () => {
  let invoke: (event: unknown) => Promise<unknown>;
  let table: Awaited<ReturnType<typeof createTestTable>>;
  let slack: Awaited<ReturnType<typeof startSlackSink>>;

  beforeAll(async () => {
    table = await createTestTable();
    slack = await startSlackSink();
    // The deployment started before the sample alarm (11:45) and is still running.
    await seedDeployment(table.store, 'd-BAD', 'START', '2026-11-24T11:40:00.000Z');
    codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { creator: 'user' } });
    codeDeploy.on(StopDeploymentCommand).resolves({ status: 'Pending' });
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    Object.assign(process.env, {
      TABLE_NAME: table.tableName,
      AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      ROLLBACK_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:deployments',
      ROLLBACK_SLACK_CHANNEL: 'C0ROLLBACKS',
      SLACK_API_URL: slack.url,
      // EMF on stdout, as CloudWatch receives it (metrics are disabled in most other tests).
      POWERTOOLS_METRICS_DISABLED: 'false',
      ROLLBACK_CONFIG: JSON.stringify({
        targets: [
          {
            kind: 'codedeploy',
            application: 'checkout',
            deploymentGroup: 'prod',
            alarms: ['checkout-*'],
            mode: 'enforce',
          },
        ],
      }),
    });
    const { createHandler } = await import('../../../functions/rollback/rollback-on-alarm/handler');
    const handler = createHandler(testPlatform());
    invoke = (event) => handler(event, context);
  });
  afterAll(() => slack.close());

  it('stops the deployment once for the sample alarm delivered twice, records and announces it (SNS and Slack)', async () => {
    const alarm = readEvent('rollback-on-alarm/alarm.json');
    let first: unknown;
    let second: unknown;
    const emf = await captureEmf(async () => {
      first = await invoke(alarm);
      second = await invoke(alarm);
    });
    // Once per decision without a target, and once with it.
    expect(emf.filter((document) => 'Rollback_succeeded' in document)).toEqual([
      expect.objectContaining({ Target: 'codedeploy:checkout/prod', Rollback_succeeded: 1 }),
      expect.not.objectContaining({ Target: expect.anything() }),
    ]);
    expect(first).toMatchObject({
      status: 'decided',
      targets: [{ outcome: 'succeeded', action: 'stop-deployment' }],
    });
    expect(second).toMatchObject({ status: 'decided', targets: [{ outcome: 'duplicate' }] });
    expect(codeDeploy.commandCalls(StopDeploymentCommand)).toHaveLength(1);
    // Reads go through a client with the SDK's retries; the call that acts through one that makes one attempt.
    const maxAttempts = (call: { thisValue: CodeDeployClient } | undefined) =>
      call?.thisValue.config.maxAttempts();
    expect(await maxAttempts(codeDeploy.commandCalls(GetDeploymentCommand)[0])).toBe(5);
    expect(await maxAttempts(codeDeploy.commandCalls(StopDeploymentCommand)[0])).toBe(1);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage').map((call) => call.args.channel)).toEqual(['C0ROLLBACKS']);
    expect(slack.callsTo('chat.postMessage')[0]?.args.text).toBe(
      `${sns.commandCalls(PublishCommand)[0]?.args[0].input.Subject}\n${sns.commandCalls(PublishCommand)[0]?.args[0].input.Message}`,
    );
    const rollbacks = createRollbackStore({
      client: table.client,
      tableName: table.tableName,
      retentionDays: 400,
    });
    const [record] = await rollbacks.listIncidents('codedeploy:checkout/prod');
    expect(record).toMatchObject({
      alarmName: 'checkout-5xx',
      alarmStateTime: '2026-11-24T11:45:00.989Z',
      outcome: 'succeeded',
      deploymentId: 'd-BAD',
      duplicates: 1,
    });
  });

  it('rejects a malformed event with the bad field named, without throwing', async () => {
    const alarm = readEvent('rollback-on-alarm/alarm.json');
    delete alarm.detail.alarmName;
    expect(await invoke(alarm)).toEqual({
      status: 'rejected',
      reason: expect.stringContaining('detail.alarmName'),
    });
  });
});
