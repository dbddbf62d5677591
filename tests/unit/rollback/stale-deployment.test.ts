import { describe, expect, it } from 'vitest';
import { classifyActError } from '../../../functions/rollback/domain/act-error';
import { decideRollback } from '../../../functions/rollback/domain/decide-rollback';
import {
  type DeploymentDetails,
  judgeDeploymentToStop,
} from '../../../functions/rollback/domain/deployment-status';
import { STEP_LEASE_SECONDS } from '../../../functions/rollback/domain/incident-progress';
import {
  findOwnRedeploy,
  findOwnStageRollback,
  ownActWindowStart,
} from '../../../functions/rollback/domain/own-earlier-act';
import { parseRollbackConfig } from '../../../functions/rollback/domain/rollback-config';
import { loadTemplate, serverlessFunctions } from '../../../tooling/template';
import { checkoutProdTarget } from '../../support/rollback';

const deployment = (status: string | undefined, rollbackDeploymentId?: string): DeploymentDetails => ({
  deploymentId: 'd-BAD',
  status,
  rollbackDeploymentId,
});

describe('what GetDeployment says about a deployment we set out to stop', () => {
  it.each([
    // [status, rollbackInfo, our stop may have applied, verdict, outcome, message]
    ['InProgress', undefined, true, 'stop', undefined, undefined],
    ['Baking', undefined, false, 'stop', undefined, undefined],
    ['Ready', undefined, true, 'stop', undefined, undefined],
    ['Stopped', 'd-RB', true, 'final', 'succeeded', /confirmed by GetDeployment \(Stopped\).*d-RB/],
    ['Stopped', 'd-RB', false, 'final', 'stood-down', /already stopped .* before StopDeployment.*d-RB/],
    [
      'Failed',
      'd-RB',
      false,
      'final',
      'stood-down',
      /already failed and CodeDeploy rolls it back with deployment d-RB/,
    ],
    ['Failed', undefined, true, 'final', 'stood-down', /failed on its own/],
    [
      'Succeeded',
      undefined,
      false,
      'final',
      'failed',
      /succeeded before it could be stopped.*cooldown was not spent/,
    ],
    [undefined, undefined, true, 'unknown', undefined, undefined],
  ] as const)(
    '%s (rollbackInfo %s, our stop may have applied: %s) → %s %s',
    (status, rollbackId, ours, verdict, outcome, message) => {
      const judgement = judgeDeploymentToStop(deployment(status, rollbackId), ours);
      expect(judgement.verdict).toBe(verdict);
      if (judgement.verdict === 'final') {
        expect(judgement.outcome).toBe(outcome);
        expect(judgement.message).toMatch(message as RegExp);
      }
    },
  );

  it('cannot judge a deployment AWS did not return, nor a status it does not know', () => {
    expect(judgeDeploymentToStop(undefined, true)).toEqual({ verdict: 'unknown' });
    expect(judgeDeploymentToStop({ deploymentId: 'd-BAD', status: 'Paused' }, true)).toEqual({
      verdict: 'unknown',
    });
  });

  it.each(['Created', 'Queued', 'InProgress', 'Baking', 'Ready'])(
    'stops a deployment that is %s',
    (status) => {
      expect(judgeDeploymentToStop({ deploymentId: 'd-BAD', status }, false)).toEqual({ verdict: 'stop' });
    },
  );

  it('says nothing of a CodeDeploy rollback when there is none', () => {
    expect(judgeDeploymentToStop({ deploymentId: 'd-BAD', status: 'Stopped' }, true)).toEqual({
      verdict: 'final',
      outcome: 'succeeded',
      message:
        'StopDeployment d-BAD (autoRollbackEnabled): confirmed by GetDeployment (Stopped) after an attempt whose answer was lost.',
    });
  });
});

describe('deciding from deployments whose state GetDeployment corrected', () => {
  const [target] = parseRollbackConfig(JSON.stringify({ targets: [checkoutProdTarget('enforce')] })).targets;
  const incident = { alarmName: 'checkout-5xx', stateTime: '2026-11-24T11:50:00.000Z' };
  const now = new Date('2026-11-24T12:00:00.000Z');
  const good = {
    deploymentId: 'd-GOOD',
    state: 'SUCCESS',
    startedAt: '2026-11-22T10:00:00.000Z',
    endedAt: '2026-11-22T10:10:00.000Z',
    creator: 'user',
  };
  const decide = (bad: object) =>
    decideRollback(incident, target, { kind: 'codedeploy', deployments: [bad as never, good] }, now);

  it.each([
    [
      'SUCCESS event lost, succeeded a day ago: outside the bake window',
      { state: 'SUCCESS', endedAt: '2026-11-23T11:40:00.000Z' },
      'none',
      /outside the 30-minute bake window/,
    ],
    [
      'SUCCESS event lost, succeeded minutes ago: redeploy, not stop',
      { state: 'SUCCESS', endedAt: '2026-11-24T11:40:00.000Z' },
      'redeploy',
      /within the 30-minute bake window/,
    ],
    [
      "stopped by CodeDeploy's own alarms and rolled back",
      { state: 'STOP', endedAt: '2026-11-24T11:45:00.000Z', rollbackDeploymentId: 'd-RB' },
      'none',
      /CodeDeploy already rolled it back \(deployment d-RB\); standing down/,
    ],
    [
      'failed and rolled back by CodeDeploy',
      { state: 'FAILURE', endedAt: '2026-11-24T11:45:00.000Z', rollbackDeploymentId: 'd-RB' },
      'none',
      /already rolled it back/,
    ],
    ['still running', { state: 'START' }, 'stop-deployment', /is in progress/],
  ])('%s → %s', (_, state, action, reason) => {
    const decision = decide({
      deploymentId: 'd-BAD',
      startedAt: '2026-11-24T11:30:00.000Z',
      creator: 'user',
      ...state,
    });
    expect(decision.action).toBe(action);
    expect(decision.reason).toMatch(reason);
  });
});

