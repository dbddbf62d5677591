import { describe, expect, it } from 'vitest';
import { blockedByGate } from '../../../functions/delivery-metrics/domain/gate-block';
import type { StageRecord } from '../../../functions/history/domain/execution-record';

const failedAt = '2026-11-16T10:30:00.000Z';
const failed = { status: 'FAILED' as const, statusAt: failedAt, attempt: 1 };

describe('blockedByGate', () => {
  it('a stage that failed before any action ran was blocked by a gate', () => {
    expect(blockedByGate({ status: failed, firstFailedAt: failedAt, actions: {} })).toBe(true);
  });

  it('a stage whose actions ran and failed was not', () => {
    const stage: StageRecord = { status: failed, firstFailedAt: failedAt, actions: { Deploy: failed } };
    expect(blockedByGate(stage)).toBe(false);
  });

  it('a stage that never failed, or no stage at all, was not', () => {
    expect(blockedByGate({ status: { ...failed, status: 'SUCCEEDED' }, actions: {} })).toBe(false);
    expect(blockedByGate(undefined)).toBe(false);
  });

  it('a failed stage recorded without its actions map counts as none ran', () => {
    const { actions: _, ...withoutActions } = { firstFailedAt: failedAt, actions: {} };
    expect(blockedByGate(withoutActions as StageRecord)).toBe(true);
  });
});
