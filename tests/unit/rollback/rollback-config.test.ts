import { describe, expect, it } from 'vitest';
import {
  matchesGlob,
  parseRollbackConfig,
  RollbackConfigError,
  targetsForAlarm,
} from '../../../functions/rollback/domain/rollback-config';

const target = (fields: object) =>
  JSON.stringify({
    targets: [
      { kind: 'codedeploy', application: 'checkout', deploymentGroup: 'prod', alarms: ['a'], ...fields },
    ],
  });

const refusal = (json: string) => {
  try {
    parseRollbackConfig(json);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('parseRollbackConfig', () => {
  it.each(['enforce', 'observe'])('takes mode %s', (mode) => {
    expect(parseRollbackConfig(target({ mode })).targets[0]?.mode).toBe(mode);
  });

  it('refuses a mode it does not know, naming the field', () => {
    const error = refusal(target({ mode: 'act' }));
    expect(error).toBeInstanceOf(RollbackConfigError);
    expect((error as Error).name).toBe('RollbackConfigError');
    expect((error as Error).message).toMatch(/^ROLLBACK_CONFIG is invalid: .*mode/);
  });

  it('refuses a document that is not JSON, saying so', () => {
    const error = refusal('{targets: [');
    expect(error).toBeInstanceOf(RollbackConfigError);
    expect((error as Error).message).toMatch(/^ROLLBACK_CONFIG is not valid JSON: /);
  });

  it.each([
    ['account', '1234x'],
    ['account', 'x1234'],
    ['region', 'eu-west-1_'],
    ['region', '_eu-west-1'],
  ])('refuses %s %j (a character that cannot be there, at either end)', (field, value) => {
    expect(refusal(target({ [field]: value }))).toBeInstanceOf(RollbackConfigError);
  });
});

describe('targetsForAlarm and matchesGlob', () => {
  it('a target guards an alarm that matches any one of its patterns', () => {
    const config = parseRollbackConfig(target({ alarms: ['checkout-5xx', 'checkout-latency'] }));
    expect(targetsForAlarm(config, 'checkout-latency')).toHaveLength(1);
  });

  it.each([
    ['checkout.5xx', 'checkout.5xx', true],
    ['checkout.5xx', 'checkoutX5xx', false],
    ['checkout-?xx', 'checkout-5xx', true],
    ['checkout-?xx', 'checkout-xx', false],
    ['checkout-*', 'checkout-', true],
    ['(checkout)', '(checkout)', true],
  ])('%s against %s → %s', (pattern, name, matches) => {
    expect(matchesGlob(pattern, name)).toBe(matches);
  });
});
