import { readdirSync, readFileSync } from 'node:fs';
import { CodeDeployClient, GetDeploymentCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordEvent } from '../../../functions/history/record-execution/record-event';
import { parseRecorderEvent } from '../../../functions/history/record-execution/recorder-event-schema';
import { createRollbackStore } from '../../../functions/rollback/adapters/rollback-store';
import { parseRollbackConfig } from '../../../functions/rollback/domain/rollback-config';
import { parseAlarmEvent } from '../../../functions/rollback/rollback-on-alarm/alarm-event';
import { rollbackOnAlarm } from '../../../functions/rollback/rollback-on-alarm/rollback-on-alarm';
import { type EventPattern, matchesPattern } from '../../../tooling/event-pattern';
import { eventBridgeRules } from '../../../tooling/template';
import { createTestTable } from '../../support/dynamo';
import { awsGateways } from '../../support/rollback';

const codeDeploy = mockClient(CodeDeployClient);
const readEvent = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../../events/${path}`, import.meta.url), 'utf8'));

const rulesMatching = (event: unknown) =>
  eventBridgeRules()
    .filter((rule) => matchesPattern(rule.pattern as EventPattern, event))
    .map((rule) => rule.functionLogicalId);

describe('rollback-on-alarm sample events', () => {
  it.each(['alarm.json', 'composite-alarm.json'])(
    '%s reaches only RollbackOnAlarmFunction and parses',
    (file) => {
      const event = readEvent(`rollback-on-alarm/${file}`);
      expect(rulesMatching(event)).toEqual(['RollbackOnAlarmFunction']);
      expect(parseAlarmEvent(event).detail.state.value).toBe('ALARM');
    },
  );

  it('an alarm returning to OK matches no rule', () => {
    expect(rulesMatching(readEvent('unmatched/cloudwatch-alarm-ok.json'))).toEqual([]);
  });
});

const PLATFORMS = [
  { name: 'ec2-in-place', app: 'checkout', group: 'prod-in-place', states: ['start'] },
  { name: 'ec2-blue-green', app: 'checkout', group: 'prod-blue-green', states: ['start', 'ready'] },
  { name: 'ecs', app: 'checkout-ecs', group: 'prod', states: ['start'] },
  { name: 'lambda', app: 'checkout-fn', group: 'prod', states: ['start'] },
];

describe('every CodeDeploy compute platform, from recorded sample events', () => {
  beforeEach(() => {
    codeDeploy.reset();
    codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { creator: 'user' } });
    codeDeploy.on(StopDeploymentCommand).resolves({ status: 'Pending' });
  });

  it.each(PLATFORMS)(
    '$name: an alarm during the deployment stops it with auto-rollback',
    async (platform) => {
      const { store, client, tableName } = await createTestTable();
      const files = readdirSync(new URL('../../../events/record-execution/', import.meta.url)).filter((f) =>
        f.startsWith(`deployment-${platform.name}-`),
      );
      const inFlight = files.filter((f) => platform.states.some((s) => f.endsWith(`-${s}.json`)));
      expect(inFlight).toHaveLength(platform.states.length);
      const deps = {
        store,
        fetchExecutionDetails: async () => ({}) as never,
        warn: () => {},
      };
      for (const file of inFlight) {
        const event = readEvent(`record-execution/${file}`);
        expect(rulesMatching(event)).toEqual(['RecordExecutionFunction']);
        await recordEvent(parseRecorderEvent(event), deps);
      }
      const alarm = readEvent('rollback-on-alarm/alarm.json');
      const config = parseRollbackConfig(
        JSON.stringify({
          targets: [
            {
              kind: 'codedeploy',
              application: platform.app,
              deploymentGroup: platform.group,
              alarms: ['checkout-*'],
              mode: 'enforce',
            },
          ],
        }),
      );
      const [outcome] = await rollbackOnAlarm(parseAlarmEvent(alarm), {
        config,
        rollbacks: createRollbackStore({ client, tableName, retentionDays: 400 }),
        history: store,
        ...awsGateways(),
        announcements: [],
        warn: () => {},
        now: () => new Date('2026-11-24T11:46:00Z'),
      });
      expect(outcome).toMatchObject({ action: 'stop-deployment', outcome: 'succeeded' });
      expect(codeDeploy.commandCalls(StopDeploymentCommand)).toHaveLength(1);
    },
  );
});
