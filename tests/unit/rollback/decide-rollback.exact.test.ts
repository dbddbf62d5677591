import { describe, expect, it } from 'vitest';
import {
  type AlarmIncident,
  type DeploymentSummary,
  decideRollback,
  type ExecutionSummary,
  OWN_REDEPLOY_PREFIX,
  redeployDescription,
} from '../../../functions/rollback/domain/decide-rollback';
import { codeDeploy, now, pipeline } from './decide-rollback-fixtures';

/**
 * Exact decisions and exact reasons at the edges: the boundary times (an alarm at the very start, the last
 * minute of the bake window, a success not yet in the past), which deployments may count as "last good", and
 * what observe mode adds to a reason (and enforce mode must not).
 */
const alarmAt = (stateTime: string): AlarmIncident => ({ alarmName: 'checkout-5xx', stateTime });

const bad: DeploymentSummary = {
  deploymentId: 'd-BAD',
  state: 'SUCCESS',
  startedAt: '2026-11-24T11:30:00.000Z',
  endedAt: '2026-11-24T11:40:00.000Z',
  creator: 'CodePipeline',
};
const good: DeploymentSummary = {
  deploymentId: 'd-GOOD',
  state: 'SUCCESS',
  startedAt: '2026-11-23T10:00:00.000Z',
  endedAt: '2026-11-23T10:10:00.000Z',
  creator: 'CodePipeline',
};
const decideDeployments = (incident: AlarmIncident, ...deployments: DeploymentSummary[]) =>
  decideRollback(incident, codeDeploy, { kind: 'codedeploy', deployments }, now);

const redeployReason = (lastGood: string, extra = '') =>
  `deployment d-BAD${extra} succeeded at 2026-11-24T11:40:00.000Z, within the 30-minute bake window; redeploy the revision of ${lastGood}`;

describe('CodeDeploy: which deployment is "last good"', () => {
  const alarm = alarmAt('2026-11-24T11:50:00.000Z');

  it.each<[string, DeploymentSummary]>([
    ['a failed deployment', { ...good, deploymentId: 'd-FAILED', state: 'FAILURE' }],
    ['a stopped deployment', { ...good, deploymentId: 'd-STOPPED', state: 'STOP' }],
    ['a CodeDeploy rollback', { ...good, deploymentId: 'd-CDRB', creator: 'codeDeployRollback' }],
    ['one that started with the bad one', { ...good, deploymentId: 'd-SAME', startedAt: bad.startedAt }],
  ])('skips %s and redeploys the older success', (_name, skipped) => {
    expect(decideDeployments(alarm, bad, skipped, good)).toEqual({
      action: 'redeploy',
      badDeploymentId: 'd-BAD',
      lastGoodDeploymentId: 'd-GOOD',
      description: redeployDescription('d-BAD', 'checkout-5xx'),
      enforce: true,
      reason: redeployReason('d-GOOD'),
    });
  });

  it('stands down when no earlier success is recorded', () => {
    expect(decideDeployments(alarm, bad, { ...good, state: 'FAILURE' })).toEqual({
      action: 'none',
      enforce: true,
      reason:
        'deployment d-BAD succeeded within the bake window but no earlier successful deployment is recorded to redeploy',
    });
  });

  it('names every newer Auto Scaling deployment it looked past, in one or several', () => {
    const scaleOut = (id: string): DeploymentSummary => ({
      ...bad,
      deploymentId: id,
      startedAt: '2026-11-24T11:44:00.000Z',
      endedAt: '2026-11-24T11:46:00.000Z',
      creator: 'autoscaling',
    });
    expect(decideDeployments(alarm, scaleOut('d-AS1'), bad, good).reason).toBe(
      redeployReason('d-GOOD', ' (newer deployment d-AS1 made by Auto Scaling, not a change)'),
    );
    expect(decideDeployments(alarm, scaleOut('d-AS2'), scaleOut('d-AS1'), bad, good).reason).toBe(
      redeployReason('d-GOOD', ' (newer deployments d-AS2, d-AS1 made by Auto Scaling, not a change)'),
    );
  });
});

