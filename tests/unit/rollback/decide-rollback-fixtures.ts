import type { RollbackTarget } from '../../../functions/rollback/domain/rollback-config';

/** What the decide-rollback tables share: the decision's clock and one enforced target of each kind. */
export const now = new Date('2026-11-24T12:00:00.000Z');

export const codeDeploy: RollbackTarget = {
  kind: 'codedeploy',
  application: 'checkout',
  deploymentGroup: 'prod',
  alarms: ['checkout-*'],
  bakeMinutes: 30,
  cooldownMinutes: 60,
  mode: 'enforce',
};
export const pipeline: RollbackTarget = {
  kind: 'pipeline',
  pipeline: 'checkout',
  stage: 'Prod',
  alarms: ['checkout-*'],
  bakeMinutes: 30,
  cooldownMinutes: 60,
  mode: 'enforce',
};
