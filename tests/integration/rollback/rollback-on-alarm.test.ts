import {
  CodeDeployClient,
  CreateDeploymentCommand,
  DeploymentAlreadyCompletedException,
  DeploymentLimitExceededException,
  GetDeploymentCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import {
  CodePipelineClient,
  ListPipelineExecutionsCommand,
  RollbackStageCommand,
} from '@aws-sdk/client-codepipeline';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HistoryStore } from '../../../functions/history/adapters/history-store';
import { mergeExecution } from '../../../functions/history/domain/merge-execution';
import { createRollbackStore, type RollbackStore } from '../../../functions/rollback/adapters/rollback-store';
import { parseRollbackConfig } from '../../../functions/rollback/domain/rollback-config';
import type { AlarmStateChangeEvent } from '../../../functions/rollback/rollback-on-alarm/alarm-event';
import {
  type RollbackDependencies,
  rollbackOnAlarm,
} from '../../../functions/rollback/rollback-on-alarm/rollback-on-alarm';
import { createTestTable } from '../../support/dynamo';
import {
  alarmEvent,
  awsGateways,
  checkoutProdTarget,
  listedAfterEarlierRollback,
  recordingChannel,
  seedDeployment,
} from '../../support/rollback';

const codeDeploy = mockClient(CodeDeployClient);
const codePipeline = mockClient(CodePipelineClient);

const config = (mode: 'enforce' | 'observe') =>
  parseRollbackConfig(
    JSON.stringify({
      targets: [
        checkoutProdTarget(mode),
        { kind: 'pipeline', pipeline: 'payments', stage: 'Prod', alarms: ['payments-latency'], mode },
      ],
    }),
  );

async function seedStageSuccess(history: HistoryStore, executionId: string, start: string, end: string) {
  for (const [state, at] of [
    ['STARTED', start],
    ['SUCCEEDED', end],
  ] as const) {
    await history.mergeExecution('payments', executionId, (current) =>
      mergeExecution(current, {
        kind: 'stage',
        pipeline: 'payments',
        executionId,
        stage: 'Prod',
        at,
        startTime: start,
        status: { status: state, statusAt: at, attempt: 1 },
      }),
    );
  }
}