describe('CodeDeploy: the latest deployment did not succeed', () => {
  const alarm = alarmAt('2026-11-24T11:50:00.000Z');

  it('stands down for a deployment that failed, even though it has an end time', () => {
    expect(decideDeployments(alarm, { ...bad, state: 'FAILURE' }, good)).toEqual({
      action: 'none',
      enforce: true,
      reason: 'latest deployment d-BAD ended FAILURE, nothing succeeded recently to roll back',
    });
  });

  it('stands down for a success without an end time', () => {
    const { endedAt: _endedAt, ...noEnd } = bad;
    expect(decideDeployments(alarm, noEnd, good).reason).toBe(
      'latest deployment d-BAD ended SUCCESS, nothing succeeded recently to roll back',
    );
  });
});

describe('CodeDeploy: boundary times', () => {
  it('acts on an alarm that entered ALARM at the very moment the deployment started', () => {
    expect(decideDeployments(alarmAt(bad.startedAt), bad, good).action).toBe('redeploy');
    const running: DeploymentSummary = { ...bad, state: 'START', creator: 'user' };
    delete running.endedAt;
    expect(decideDeployments(alarmAt(bad.startedAt), running, good).action).toBe('stop-deployment');
  });

  it('stands down on an alarm one millisecond before the deployment started', () => {
    expect(decideDeployments(alarmAt('2026-11-24T11:29:59.999Z'), bad, good).reason).toBe(
      'alarm was already in ALARM (since 2026-11-24T11:29:59.999Z) before deployment d-BAD started (2026-11-24T11:30:00.000Z)',
    );
    const running: DeploymentSummary = { ...bad, state: 'START', creator: 'user' };
    expect(decideDeployments(alarmAt('2026-11-24T11:29:59.999Z'), running, good)).toEqual({
      action: 'none',
      enforce: true,
      reason:
        'alarm was already in ALARM (since 2026-11-24T11:29:59.999Z) before deployment d-BAD started (2026-11-24T11:30:00.000Z)',
    });
  });

  it('acts on an alarm in the last millisecond of the bake window, and not one after', () => {
    expect(decideDeployments(alarmAt('2026-11-24T12:10:00.000Z'), bad, good).action).toBe('redeploy');
    expect(decideDeployments(alarmAt('2026-11-24T12:10:00.001Z'), bad, good).reason).toBe(
      'latest deployment d-BAD succeeded at 2026-11-24T11:40:00.000Z, outside the 30-minute bake window',
    );
  });

  it('counts a success at this very moment, but not one in the future', () => {
    const atNow: DeploymentSummary = { ...bad, endedAt: now.toISOString() };
    expect(decideDeployments(alarmAt('2026-11-24T11:50:00.000Z'), atNow, good).action).toBe('redeploy');
    const future: DeploymentSummary = { ...bad, endedAt: '2026-11-24T12:00:00.001Z' };
    expect(decideDeployments(alarmAt('2026-11-24T11:50:00.000Z'), future, good).reason).toBe(
      'latest deployment d-BAD succeeded at 2026-11-24T12:00:00.001Z, outside the 30-minute bake window',
    );
  });
});

describe('observe and enforce mode reasons', () => {
  const alarm = alarmAt('2026-11-24T11:50:00.000Z');
  const history = { kind: 'codedeploy' as const, deployments: [bad, good] };

  it('enforce mode states the action without any "would act"', () => {
    const decision = decideRollback(alarm, codeDeploy, history, now);
    expect(decision.reason).toBe(redeployReason('d-GOOD'));
    expect(decision.reason).not.toContain('observe mode');
    expect(decision.reason).not.toContain('would act');
  });

  it('observe mode prefixes exactly "observe mode, would act: " and does not enforce', () => {
    const decision = decideRollback(alarm, { ...codeDeploy, mode: 'observe' }, history, now);
    expect(decision).toMatchObject({ action: 'redeploy', enforce: false });
    expect(decision.reason).toBe(`observe mode, would act: ${redeployReason('d-GOOD')}`);
  });

  it('observe mode leaves a decision to do nothing unprefixed', () => {
    const decision = decideRollback(
      alarm,
      { ...codeDeploy, mode: 'observe' },
      { kind: 'codedeploy', deployments: [{ ...bad, state: 'FAILURE' }] },
      now,
    );
    expect(decision).toEqual({
      action: 'none',
      enforce: false,
      reason: 'latest deployment d-BAD ended FAILURE, nothing succeeded recently to roll back',
    });
  });

  it('without a target, does nothing and enforces nothing', () => {
    expect(decideRollback(alarm, undefined, history, now)).toEqual({
      action: 'none',
      enforce: false,
      reason: 'no target is configured for alarm checkout-5xx',
    });
  });
});

