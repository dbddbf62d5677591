import { describe, expect, it } from 'vitest';
import { type ExecutionObservation, mergeAll } from '../../../functions/history/domain/merge-execution';
import { defined } from '../../support/defined';

const base = { pipeline: 'shop', executionId: 'e1' };
const stage = (
  status: 'STARTED' | 'FAILED' | 'RESUMED' | 'SUCCEEDED',
  at: string,
  attempt: number,
): ExecutionObservation => ({
  ...base,
  kind: 'stage',
  at,
  stage: 'Production',
  status: { status, statusAt: at, attempt },
});

const orders = <T>(items: T[]): T[][] => [
  items,
  [...items].reverse(),
  [defined(items[1]), ...items.filter((_, i) => i !== 1)],
];

describe('the first failure of a stage', () => {
  it('keeps the first production failure after a retry succeeds, in any delivery order', () => {
    const events = [
      stage('STARTED', '2026-11-16T12:00:00.000Z', 1),
      stage('FAILED', '2026-11-16T12:20:00.000Z', 1),
      stage('RESUMED', '2026-11-16T12:40:00.000Z', 2),
      stage('SUCCEEDED', '2026-11-16T12:50:00.000Z', 2),
    ];
    for (const order of orders(events)) {
      const production = mergeAll(order)?.stages.Production;
      expect(production?.status?.status).toBe('SUCCEEDED');
      expect(production?.firstFailedAt).toBe('2026-11-16T12:20:00.000Z');
    }
  });
});
