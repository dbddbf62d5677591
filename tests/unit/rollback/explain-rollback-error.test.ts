import { describe, expect, it } from 'vitest';
import type { RollbackDecision } from '../../../functions/rollback/domain/decide-rollback';
import { explainRollbackError } from '../../../functions/rollback/domain/explain-rollback-error';

const redeploy: RollbackDecision = {
  action: 'redeploy',
  badDeploymentId: 'd-BAD',
  lastGoodDeploymentId: 'd-GOOD',
  description: 'pipeline-control-plane rollback of d-BAD (alarm checkout-5xx)',
  reason: 'deployment d-BAD succeeded within the bake window',
  enforce: true,
};
const refused = (name: string, message = 'refused by CodeDeploy') =>
  Object.assign(new Error(message), { name });

describe('explainRollbackError for a redeploy', () => {
  it.each([
    ['DeploymentLimitExceededException', /already has an active deployment.*Not retried.*revision of d-GOOD/],
    ['RevisionDoesNotExistException', /revision of d-GOOD is no longer available/],
    ['InvalidRevisionException', /revision of d-GOOD is no longer available/],
    ['DeploymentGroupDoesNotExistException', /does not exist in this account and region; fix the target/],
    ['ApplicationDoesNotExistException', /does not exist in this account and region; fix the target/],
    ['DeploymentDoesNotExistException', /deployment d-GOOD no longer exists/],
    ['DescriptionTooLongException', /limit 100 characters/],
    [
      'ThrottlingException',
      /^redeploy throttled by AWS; the call that acts is made once .*not retried further/,
    ],
    ['AccessDeniedException', /^redeploy denied: the rollback-on-alarm role lacks permission/],
  ])('%s says what happened and what to do', (name, expected) => {
    const message = explainRollbackError(refused(name), redeploy);
    expect(message).toMatch(expected);
    expect(message).toContain('(refused by CodeDeploy)');
  });

  it('does not claim the SDK retried a call that acts (those are made once)', () => {
    expect(explainRollbackError(refused('ThrottlingException'), redeploy)).not.toMatch(/client retries/);
  });

  it('names any other error and keeps its message', () => {
    expect(explainRollbackError(refused('InvalidRoleException', 'bad role'), redeploy)).toBe(
      'redeploy failed with InvalidRoleException: bad role',
    );
  });
});

describe('explainRollbackError for a stop or a stage rollback', () => {
  const stop: RollbackDecision = {
    action: 'stop-deployment',
    deploymentId: 'd-BAD',
    reason: 'r',
    enforce: true,
  };
  const stageRollback: RollbackDecision = {
    action: 'rollback-stage',
    badExecutionId: 'e-BAD',
    targetExecutionId: 'e-GOOD',
    reason: 'r',
    enforce: true,
  };

  it.each([
    [
      stop,
      'DeploymentAlreadyCompletedException',
      'StopDeployment refused: the deployment had already completed, and',
    ],
    [
      stop,
      'UnsupportedActionForDeploymentTypeException',
      'StopDeployment refused: this deployment type cannot',
    ],
    [
      stageRollback,
      'UnableToRollbackStageException',
      'RollbackStage refused: the pipeline structure changed',
    ],
    [
      stageRollback,
      'PipelineExecutionOutdatedException',
      'RollbackStage refused: target execution is outdated',
    ],
    [stageRollback, 'ConflictException', 'RollbackStage refused: the pipeline is busy. Not retried'],
    [stageRollback, 'TooManyRequestsException', 'rollback-stage throttled by AWS;'],
    [stop, 'ThrottledException', 'stop-deployment throttled by AWS;'],
  ] as const)('%#: %s', (decision, name, opening) => {
    const message = explainRollbackError(refused(name, 'the service said no'), decision);
    expect(message.startsWith(opening)).toBe(true);
    expect(message.endsWith('(the service said no)')).toBe(true);
  });

  it('names the last good deployment generically when the decision is not a redeploy', () => {
    expect(explainRollbackError(refused('DeploymentDoesNotExistException'), stop)).toContain(
      'deployment the last good deployment no longer exists',
    );
  });

  it('explains a thrown value that is not an Error', () => {
    expect(explainRollbackError(undefined, stop)).toBe('stop-deployment failed with Error: undefined');
    expect(explainRollbackError('socket hang up', stageRollback)).toBe(
      'rollback-stage failed with Error: socket hang up',
    );
  });
});