describe('pipeline stage: boundaries and the previous success', () => {
  const badExecution: ExecutionSummary = {
    executionId: 'e-bad',
    executionType: 'STANDARD',
    startedAt: '2026-11-24T11:20:00.000Z',
    stageState: 'SUCCEEDED',
    stageStateAt: '2026-11-24T11:45:00.000Z',
  };
  const goodExecution: ExecutionSummary = {
    executionId: 'e-good',
    executionType: 'STANDARD',
    startedAt: '2026-11-23T09:00:00.000Z',
    stageState: 'SUCCEEDED',
    stageStateAt: '2026-11-23T09:20:00.000Z',
  };
  const decideExecutions = (incident: AlarmIncident, ...executions: ExecutionSummary[]) =>
    decideRollback(incident, pipeline, { kind: 'pipeline', executions }, now);
  const bakeClause =
    'execution e-bad succeeded in this stage at 2026-11-24T11:45:00.000Z, within the 30-minute bake window';

  it('acts on an alarm at the very moment the execution started, and in the last millisecond of the bake', () => {
    expect(decideExecutions(alarmAt(badExecution.startedAt), badExecution, goodExecution)).toEqual({
      action: 'rollback-stage',
      badExecutionId: 'e-bad',
      targetExecutionId: 'e-good',
      enforce: true,
      reason: `${bakeClause}; roll back to e-good`,
    });
    expect(decideExecutions(alarmAt('2026-11-24T12:15:00.000Z'), badExecution, goodExecution).action).toBe(
      'rollback-stage',
    );
  });

  it('stands down one millisecond before the start and one after the bake window', () => {
    expect(decideExecutions(alarmAt('2026-11-24T11:19:59.999Z'), badExecution, goodExecution).reason).toBe(
      'alarm was already in ALARM (since 2026-11-24T11:19:59.999Z) before execution e-bad started (2026-11-24T11:20:00.000Z)',
    );
    expect(decideExecutions(alarmAt('2026-11-24T12:15:00.001Z'), badExecution, goodExecution).reason).toBe(
      'latest execution e-bad succeeded in this stage at 2026-11-24T11:45:00.000Z, outside the 30-minute bake window',
    );
  });

  it('does not count a stage success in the future', () => {
    const future = { ...badExecution, stageStateAt: '2026-11-24T12:00:00.001Z' };
    expect(decideExecutions(alarmAt('2026-11-24T11:50:00.000Z'), future, goodExecution).action).toBe('none');
  });

  it('skips earlier executions that failed in the stage, never reached it, or started with the bad one', () => {
    const alarm = alarmAt('2026-11-24T11:50:00.000Z');
    const failed = {
      ...goodExecution,
      executionId: 'e-failed',
      startedAt: '2026-11-24T10:00:00.000Z',
      stageState: 'FAILED',
      stageStateAt: '2026-11-24T10:10:00.000Z',
    };
    const unreached = {
      executionId: 'e-unreached',
      executionType: 'STANDARD' as const,
      startedAt: '2026-11-24T11:00:00.000Z',
    };
    const sameStart = {
      ...goodExecution,
      executionId: 'e-same',
      startedAt: badExecution.startedAt,
      stageStateAt: '2026-11-24T11:44:00.000Z',
    };
    const noTime = {
      ...goodExecution,
      executionId: 'e-notime',
      startedAt: '2026-11-24T09:00:00.000Z',
      stageStateAt: undefined,
    };
    for (const skipped of [failed, unreached, sameStart, noTime]) {
      expect(decideExecutions(alarm, badExecution, skipped as ExecutionSummary, goodExecution)).toMatchObject(
        {
          action: 'rollback-stage',
          targetExecutionId: 'e-good',
        },
      );
    }
  });

  it('returns to the newest earlier success in the stage, whatever the listing order, and the first on a tie', () => {
    const alarm = alarmAt('2026-11-24T11:50:00.000Z');
    const olderSuccess = {
      ...goodExecution,
      executionId: 'e-old',
      startedAt: '2026-11-24T08:00:00.000Z',
      stageStateAt: '2026-11-24T08:10:00.000Z',
    };
    const newerSuccess = {
      ...goodExecution,
      executionId: 'e-new',
      startedAt: '2026-11-24T07:00:00.000Z',
      stageStateAt: '2026-11-24T09:10:00.000Z',
    };
    expect(decideExecutions(alarm, badExecution, olderSuccess, newerSuccess)).toMatchObject({
      targetExecutionId: 'e-new',
    });
    expect(decideExecutions(alarm, badExecution, newerSuccess, olderSuccess)).toMatchObject({
      targetExecutionId: 'e-new',
    });
    const twin = { ...olderSuccess, executionId: 'e-twin' };
    expect(decideExecutions(alarm, badExecution, olderSuccess, twin)).toMatchObject({
      targetExecutionId: 'e-old',
    });
    expect(decideExecutions(alarm, badExecution, twin, olderSuccess)).toMatchObject({
      targetExecutionId: 'e-twin',
    });
  });

  it('stands down when the latest execution is still running or failed in the stage', () => {
    expect(
      decideExecutions(
        alarmAt('2026-11-24T11:50:00.000Z'),
        { ...badExecution, stageState: 'FAILED' },
        goodExecution,
      ),
    ).toEqual({
      action: 'none',
      enforce: true,
      reason: 'latest execution e-bad is FAILED in this stage, not a recent success',
    });
    const { stageStateAt: _at, ...noTime } = badExecution;
    expect(decideExecutions(alarmAt('2026-11-24T11:50:00.000Z'), noTime, goodExecution).reason).toBe(
      'latest execution e-bad is SUCCEEDED in this stage, not a recent success',
    );
  });

  it('judges the newest execution that reached the stage, not a newer one that never did', () => {
    const notReached = {
      executionId: 'e-new',
      executionType: 'STANDARD' as const,
      startedAt: '2026-11-24T11:49:00.000Z',
    };
    expect(
      decideExecutions(alarmAt('2026-11-24T11:50:00.000Z'), notReached, badExecution, goodExecution),
    ).toMatchObject({
      action: 'rollback-stage',
      badExecutionId: 'e-bad',
    });
  });
});

