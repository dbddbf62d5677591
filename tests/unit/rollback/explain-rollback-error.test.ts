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
