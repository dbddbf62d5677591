import { describe, expect, it } from 'vitest';
import { executionFactOf, recordOfFact } from '../../../functions/delivery-metrics/domain/execution-fact';
import type { ExecutionRecord, StageRecord } from '../../../functions/history/domain/execution-record';

/** Exact facts: which fields are set, and left out (a DynamoDB item has no undefined attributes). */
const at = (hhmm: string) => `2026-11-16T${hhmm}:00.000Z`;
const ms = (hhmm: string) => Date.parse(at(hhmm));
const stage = (
  status: 'SUCCEEDED' | 'FAILED',
  hhmm: string,
  extra: Partial<StageRecord> = {},
): StageRecord => ({
  status: { status, statusAt: at(hhmm), attempt: 1 },
  actions: {},
  ...extra,
});
const record: ExecutionRecord = {
  pipeline: 'shop',
  executionId: 'e-1',
  startTime: at('09:00'),
  firstEventAt: at('09:00'),
  stages: { Source: stage('SUCCEEDED', '09:01'), Production: stage('SUCCEEDED', '09:30') },
  lastEventAt: at('09:31'),
};

describe('executionFactOf, exactly', () => {
  it('an execution with no status, commit, mode or configured stage sets none of those fields', () => {
    expect(executionFactOf(record)).toStrictEqual({
      s: ms('09:00'),
      g: { Production: [ms('09:30'), 0] },
      v: ms('09:31'),
    });
    expect(executionFactOf(record, { executionMode: 'QUEUED' })).toStrictEqual(executionFactOf(record));
  });

  it('sets the configured stage, PARALLEL mode, the success time and the change time', () => {
    const succeeded: ExecutionRecord = {
      ...record,
      status: { status: 'SUCCEEDED', statusAt: at('09:31'), attempt: 1 },
      endTime: at('09:31'),
      trigger: { authorDate: at('08:00') },
    };
    expect(
      executionFactOf(succeeded, { productionStage: 'Production', executionMode: 'PARALLEL' }),
    ).toStrictEqual({
      s: ms('09:00'),
      g: { Production: [ms('09:30'), 0] },
      v: ms('09:31'),
      p: 'Production',
      m: 1,
      ok: ms('09:31'),
      c: ms('08:00'),
    });
  });

  it('an execution that failed has no success time', () => {
    const failed: ExecutionRecord = {
      ...record,
      status: { status: 'FAILED', statusAt: at('09:31'), attempt: 1 },
      endTime: at('09:31'),
    };
    expect(executionFactOf(failed)).not.toHaveProperty('ok');
  });
});

describe('the stages a fact keeps without a known production stage', () => {
  it('every failed stage in record order, then the stage that succeeded last (the key order is stored)', () => {
    const ran = (status: 'SUCCEEDED' | 'FAILED', hhmm: string) => ({
      firstFailedAt: at(hhmm),
      actions: { Deploy: { status, statusAt: at(hhmm), attempt: 1 } },
    });
    const stages = {
      Production: stage('SUCCEEDED', '09:30', ran('SUCCEEDED', '09:20')),
      Build: stage('SUCCEEDED', '09:10'),
      Verify: stage('FAILED', '09:40', ran('FAILED', '09:40')),
      Smoke: stage('SUCCEEDED', '09:35'),
    };
    const fact = executionFactOf({ ...record, stages });
    expect(Object.entries(fact.g)).toEqual([
      ['Production', [ms('09:30'), ms('09:20')]],
      ['Verify', [0, ms('09:40')]],
      ['Smoke', [ms('09:35'), 0]],
    ]);
  });

  it('no stage when none succeeded or failed', () => {
    expect(executionFactOf({ ...record, stages: { Source: { actions: {} } } }).g).toStrictEqual({});
  });
});

describe('the configured production stage in a fact', () => {
  const running: StageRecord = { actions: {} };
  it('is left out while it has neither succeeded nor failed', () => {
    const fact = executionFactOf(
      { ...record, stages: { Production: running } },
      { productionStage: 'Production' },
    );
    expect(fact.g).toStrictEqual({});
  });

  it('is kept by a rollback as soon as it runs, before it has a status', () => {
    const rollback: ExecutionRecord = {
      ...record,
      executionType: 'ROLLBACK',
      stages: { Production: running },
    };
    expect(executionFactOf(rollback, { productionStage: 'Production' }).g).toStrictEqual({
      Production: [0, 0],
    });
    expect(executionFactOf(rollback).g).toStrictEqual({ Production: [0, 0] });
  });
});

describe('recordOfFact, exactly', () => {
  it('rebuilds a success, a failure whose action ran and a gate block, and nothing for a stage with neither', () => {
    const rebuilt = recordOfFact('shop', 'e-1', {
      s: ms('09:00'),
      g: {
        Production: [ms('09:30'), 0],
        Verify: [0, ms('09:40')],
        Gate: [0, 0, ms('09:50')],
        Running: [0, 0],
      },
      v: ms('09:51'),
    });
    expect(rebuilt).toStrictEqual({
      pipeline: 'shop',
      executionId: 'e-1',
      startTime: at('09:00'),
      firstEventAt: at('09:00'),
      lastEventAt: at('09:51'),
      stages: rebuilt.stages,
    });
    expect(rebuilt.stages).toStrictEqual({
      Production: { status: { status: 'SUCCEEDED', statusAt: at('09:30'), attempt: 1 }, actions: {} },
      Verify: {
        firstFailedAt: at('09:40'),
        actions: { action: { status: 'FAILED', statusAt: at('09:40'), attempt: 1 } },
      },
      Gate: { firstFailedAt: at('09:50'), actions: {} },
      Running: { actions: {} },
    });
  });

  it('rebuilds every optional field the timeline reads', () => {
    const rebuilt = recordOfFact('shop', 'e-1', {
      s: ms('09:00'),
      r: 1,
      ok: ms('09:31'),
      c: ms('08:00'),
      g: {},
      p: 'Production',
      m: 1,
      d: ['d-1'],
      v: ms('09:31'),
    });
    expect(rebuilt).toStrictEqual({
      pipeline: 'shop',
      executionId: 'e-1',
      startTime: at('09:00'),
      firstEventAt: at('09:00'),
      lastEventAt: at('09:31'),
      status: { status: 'SUCCEEDED', statusAt: at('09:31'), attempt: 1 },
      endTime: at('09:31'),
      executionType: 'ROLLBACK',
      trigger: { authorDate: at('08:00') },
      deploymentIds: ['d-1'],
      productionStage: 'Production',
      executionMode: 'PARALLEL',
      stages: {},
    });
  });

  it('rebuilds the end of an execution that ended other than SUCCEEDED, with no status', () => {
    const rebuilt = recordOfFact('shop', 'e-2', { s: ms('09:00'), e: ms('09:12'), g: {}, v: ms('09:12') });
    expect(rebuilt).toStrictEqual({
      pipeline: 'shop',
      executionId: 'e-2',
      startTime: at('09:00'),
      firstEventAt: at('09:00'),
      lastEventAt: at('09:12'),
      endTime: at('09:12'),
      stages: {},
    });
  });
});
