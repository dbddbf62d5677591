import { describe, expect, it } from 'vitest';
import {
  parseRollbackConfig,
  targetId,
  targetsForAlarm,
} from '../../../functions/rollback/domain/rollback-config';

const config = parseRollbackConfig(
  JSON.stringify({
    targets: [
      { kind: 'codedeploy', application: 'checkout', deploymentGroup: 'prod', alarms: ['checkout-*'] },
      {
        kind: 'codedeploy',
        application: 'checkout',
        deploymentGroup: 'prod',
        alarms: ['checkout-*'],
        account: '2222*',
        region: 'eu-*',
      },
    ],
  }),
);

describe('rollback targets by account and region', () => {
  it('guard only alarms of the account and region they name; a target naming neither guards any', () => {
    const ids = (account: string, region: string) =>
      targetsForAlarm(config, 'checkout-5xx', { account, region }).map(targetId);
    expect(ids('222222222222', 'eu-west-1')).toEqual([
      'codedeploy:checkout/prod',
      'codedeploy:checkout/prod@2222*/eu-*',
    ]);
    expect(ids('222222222222', 'us-east-1')).toEqual(['codedeploy:checkout/prod']);
    expect(ids('111111111111', 'eu-west-1')).toEqual(['codedeploy:checkout/prod']);
  });

  it('refuse an account or region that cannot be one', () => {
    const target = { kind: 'pipeline', pipeline: 'p', stage: 's', alarms: ['a'] };
    expect(() =>
      parseRollbackConfig(JSON.stringify({ targets: [{ ...target, account: 'prod-account' }] })),
    ).toThrow(/targets\.0\.account/);
    expect(() =>
      parseRollbackConfig(JSON.stringify({ targets: [{ ...target, region: 'EU_WEST' }] })),
    ).toThrow(/targets\.0\.region/);
  });
});