describe('how sure a failed call that acts is that it did not act', () => {
  it.each<[object | undefined, string]>([
    [{ name: 'ThrottlingException' }, 'not-applied'],
    [{ name: 'TooManyRequestsException' }, 'not-applied'],
    [{ name: 'WebAPIRateLimitedError', code: 'slack_webapi_rate_limited_error' }, 'not-applied'],
    ...[
      'DeploymentAlreadyCompletedException',
      'UnsupportedActionForDeploymentTypeException',
      'UnableToRollbackStageException',
      'PipelineExecutionOutdatedException',
      'ConflictException',
      'DeploymentLimitExceededException',
      'RevisionDoesNotExistException',
      'InvalidRevisionException',
      'DeploymentGroupDoesNotExistException',
      'ApplicationDoesNotExistException',
      'DeploymentDoesNotExistException',
      'DescriptionTooLongException',
      'AccessDeniedException',
    ].map((name): [object, string] => [{ name }, 'refused']),
    [{ name: 'ThrottledException' }, 'not-applied'],
    [undefined, 'unknown'],
    [{ name: 'SomeNewValidationException', $fault: 'client' }, 'refused'],
    [{ name: 'WebAPIPlatformError', code: 'slack_webapi_platform_error' }, 'refused'],
    [{ name: 'TimeoutError' }, 'unknown'],
    [{ name: 'InternalFailure', $fault: 'server' }, 'unknown'],
    [{ name: 'WebAPIHTTPError', code: 'slack_webapi_http_error' }, 'unknown'],
  ])('%o → %s', (error, kind) => {
    expect(classifyActError(error)).toBe(kind);
  });
});

describe('our own earlier act, found in AWS after its answer was lost', () => {
  it('is the deployment with our description', () => {
    const ours = { deploymentId: 'd-NEW', description: 'pipeline-control-plane rollback of d-BAD (alarm a)' };
    expect(
      findOwnRedeploy([{ deploymentId: 'd-OTHER', description: 'hotfix' }, ours], ours.description),
    ).toBe(ours);
    expect(findOwnRedeploy([{ deploymentId: 'd-OTHER' }], ours.description)).toBeUndefined();
  });

  it('is a ROLLBACK execution to our target, started in the window', () => {
    const rollback = (id: string, target: string, at: string) => ({
      pipelineExecutionId: id,
      executionType: 'ROLLBACK',
      startTime: new Date(at),
      rollbackMetadata: { rollbackTargetPipelineExecutionId: target },
    });
    const listed = [
      rollback('e-old', 'e-good', '2026-11-24T09:00:00.000Z'),
      rollback('e-other', 'e-elsewhere', '2026-11-24T12:00:30.000Z'),
      rollback('e-ours', 'e-good', '2026-11-24T12:00:30.000Z'),
    ];
    expect(findOwnStageRollback(listed, 'e-good', '2026-11-24T11:55:00.000Z')?.pipelineExecutionId).toBe(
      'e-ours',
    );
    expect(findOwnStageRollback(listed.slice(0, 2), 'e-good', '2026-11-24T11:55:00.000Z')).toBeUndefined();
  });

  it('starts its window five minutes before our first claim, and includes an execution started at that instant', () => {
    const windowStart = ownActWindowStart('2026-11-24T12:00:00.000Z');
    expect(windowStart).toBe('2026-11-24T11:55:00.000Z');
    const atTheEdge = {
      pipelineExecutionId: 'e-edge',
      executionType: 'ROLLBACK',
      startTime: new Date(windowStart),
      rollbackMetadata: { rollbackTargetPipelineExecutionId: 'e-good' },
    };
    expect(findOwnStageRollback([atTheEdge], 'e-good', windowStart)).toBe(atTheEdge);
  });

  it('is never a standard execution, nor a rollback that names no target', () => {
    const standard = {
      pipelineExecutionId: 'e-standard',
      executionType: 'STANDARD',
      startTime: new Date('2026-11-24T12:00:30.000Z'),
      rollbackMetadata: { rollbackTargetPipelineExecutionId: 'e-good' },
    };
    const rollbackWithoutMetadata = {
      pipelineExecutionId: 'e-bare',
      executionType: 'ROLLBACK',
      startTime: new Date('2026-11-24T12:00:30.000Z'),
    };
    expect(
      findOwnStageRollback([standard, rollbackWithoutMetadata], 'e-good', '2026-11-24T11:55:00.000Z'),
    ).toBeUndefined();
  });
});

it("outlives the function's timeout: a claim's holder is dead once its lease has passed", () => {
  const template = loadTemplate() as { Globals?: { Function?: { Timeout?: number } } };
  const rollback = serverlessFunctions(template as never).find(
    (fn) => fn.logicalId === 'RollbackOnAlarmFunction',
  );
  const timeout = (rollback?.properties.Timeout as number | undefined) ?? template.Globals?.Function?.Timeout;
  expect(timeout).toBeDefined();
  expect(timeout as number).toBeLessThan(STEP_LEASE_SECONDS);
});