describe('redeployDescription at the length limit', () => {
  const head = `${OWN_REDEPLOY_PREFIX} of d-BAD (alarm `;
  const room = 100 - head.length - 1;

  it('keeps an alarm name that fits exactly, and clips one character longer with an ellipsis', () => {
    const fits = 'a'.repeat(room);
    expect(redeployDescription('d-BAD', fits)).toBe(`${head}${fits})`);
    expect(redeployDescription('d-BAD', fits)).toHaveLength(100);
    const tooLong = 'a'.repeat(room + 1);
    expect(redeployDescription('d-BAD', tooLong)).toBe(`${head}${'a'.repeat(room - 1)}…)`);
  });
});

describe('history that does not fit the target, and deployments known only by their link', () => {
  const alarm = alarmAt('2026-11-24T11:50:00.000Z');

  it('finds nothing to judge without history, or with history of the other kind of target', () => {
    for (const history of [undefined, { kind: 'pipeline' as const, executions: [] }]) {
      expect(decideRollback(alarm, codeDeploy, history, now)).toEqual({
        action: 'none',
        enforce: true,
        reason: 'no deployment recorded for this deployment group',
      });
    }
    for (const history of [undefined, { kind: 'codedeploy' as const, deployments: [bad] }]) {
      expect(decideRollback(alarm, pipeline, history, now)).toEqual({
        action: 'none',
        enforce: true,
        reason: 'no execution recorded that reached this stage',
      });
    }
  });

  it('takes a CodeDeploy rollback whose state is not known yet as in progress', () => {
    const { state: _state, endedAt: _ended, ...linked } = bad;
    expect(
      decideDeployments(alarm, { ...linked, deploymentId: 'd-RB', creator: 'codeDeployRollback' }, good)
        .reason,
    ).toBe('CodeDeploy rollback deployment d-RB is already in progress');
  });

  it('neither stops nor redeploys over a latest deployment whose state is not known', () => {
    const { state: _state, ...linked } = bad;
    expect(decideDeployments(alarm, linked, good)).toEqual({
      action: 'none',
      enforce: true,
      reason: 'latest deployment d-BAD ended unknown, nothing succeeded recently to roll back',
    });
    expect(decideDeployments(alarm, { ...linked, rollbackDeploymentId: 'd-RB' }, good).reason).toBe(
      'latest deployment d-BAD ended unknown and CodeDeploy already rolled it back (deployment d-RB); standing down',
    );
  });

  it('keeps the description within 100 characters even for a very long deployment id', () => {
    const description = redeployDescription(`d-${'X'.repeat(120)}`, 'checkout-5xx');
    expect(description).toBe(`${OWN_REDEPLOY_PREFIX} of d-${'X'.repeat(120)}`.slice(0, 100));
  });
});