describe('rollback-on-alarm against dynalite', () => {
  let history: HistoryStore;
  let rollbacks: RollbackStore;
  let clock: Date;
  let announcements: string[];

  beforeEach(async () => {
    codeDeploy.reset();
    codePipeline.reset();
    codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { creator: 'user' } });
    codeDeploy.on(StopDeploymentCommand).resolves({ status: 'Pending' });
    codePipeline.on(RollbackStageCommand).resolves({ pipelineExecutionId: 'e-rollback' });
    const table = await createTestTable();
    history = table.store;
    rollbacks = createRollbackStore({ client: table.client, tableName: table.tableName, retentionDays: 400 });
    clock = new Date('2026-11-24T12:00:00.000Z');
    announcements = [];
  });

  const deps = (mode: 'enforce' | 'observe'): RollbackDependencies => ({
    config: config(mode),
    rollbacks,
    history,
    ...awsGateways(),
    announcements: [recordingChannel('SNS', announcements)],
    warn: () => {},
    now: () => clock,
  });

  it('makes at most one StopDeployment call for 100 duplicated and flapping alarm events on one target', async () => {
    await seedDeployment(history, 'd-BAD', 'START', '2026-11-24T11:40:00.000Z');
    const events: AlarmStateChangeEvent[] = [];
    for (let i = 0; i < 100; i++) {
      // Three alarms on the same target, flapping (a new ALARM state time every few events), each duplicated.
      const alarm = ['checkout-5xx', 'checkout-latency', 'checkout-errors'][i % 3] as string;
      const stateTime = new Date(
        Date.parse('2026-11-24T11:45:00.000Z') + Math.floor(i / 6) * 60_000,
      ).toISOString();
      events.push(alarmEvent(alarm, stateTime));
    }
    const dependencies = deps('enforce');
    const outcomes = (await Promise.all(events.map((event) => rollbackOnAlarm(event, dependencies)))).flat();

    expect(codeDeploy.commandCalls(StopDeploymentCommand)).toHaveLength(1);
    expect(codeDeploy.commandCalls(StopDeploymentCommand)[0]?.args[0].input).toEqual({
      deploymentId: 'd-BAD',
      autoRollbackEnabled: true,
    });
    expect(outcomes.filter((o) => o.outcome === 'succeeded')).toHaveLength(1);
    expect(announcements).toHaveLength(1);
    const recorded = await rollbacks.listIncidents('codedeploy:checkout/prod');
    expect(recorded.filter((r) => r.outcome === 'succeeded')).toHaveLength(1);
    expect(recorded.every((r) => ['succeeded', 'suppressed'].includes(r.outcome))).toBe(true);
    expect(recorded.find((r) => r.outcome === 'succeeded')?.deploymentId).toBe('d-BAD');
    // A suppressed incident names the alarm that acted, never the store's internal key.
    const suppressed = recorded.filter((r) => r.outcome === 'suppressed').map((r) => r.outcomeMessage);
    expect(suppressed.length).toBeGreaterThan(0);
    for (const message of suppressed) {
      expect(message).toMatch(/^cooldown: alarm checkout-\w+ in ALARM at 2026-11-24T\S+ already acted on/);
      expect(message).not.toContain('INCIDENT#');
    }
  });

  it('acts again for a new incident once the cooldown has passed', async () => {
    await seedDeployment(history, 'd-BAD', 'START', '2026-11-24T11:40:00.000Z');
    await rollbackOnAlarm(alarmEvent('checkout-5xx', '2026-11-24T11:45:00.000Z'), deps('enforce'));
    clock = new Date('2026-11-24T13:01:00.000Z');
    await seedDeployment(history, 'd-NEXT', 'START', '2026-11-24T12:50:00.000Z');
    await rollbackOnAlarm(alarmEvent('checkout-5xx', '2026-11-24T12:55:00.000Z'), deps('enforce'));
    expect(codeDeploy.commandCalls(StopDeploymentCommand).map((c) => c.args[0].input.deploymentId)).toEqual([
      'd-BAD',
      'd-NEXT',
    ]);
  });

  it('in observe mode records and announces the decision but calls nothing', async () => {
    await seedDeployment(history, 'd-BAD', 'START', '2026-11-24T11:40:00.000Z');
    const [outcome] = await rollbackOnAlarm(
      alarmEvent('checkout-5xx', '2026-11-24T11:45:00.000Z'),
      deps('observe'),
    );
    expect(outcome).toMatchObject({ action: 'stop-deployment', outcome: 'observed' });
    expect(codeDeploy.commandCalls(StopDeploymentCommand)).toHaveLength(0);
    expect(announcements).toEqual([expect.stringContaining('observe mode')]);
    const [record] = await rollbacks.listIncidents('codedeploy:checkout/prod');
    expect(record).toMatchObject({ outcome: 'observed', enforce: false, deploymentId: 'd-BAD' });
  });

  it('stands down when CodeDeploy already stopped and rolled the deployment back, and gives the cooldown back', async () => {
    codeDeploy
      .on(GetDeploymentCommand, { deploymentId: 'd-BAD' })
      .resolvesOnce({ deploymentInfo: { deploymentId: 'd-BAD', creator: 'user', status: 'InProgress' } })
      .resolves({
        deploymentInfo: {
          deploymentId: 'd-BAD',
          creator: 'user',
          status: 'Stopped',
          rollbackInfo: { rollbackDeploymentId: 'd-CDROLLBACK' },
        },
      });
    codeDeploy.on(StopDeploymentCommand).rejects(
      new DeploymentAlreadyCompletedException({
        message: 'Deployment is already completed',
        $metadata: {},
      }),
    );
    await seedDeployment(history, 'd-BAD', 'START', '2026-11-24T11:40:00.000Z');
    const [outcome] = await rollbackOnAlarm(
      alarmEvent('checkout-5xx', '2026-11-24T11:45:00.000Z'),
      deps('enforce'),
    );
    expect(outcome).toMatchObject({ action: 'stop-deployment', outcome: 'stood-down' });
    expect(outcome?.message).toMatch(/already stopped .* rolls it back with deployment d-CDROLLBACK/);
    expect(announcements).toEqual([expect.stringContaining('Rollback stood-down: stop-deployment')]);
    // The cooldown was not spent: another incident on the target is decided, not suppressed.
    const [next] = await rollbackOnAlarm(
      alarmEvent('checkout-latency', '2026-11-24T11:47:00.000Z'),
      deps('enforce'),
    );
    expect(next?.outcome).not.toBe('suppressed');
  });

  it.each([
    ['a day ago: outside the bake window, nothing to do', '2026-11-23T11:50:00.000Z', 'skipped', 0],
    ['minutes ago: within the bake window, redeploy', '2026-11-24T11:44:00.000Z', 'succeeded', 1],
  ])(
    'believes GetDeployment over a lost SUCCESS event (succeeded %s)',
    async (_, completed, outcome, creates) => {
      codeDeploy.on(GetDeploymentCommand, { deploymentId: 'd-BAD' }).resolves({
        deploymentInfo: { creator: 'user', status: 'Succeeded', completeTime: new Date(completed) },
      });
      codeDeploy.on(GetDeploymentCommand, { deploymentId: 'd-GOOD' }).resolves({
        deploymentInfo: { creator: 'user', revision: { revisionType: 'S3' } },
      });
      codeDeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-REDEPLOY' });
      await seedDeployment(history, 'd-GOOD', 'SUCCESS', '2026-11-22T10:00:00.000Z');
      await seedDeployment(
        history,
        'd-BAD',
        'START',
        completed.replace(':50:', ':40:').replace(':44:', ':30:'),
      );
      const [decided] = await rollbackOnAlarm(
        alarmEvent('checkout-5xx', '2026-11-24T11:50:00.000Z'),
        deps('enforce'),
      );
      expect(decided?.outcome).toBe(outcome);
      expect(codeDeploy.commandCalls(StopDeploymentCommand)).toHaveLength(0);
      expect(codeDeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(creates);
    },
  );

  it('leaves the incident undecided when GetDeployment fails, so a retry can still act', async () => {
    await seedDeployment(history, 'd-BAD', 'START', '2026-11-24T11:40:00.000Z');
    const event = alarmEvent('checkout-5xx', '2026-11-24T11:45:00.000Z');
    codeDeploy
      .on(GetDeploymentCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ deploymentInfo: { creator: 'user' } });
    await expect(rollbackOnAlarm(event, deps('enforce'))).rejects.toThrow(
      /GetDeployment d-BAD failed \(ThrottlingException\)/,
    );
    expect(await rollbacks.listIncidents('codedeploy:checkout/prod')).toEqual([]);
    const [retry] = await rollbackOnAlarm(event, deps('enforce'));
    expect(retry).toMatchObject({ action: 'stop-deployment', outcome: 'succeeded' });
  });

  it('stands down while CodeDeploy is already rolling back', async () => {
    codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { creator: 'codeDeployRollback' } });
    await seedDeployment(history, 'd-RB', 'START', '2026-11-24T11:46:00.000Z');
    const [outcome] = await rollbackOnAlarm(
      alarmEvent('checkout-5xx', '2026-11-24T11:45:00.000Z'),
      deps('enforce'),
    );
    expect(outcome).toMatchObject({ action: 'none', outcome: 'skipped' });
    expect(codeDeploy.commandCalls(StopDeploymentCommand)).toHaveLength(0);
  });

  it('prefers the target CodePipeline lists as succeeded in the stage over the recorded one', async () => {
    codePipeline.on(ListPipelineExecutionsCommand).resolves({
      pipelineExecutionSummaries: [
        { pipelineExecutionId: 'e-bad', executionType: 'STANDARD' },
        { pipelineExecutionId: 'e-unrecorded', executionType: 'STANDARD' },
        { pipelineExecutionId: 'e-good', executionType: 'STANDARD' },
      ],
    });
    await seedStageSuccess(history, 'e-good', '2026-11-23T09:00:00.000Z', '2026-11-23T09:20:00.000Z');
    await seedStageSuccess(history, 'e-bad', '2026-11-24T11:20:00.000Z', '2026-11-24T11:40:00.000Z');
    await rollbackOnAlarm(alarmEvent('payments-latency', '2026-11-24T11:50:00.000Z'), deps('enforce'));
    expect(codePipeline.commandCalls(ListPipelineExecutionsCommand)[0]?.args[0].input.filter).toEqual({
      succeededInStage: { stageName: 'Prod' },
    });
    expect(codePipeline.commandCalls(RollbackStageCommand)[0]?.args[0].input.targetPipelineExecutionId).toBe(
      'e-unrecorded',
    );
  });

  it('rolls a pipeline stage back to the previous successful execution', async () => {
    await seedStageSuccess(history, 'e-good', '2026-11-23T09:00:00.000Z', '2026-11-23T09:20:00.000Z');
    await seedStageSuccess(history, 'e-bad', '2026-11-24T11:20:00.000Z', '2026-11-24T11:40:00.000Z');
    const [outcome] = await rollbackOnAlarm(
      alarmEvent('payments-latency', '2026-11-24T11:50:00.000Z'),
      deps('enforce'),
    );
    expect(outcome).toMatchObject({ action: 'rollback-stage', outcome: 'succeeded' });
    expect(codePipeline.commandCalls(RollbackStageCommand)[0]?.args[0].input).toEqual({
      pipelineName: 'payments',
      stageName: 'Prod',
      targetPipelineExecutionId: 'e-good',
    });
  });

  describe('after an earlier stage rollback (e-undone was bad; RollbackStage e-rb restored e-good)', () => {
    beforeEach(async () => {
      await seedStageSuccess(history, 'e-good', '2026-11-24T08:00:00.000Z', '2026-11-24T08:10:00.000Z');
      await seedStageSuccess(history, 'e-undone', '2026-11-24T10:00:00.000Z', '2026-11-24T10:10:00.000Z');
      await seedStageSuccess(history, 'e-rb', '2026-11-24T10:20:00.000Z', '2026-11-24T10:25:00.000Z');
      // What record-execution learns from GetPipelineExecution for the rollback execution.
      await history.mergeExecution('payments', 'e-rb', (current) =>
        mergeExecution(current, {
          kind: 'details',
          pipeline: 'payments',
          executionId: 'e-rb',
          at: '2026-11-24T10:20:00.000Z',
          executionType: 'ROLLBACK',
          rollbackTargetExecutionId: 'e-good',
        }),
      );
      await seedStageSuccess(history, 'e-bad', '2026-11-24T11:20:00.000Z', '2026-11-24T11:40:00.000Z');
    });

    it('rolls back to what the earlier rollback restored, from the recorded history', async () => {
      const [outcome] = await rollbackOnAlarm(
        alarmEvent('payments-latency', '2026-11-24T11:50:00.000Z'),
        deps('enforce'),
      );
      expect(outcome).toMatchObject({ action: 'rollback-stage', outcome: 'succeeded' });
      expect(
        codePipeline.commandCalls(RollbackStageCommand)[0]?.args[0].input.targetPipelineExecutionId,
      ).toBe('e-good');
    });

    it('and confirmed by ListPipelineExecutions, from the rollback metadata it lists', async () => {
      codePipeline
        .on(ListPipelineExecutionsCommand)
        .resolves({ pipelineExecutionSummaries: listedAfterEarlierRollback() });
      await rollbackOnAlarm(alarmEvent('payments-latency', '2026-11-24T11:50:00.000Z'), deps('enforce'));
      expect(
        codePipeline.commandCalls(RollbackStageCommand)[0]?.args[0].input.targetPipelineExecutionId,
      ).toBe('e-good');
    });
  });

  describe('redeploy of the last good revision after a success within the bake window', () => {
    const goodRevision = {
      revisionType: 'S3' as const,
      s3Location: { bucket: 'artifacts', key: 'checkout/good.zip', bundleType: 'zip' as const, eTag: 'e1' },
    };
    beforeEach(async () => {
      codeDeploy.on(GetDeploymentCommand, { deploymentId: 'd-GOOD' }).resolves({
        deploymentInfo: {
          deploymentId: 'd-GOOD',
          applicationName: 'checkout',
          deploymentGroupName: 'prod',
          creator: 'user',
          revision: goodRevision,
        },
      });
      codeDeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-REDEPLOY' });
      await seedDeployment(history, 'd-GOOD', 'SUCCESS', '2026-11-23T10:00:00.000Z');
      await seedDeployment(history, 'd-BAD', 'START', '2026-11-24T11:30:00.000Z');
      await seedDeployment(history, 'd-BAD', 'SUCCESS', '2026-11-24T11:40:00.000Z');
    });

    it('creates one deployment of the last good revision, recorded with its new deployment id', async () => {
      const [outcome] = await rollbackOnAlarm(
        alarmEvent('checkout-5xx', '2026-11-24T11:50:00.000Z'),
        deps('enforce'),
      );
      expect(outcome).toMatchObject({ action: 'redeploy', outcome: 'succeeded' });
      expect(codeDeploy.commandCalls(CreateDeploymentCommand).map((call) => call.args[0].input)).toEqual([
        {
          applicationName: 'checkout',
          deploymentGroupName: 'prod',
          revision: goodRevision,
          description: 'pipeline-control-plane rollback of d-BAD (alarm checkout-5xx)',
        },
      ]);
      const [record] = await rollbacks.listIncidents('codedeploy:checkout/prod');
      expect(record).toMatchObject({
        action: 'redeploy',
        outcome: 'succeeded',
        deploymentId: 'd-BAD',
        rollbackTo: 'd-GOOD',
        result: { deploymentId: 'd-REDEPLOY', revisionOf: 'd-GOOD' },
      });
      expect(announcements).toEqual([expect.stringContaining('Rollback succeeded: redeploy')]);
    });

    it('redeploys over the change, not over an Auto Scaling deployment that followed it', async () => {
      codeDeploy
        .on(GetDeploymentCommand, { deploymentId: 'd-AS' })
        .resolves({ deploymentInfo: { creator: 'autoscaling' } });
      await seedDeployment(history, 'd-AS', 'START', '2026-11-24T11:44:00.000Z');
      await seedDeployment(history, 'd-AS', 'SUCCESS', '2026-11-24T11:46:00.000Z');
      const [outcome] = await rollbackOnAlarm(
        alarmEvent('checkout-5xx', '2026-11-24T11:50:00.000Z'),
        deps('enforce'),
      );
      expect(outcome).toMatchObject({ action: 'redeploy', outcome: 'succeeded' });
      expect(codeDeploy.commandCalls(CreateDeploymentCommand).map((call) => call.args[0].input)).toEqual([
        expect.objectContaining({
          revision: goodRevision,
          description: 'pipeline-control-plane rollback of d-BAD (alarm checkout-5xx)',
        }),
      ]);
      const [record] = await rollbacks.listIncidents('codedeploy:checkout/prod');
      expect(record).toMatchObject({ deploymentId: 'd-BAD', rollbackTo: 'd-GOOD' });
    });

    it('reads at most 5 creators walking past Auto Scaling deployments, then does not act', async () => {
      codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { creator: 'autoscaling' } });
      for (let minute = 41; minute <= 46; minute++) {
        await seedDeployment(history, `d-AS${minute}`, 'SUCCESS', `2026-11-24T11:${minute}:00.000Z`);
      }
      const [outcome] = await rollbackOnAlarm(
        alarmEvent('checkout-5xx', '2026-11-24T11:50:00.000Z'),
        deps('enforce'),
      );
      expect(codeDeploy.commandCalls(GetDeploymentCommand)).toHaveLength(5);
      expect(outcome).toMatchObject({ action: 'none', outcome: 'skipped' });
      expect(outcome?.message).toMatch(/could not confirm deployment d-AS41/);
      expect(codeDeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    });

    it.each([
      ['is its own redeploy', false],
      // The walk past Auto Scaling deployments reads the redeploy's description too.
      ['is its own redeploy behind an Auto Scaling deployment', true],
    ])('stands down when the latest change %s, even with no cooldown held', async (_, afterScaleOut) => {
      codeDeploy.on(GetDeploymentCommand, { deploymentId: 'd-REDEPLOY' }).resolves({
        deploymentInfo: {
          creator: 'user',
          description: 'pipeline-control-plane rollback of d-BAD (alarm checkout-5xx)',
        },
      });
      codeDeploy
        .on(GetDeploymentCommand, { deploymentId: 'd-AS' })
        .resolves({ deploymentInfo: { creator: 'autoscaling' } });
      await seedDeployment(history, 'd-REDEPLOY', 'START', '2026-11-24T11:51:00.000Z');
      await seedDeployment(history, 'd-REDEPLOY', 'SUCCESS', '2026-11-24T11:58:00.000Z');
      if (afterScaleOut) await seedDeployment(history, 'd-AS', 'SUCCESS', '2026-11-24T11:59:00.000Z');
      // Within the redeploy's bake window and no cooldown item: only the loop guard stops a second redeploy.
      clock = new Date('2026-11-24T12:10:00.000Z');
      const [outcome] = await rollbackOnAlarm(
        alarmEvent('checkout-latency', '2026-11-24T12:05:00.000Z'),
        deps('enforce'),
      );
      expect(outcome).toMatchObject({ action: 'none', outcome: 'skipped' });
      expect(outcome?.message).toMatch(/d-REDEPLOY is our own rollback redeploy/);
      expect(codeDeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    });

    it('in observe mode records and announces the redeploy it would do, and calls nothing', async () => {
      const [outcome] = await rollbackOnAlarm(
        alarmEvent('checkout-5xx', '2026-11-24T11:50:00.000Z'),
        deps('observe'),
      );
      expect(outcome).toMatchObject({ action: 'redeploy', outcome: 'observed' });
      expect(outcome?.message).toMatch(
        /Would call GetDeployment d-GOOD for its revision, then CreateDeployment with it \(description "pipeline-control-plane rollback of d-BAD \(alarm checkout-5xx\)"\)/,
      );
      expect(codeDeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
      expect(codeDeploy.commandCalls(GetDeploymentCommand, { deploymentId: 'd-GOOD' })).toHaveLength(0);
      expect(announcements).toEqual([expect.stringContaining('redeploy (observe mode)')]);
    });

    it('records a refused CreateDeployment with a clear message, once, without retrying', async () => {
      codeDeploy.on(CreateDeploymentCommand).rejects(
        new DeploymentLimitExceededException({
          message: 'The Deployment Group prod already has an active Deployment',
          $metadata: {},
        }),
      );
      const event = alarmEvent('checkout-5xx', '2026-11-24T11:50:00.000Z');
      const [outcome] = await rollbackOnAlarm(event, deps('enforce'));
      const [again] = await rollbackOnAlarm(event, deps('enforce'));
      expect(outcome).toMatchObject({ action: 'redeploy', outcome: 'failed' });
      expect(outcome?.message).toMatch(/already has an active deployment .* Not retried/);
      expect(again).toMatchObject({ outcome: 'duplicate' });
      expect(codeDeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(1);
      const [record] = await rollbacks.listIncidents('codedeploy:checkout/prod');
      expect(record).toMatchObject({ outcome: 'failed', outcomeMessage: outcome?.message });
    });

    it('reads the last good revision before claiming: a throttled GetDeployment is retried, and redeploys', async () => {
      codeDeploy
        .on(GetDeploymentCommand, { deploymentId: 'd-GOOD' })
        .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
        .resolves({
          deploymentInfo: {
            applicationName: 'checkout',
            deploymentGroupName: 'prod',
            creator: 'user',
            revision: goodRevision,
          },
        });
      const event = alarmEvent('checkout-5xx', '2026-11-24T11:50:00.000Z');
      await expect(rollbackOnAlarm(event, deps('enforce'))).rejects.toThrow(
        /GetDeployment d-GOOD \(the last good deployment\) failed \(ThrottlingException\)/,
      );
      // Neither the incident nor the cooldown is taken, so Lambda's retry of the event still acts.
      expect(await rollbacks.listIncidents('codedeploy:checkout/prod')).toEqual([]);
      expect(codeDeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
      const [retry] = await rollbackOnAlarm(event, deps('enforce'));
      expect(retry).toMatchObject({ action: 'redeploy', outcome: 'succeeded' });
      expect(
        codeDeploy.commandCalls(CreateDeploymentCommand).map((call) => call.args[0].input.revision),
      ).toEqual([goodRevision]);
    });

    it('records a last good deployment that no longer exists as a failed redeploy, with what to do', async () => {
      codeDeploy.on(GetDeploymentCommand, { deploymentId: 'd-GOOD' }).rejects(
        Object.assign(new Error('Deployment d-GOOD does not exist'), {
          name: 'DeploymentDoesNotExistException',
        }),
      );
      const [outcome] = await rollbackOnAlarm(
        alarmEvent('checkout-5xx', '2026-11-24T11:50:00.000Z'),
        deps('enforce'),
      );
      expect(outcome).toMatchObject({ action: 'redeploy', outcome: 'failed' });
      expect(outcome?.message).toMatch(/deployment d-GOOD no longer exists/);
      expect(codeDeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    });

    it('does not redeploy when GetDeployment returns no revision for the last good deployment', async () => {
      codeDeploy.on(GetDeploymentCommand, { deploymentId: 'd-GOOD' }).resolves({
        deploymentInfo: { creator: 'user' },
      });
      const [outcome] = await rollbackOnAlarm(
        alarmEvent('checkout-5xx', '2026-11-24T11:50:00.000Z'),
        deps('enforce'),
      );
      expect(outcome).toMatchObject({ outcome: 'failed' });
      expect(outcome?.message).toMatch(/returned no revision to redeploy/);
      expect(codeDeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    });
  });

  it('records a skipped decision for an alarm that guards nothing, writing no rollback', async () => {
    const outcomes = await rollbackOnAlarm(
      alarmEvent('unrelated-alarm', '2026-11-24T11:45:00.000Z'),
      deps('enforce'),
    );
    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'unguarded', action: 'none' })]);
    expect(codeDeploy.calls()).toHaveLength(0);
  });
});
