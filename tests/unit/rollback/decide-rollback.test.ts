import { describe, expect, it } from 'vitest';
import {
  type AlarmIncident,
  decideRollback,
  type HistorySnapshot,
  OWN_REDEPLOY_PREFIX,
  type RollbackDecision,
  redeployDescription,
} from '../../../functions/rollback/domain/decide-rollback';
import type { RollbackTarget } from '../../../functions/rollback/domain/rollback-config';
import { codeDeploy, now, pipeline } from './decide-rollback-fixtures';

const incident: AlarmIncident = { alarmName: 'checkout-5xx', stateTime: '2026-11-24T11:50:00.000Z' };

const good = {
  deploymentId: 'd-GOOD',
  state: 'SUCCESS',
  startedAt: '2026-11-23T10:00:00.000Z',
  endedAt: '2026-11-23T10:10:00.000Z',
  creator: 'CodePipeline',
};
/** A deployment that succeeded 10 minutes before the alarm: within the 30-minute bake window. */
const badSuccess = {
  deploymentId: 'd-BAD',
  state: 'SUCCESS',
  startedAt: '2026-11-24T11:30:00.000Z',
  endedAt: '2026-11-24T11:40:00.000Z',
};
/** An Auto Scaling scale-out after d-BAD: it deploys d-BAD's revision to a new instance. */
const scaleOut = {
  deploymentId: 'd-AS',
  state: 'SUCCESS',
  startedAt: '2026-11-24T11:44:00.000Z',
  endedAt: '2026-11-24T11:46:00.000Z',
  creator: 'autoscaling',
};
const ownRedeployDescription = 'pipeline-control-plane rollback of d-BAD (alarm checkout-5xx)';
const deployments = (...list: object[]): HistorySnapshot =>
  ({ kind: 'codedeploy', deployments: list }) as HistorySnapshot;
const executions = (...list: object[]): HistorySnapshot =>
  ({ kind: 'pipeline', executions: list }) as HistorySnapshot;
const goodExecution = {
  executionId: 'e-good',
  executionType: 'STANDARD',
  startedAt: '2026-11-23T09:00:00.000Z',
  stageState: 'SUCCEEDED',
  stageStateAt: '2026-11-23T09:20:00.000Z',
};

/** A stage success 5 minutes before the alarm: within the 30-minute bake window. */
const badExecution = {
  ...goodExecution,
  executionId: 'e-bad',
  startedAt: '2026-11-24T11:20:00.000Z',
  stageStateAt: '2026-11-24T11:45:00.000Z',
};
/** An earlier bad change (e-undone) and the ROLLBACK execution that undid it. */
const undoneExecution = {
  ...goodExecution,
  executionId: 'e-undone',
  startedAt: '2026-11-24T10:00:00.000Z',
  stageStateAt: '2026-11-24T10:10:00.000Z',
};
const rollbackExecution = {
  ...goodExecution,
  executionId: 'e-rb',
  executionType: 'ROLLBACK',
  startedAt: '2026-11-24T10:20:00.000Z',
  stageStateAt: '2026-11-24T10:25:00.000Z',
};

interface Row {
  name: string;
  target: RollbackTarget | undefined;
  history?: HistorySnapshot;
  incident?: AlarmIncident;
  expected: Partial<RollbackDecision>;
  reason: RegExp;
}

