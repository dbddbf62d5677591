import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTION_RANKS, type ActionRecord } from '../../../functions/history/domain/execution-record';
import { registerFromOrderKey, registerOrderKey } from '../../../functions/history/domain/status-register';

const actionRegister = fc.record(
  {
    status: fc.constantFrom(...(Object.keys(ACTION_RANKS) as (keyof typeof ACTION_RANKS)[])),
    statusAt: fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((date) => date.toISOString().replace('.000Z', 'Z')),
    attempt: fc.integer({ min: 1, max: 40 }),
    summary: fc.string({ unit: 'binary' }),
    externalExecutionId: fc.string(),
  },
  { requiredKeys: ['status', 'statusAt', 'attempt'] },
) as fc.Arbitrary<ActionRecord>;

/** UTF-8 byte order: how DynamoDB compares two strings in a ConditionExpression. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

describe('register order key (what DynamoDB compares in the condition)', () => {
  it('orders two registers in UTF-8 bytes exactly as JavaScript orders them, and restores the register', () => {
    fc.assert(
      fc.property(actionRegister, actionRegister, (a, b) => {
        const [keyA, keyB] = [registerOrderKey(a, ACTION_RANKS), registerOrderKey(b, ACTION_RANKS)];
        expect(Math.sign(compareBytes(keyA, keyB))).toBe(Math.sign(keyA < keyB ? -1 : keyA > keyB ? 1 : 0));
        expect(registerFromOrderKey(keyA)).toEqual(a);
      }),
      { numRuns: 500 },
    );
  });

  it('puts a later attempt after any time, and a later time after any rank', () => {
    const at = (statusAt: string, attempt: number, status: 'STARTED' | 'SUCCEEDED') =>
      registerOrderKey({ status, statusAt, attempt }, ACTION_RANKS);
    expect(at('2026-11-20T10:00:00Z', 2, 'STARTED') > at('2026-11-20T11:00:00Z', 1, 'SUCCEEDED')).toBe(true);
    expect(at('2026-11-20T10:00:01Z', 1, 'STARTED') > at('2026-11-20T10:00:00Z', 1, 'SUCCEEDED')).toBe(true);
  });
});