const rows: Row[] = [
  {
    name: 'stops an in-progress deployment and lets CodeDeploy roll it back',
    target: codeDeploy,
    history: deployments(
      { deploymentId: 'd-BAD', state: 'START', startedAt: '2026-11-24T11:40:00.000Z', creator: 'user' },
      good,
    ),
    expected: { action: 'stop-deployment', deploymentId: 'd-BAD', enforce: true },
    reason: /in progress/,
  },
  {
    name: 'stops a blue/green deployment waiting in READY',
    target: codeDeploy,
    history: deployments({
      deploymentId: 'd-BAD',
      state: 'READY',
      startedAt: '2026-11-24T11:40:00.000Z',
      creator: 'user',
    }),
    expected: { action: 'stop-deployment', deploymentId: 'd-BAD' },
    reason: /READY/,
  },
  {
    name: 'redeploys the last good revision after a success within the bake window',
    target: codeDeploy,
    history: deployments(badSuccess, good),
    expected: {
      action: 'redeploy',
      badDeploymentId: 'd-BAD',
      lastGoodDeploymentId: 'd-GOOD',
      description: ownRedeployDescription,
      enforce: true,
    },
    reason: /bake window; redeploy the revision of d-GOOD/,
  },
  {
    name: 'judges the change, not an Auto Scaling deployment after it, and redeploys the revision from before it',
    target: codeDeploy,
    history: deployments(scaleOut, { ...badSuccess, creator: 'CodePipeline' }, good),
    expected: { action: 'redeploy', badDeploymentId: 'd-BAD', lastGoodDeploymentId: 'd-GOOD' },
    reason:
      /d-BAD \(newer deployment d-AS made by Auto Scaling, not a change\) .*redeploy the revision of d-GOOD/,
  },
  {
    name: 'skips termination-hook deployments too, and judges the change by its own bake window',
    target: codeDeploy,
    history: deployments(
      {
        ...scaleOut,
        deploymentId: 'd-AS2',
        startedAt: '2026-11-24T11:48:00.000Z',
        endedAt: '2026-11-24T11:49:00.000Z',
        creator: 'autoscalingTermination',
      },
      { ...scaleOut, deploymentId: 'd-AS1' },
      { ...good, deploymentId: 'd-OLD', creator: 'user' },
      good,
    ),
    expected: { action: 'none' },
    reason: /latest deployment d-OLD succeeded .*outside the 30-minute bake window/,
  },
  {
    name: 'does not stop an Auto Scaling deployment in progress; redeploys over the change before it',
    target: codeDeploy,
    history: deployments(
      { deploymentId: 'd-AS', state: 'START', startedAt: '2026-11-24T11:44:00.000Z', creator: 'autoscaling' },
      { ...badSuccess, creator: 'user' },
      good,
    ),
    expected: { action: 'redeploy', badDeploymentId: 'd-BAD', lastGoodDeploymentId: 'd-GOOD' },
    reason: /redeploy the revision of d-GOOD/,
  },
  {
    name: 'stands down when the change before an Auto Scaling deployment is our own redeploy',
    target: codeDeploy,
    history: deployments(
      scaleOut,
      { ...badSuccess, deploymentId: 'd-OURS', creator: 'user', description: ownRedeployDescription },
      good,
    ),
    expected: { action: 'none' },
    reason: /d-OURS is our own rollback redeploy/,
  },
  {
    name: 'does nothing when only Auto Scaling deployments are recorded',
    target: codeDeploy,
    history: deployments(scaleOut),
    expected: { action: 'none' },
    reason: /only Auto Scaling deployments/,
  },
  {
    name: 'stands down when the latest deployment is our own redeploy, so redeploys cannot loop',
    target: codeDeploy,
    history: deployments(
      { ...badSuccess, deploymentId: 'd-OURS', creator: 'user', description: ownRedeployDescription },
      good,
    ),
    expected: { action: 'none' },
    reason: /d-OURS is our own rollback redeploy .*cannot loop/,
  },
  {
    name: 'does not stop our own redeploy while it runs (CodeDeploy would roll back to the bad revision)',
    target: codeDeploy,
    history: deployments(
      {
        deploymentId: 'd-OURS',
        state: 'START',
        startedAt: '2026-11-24T11:40:00.000Z',
        creator: 'user',
        description: ownRedeployDescription,
      },
      good,
    ),
    expected: { action: 'none' },
    reason: /d-OURS is our own rollback redeploy .*still in progress/,
  },
  {
    name: 'does not redeploy over a deployment GetDeployment told nothing about',
    target: codeDeploy,
    history: deployments({ ...badSuccess, creator: 'unknown' }, good),
    expected: { action: 'none' },
    reason: /GetDeployment returned nothing/,
  },
  {
    name: 'in observe mode decides the redeploy, with the description it would use, without enforcing it',
    target: { ...codeDeploy, mode: 'observe' },
    history: deployments(badSuccess, good),
    expected: { action: 'redeploy', lastGoodDeploymentId: 'd-GOOD', enforce: false },
    reason: /^observe mode, would act: .*redeploy the revision of d-GOOD/,
  },
  {
    name: 'does nothing when the deployment succeeded before the bake window',
    target: codeDeploy,
    history: deployments({ ...good, deploymentId: 'd-OLD' }, good),
    expected: { action: 'none' },
    reason: /outside the 30-minute bake window/,
  },
  {
    name: 'does nothing when the alarm was in ALARM before the deployment started',
    target: codeDeploy,
    history: deployments({
      deploymentId: 'd-FIX',
      state: 'START',
      startedAt: '2026-11-24T11:55:00.000Z',
      creator: 'user',
    }),
    expected: { action: 'none' },
    reason: /already in ALARM/,
  },
  {
    name: 'does nothing when the alarm predates a deployment that then succeeded',
    target: codeDeploy,
    history: deployments(
      {
        deploymentId: 'd-FIX',
        state: 'SUCCESS',
        startedAt: '2026-11-24T11:51:00.000Z',
        endedAt: '2026-11-24T11:55:00.000Z',
      },
      good,
    ),
    expected: { action: 'none' },
    reason: /already in ALARM/,
  },
  {
    name: 'does nothing when no deployment is recorded',
    target: codeDeploy,
    history: deployments(),
    expected: { action: 'none' },
    reason: /no deployment recorded/,
  },
  {
    name: 'does nothing for an alarm that guards no target',
    target: undefined,
    expected: { action: 'none', enforce: false },
    reason: /no target is configured/,
  },
  {
    name: 'stands down while a CodeDeploy rollback deployment is in progress',
    target: codeDeploy,
    history: deployments(
      {
        deploymentId: 'd-RB',
        state: 'START',
        startedAt: '2026-11-24T11:51:00.000Z',
        creator: 'codeDeployRollback',
      },
      { deploymentId: 'd-BAD', state: 'STOP', startedAt: '2026-11-24T11:40:00.000Z' },
    ),
    expected: { action: 'none' },
    reason: /rollback deployment d-RB is already in progress/,
  },
  {
    name: 'stands down when the latest deployment is a finished CodeDeploy rollback',
    target: codeDeploy,
    history: deployments({
      deploymentId: 'd-RB',
      state: 'SUCCESS',
      startedAt: '2026-11-24T11:45:00.000Z',
      endedAt: '2026-11-24T11:48:00.000Z',
      creator: 'codeDeployRollback',
    }),
    expected: { action: 'none' },
    reason: /already a CodeDeploy rollback/,
  },
  {
    name: 'does not stop a deployment whose creator could not be read',
    target: codeDeploy,
    history: deployments({
      deploymentId: 'd-BAD',
      state: 'START',
      startedAt: '2026-11-24T11:40:00.000Z',
      creator: 'unknown',
    }),
    expected: { action: 'none' },
    reason: /GetDeployment returned no creator/,
  },
  {
    name: 'in observe mode decides the same action without enforcing it',
    target: { ...codeDeploy, mode: 'observe' },
    history: deployments({
      deploymentId: 'd-BAD',
      state: 'START',
      startedAt: '2026-11-24T11:40:00.000Z',
      creator: 'user',
    }),
    expected: { action: 'stop-deployment', enforce: false },
    reason: /^observe mode, would act/,
  },
  {
    name: 'rolls a stage back to the last successful standard execution before the bad one',
    target: pipeline,
    history: executions(
      badExecution,
      { ...goodExecution, executionId: 'e-failed', stageState: 'FAILED' },
      goodExecution,
      {
        ...goodExecution,
        executionId: 'e-rollback',
        executionType: 'ROLLBACK',
        startedAt: '2026-11-22T09:00:00.000Z',
        stageStateAt: '2026-11-22T09:20:00.000Z',
        rollbackTargetExecutionId: 'e-older',
      },
    ),
    expected: { action: 'rollback-stage', badExecutionId: 'e-bad', targetExecutionId: 'e-good' },
    reason: /roll back to e-good/,
  },
  {
    name: 'after an earlier stage rollback, returns to what that rollback restored, not to the change it undid',
    target: pipeline,
    history: executions(
      badExecution,
      { ...rollbackExecution, rollbackTargetExecutionId: 'e-good' },
      undoneExecution,
      goodExecution,
    ),
    expected: { action: 'rollback-stage', badExecutionId: 'e-bad', targetExecutionId: 'e-good' },
    reason: /roll back to e-good, .*restored by ROLLBACK execution e-rb/,
  },
  {
    name: 'does not guess when the earlier stage rollback does not say what it restored',
    target: pipeline,
    history: executions(badExecution, rollbackExecution, undoneExecution, goodExecution),
    expected: { action: 'none' },
    reason: /ROLLBACK execution e-rb, which has not recorded what it restored/,
  },
  {
    name: 'returns to the newest earlier standard success when it came after an older stage rollback',
    target: pipeline,
    history: executions(
      badExecution,
      {
        ...goodExecution,
        executionId: 'e-fixed',
        startedAt: '2026-11-24T09:00:00.000Z',
        stageStateAt: '2026-11-24T09:20:00.000Z',
      },
      {
        ...goodExecution,
        executionId: 'e-rb',
        executionType: 'ROLLBACK',
        startedAt: '2026-11-23T12:00:00.000Z',
        stageStateAt: '2026-11-23T12:05:00.000Z',
        rollbackTargetExecutionId: 'e-good',
      },
      goodExecution,
    ),
    expected: { action: 'rollback-stage', badExecutionId: 'e-bad', targetExecutionId: 'e-fixed' },
    reason: /roll back to e-fixed/,
  },
  {
    name: 'does not roll back a stage that is still running',
    target: pipeline,
    history: executions(
      {
        executionId: 'e-new',
        executionType: 'STANDARD',
        startedAt: '2026-11-24T11:40:00.000Z',
        stageState: 'STARTED',
      },
      goodExecution,
    ),
    expected: { action: 'none' },
    reason: /STARTED in this stage/,
  },
  {
    name: 'stands down when the stage is already being rolled back by a ROLLBACK execution',
    target: pipeline,
    history: executions(
      {
        executionId: 'e-rb',
        executionType: 'ROLLBACK',
        startedAt: '2026-11-24T11:51:00.000Z',
        stageState: 'STARTED',
      },
      goodExecution,
    ),
    expected: { action: 'none' },
    reason: /already a ROLLBACK execution/,
  },
  {
    name: 'does nothing when the alarm was in ALARM before the execution started',
    target: pipeline,
    history: executions(
      {
        executionId: 'e-fix',
        executionType: 'STANDARD',
        startedAt: '2026-11-24T11:52:00.000Z',
        stageState: 'SUCCEEDED',
        stageStateAt: '2026-11-24T11:58:00.000Z',
      },
      goodExecution,
    ),
    expected: { action: 'none' },
    reason: /already in ALARM/,
  },
  {
    name: 'does nothing when the stage last succeeded long before the alarm',
    target: pipeline,
    history: executions({ ...goodExecution, executionId: 'e-old' }, goodExecution),
    expected: { action: 'none' },
    reason: /outside the 30-minute bake window/,
  },
  {
    name: 'does nothing when no earlier successful execution exists to roll back to',
    target: pipeline,
    history: executions({
      executionId: 'e-first',
      executionType: 'STANDARD',
      startedAt: '2026-11-24T11:20:00.000Z',
      stageState: 'SUCCEEDED',
      stageStateAt: '2026-11-24T11:45:00.000Z',
    }),
    expected: { action: 'none' },
    reason: /no earlier successful execution/,
  },
  {
    name: 'does nothing when no execution reached the stage',
    target: pipeline,
    history: executions({
      executionId: 'e-src',
      executionType: 'STANDARD',
      startedAt: '2026-11-24T11:20:00.000Z',
    }),
    expected: { action: 'none' },
    reason: /no execution recorded/,
  },
];

describe('redeployDescription', () => {
  it("fits a long alarm name into CodeDeploy's 100-character description and keeps the guard's prefix", () => {
    const description = redeployDescription('d-ABCDEFGHI', `checkout-${'x'.repeat(240)}`);
    expect(description).toHaveLength(100);
    expect(description.startsWith(OWN_REDEPLOY_PREFIX)).toBe(true);
    expect(description).toMatch(/^pipeline-control-plane rollback of d-ABCDEFGHI \(alarm checkout-x+…\)$/);
  });
});

describe('decideRollback', () => {
  it.each(rows)('$name', ({ target, history, incident: rowIncident, expected, reason }) => {
    const decision = decideRollback(rowIncident ?? incident, target, history, now);
    expect(decision).toMatchObject(expected);
    expect(decision.reason).toMatch(reason);
  });
});
