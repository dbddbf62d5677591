import { describe, expect, it } from 'vitest';
import { productionStageOf } from '../../../functions/delivery-metrics/domain/production-stage';
import type { ExecutionRecord, StageRecord } from '../../../functions/history/domain/execution-record';

const at = (hhmm: string) => `2026-11-16T${hhmm}:00.000Z`;
const succeeded = (hhmm: string): StageRecord => ({
  status: { status: 'SUCCEEDED', statusAt: at(hhmm), attempt: 1 },
  actions: {},
});

/** A forward execution that succeeded, with its stages in the given (key) order; ends at `end` when given. */
function run(id: string, end: string | undefined, stages: Record<string, StageRecord>): ExecutionRecord {
  return {
    pipeline: 'shop',
    executionId: id,
    status: { status: 'SUCCEEDED', statusAt: end ?? at('00:00'), attempt: 1 },
    firstEventAt: at('00:00'),
    ...(end ? { endTime: end } : {}),
    stages,
    lastEventAt: end ?? at('00:00'),
  };
}
/** An execution whose last succeeded stage is `stage`, ended at `hhmm`. */
const naming = (id: string, hhmm: string, stage: string) =>
  run(id, at(hhmm), { Source: succeeded('00:01'), [stage]: succeeded(hhmm) });

describe('productionStageOf', () => {
  it('the configured stage wins without looking at executions', () => {
    expect(productionStageOf([naming('1', '09:00', 'Deploy')], 'Prod')).toBe('Prod');
    expect(productionStageOf([naming('1', '09:00', 'Deploy')], '')).toBe('Deploy');
  });

  it('undefined when no execution tells', () => {
    expect(productionStageOf([])).toBeUndefined();
    expect(productionStageOf([run('1', at('09:00'), {})])).toBeUndefined();
  });

  it('skips executions without a status, stages without a status and executions with no succeeded stage', () => {
    const { status: _, ...noStatus } = naming('0', '12:00', 'Elsewhere');
    const noStageStatus = run('2', at('11:00'), { Source: succeeded('10:59'), Verify: { actions: {} } });
    const noneSucceeded = (id: string) => run(id, at('10:30'), { Verify: { actions: {} } });
    expect(productionStageOf([noStatus, naming('1', '09:00', 'Production')])).toBe('Production');
    expect(
      productionStageOf([noneSucceeded('3'), noneSucceeded('4'), naming('1', '09:00', 'Production')]),
    ).toBe('Production');
    expect(productionStageOf([noStageStatus])).toBe('Source');
  });

  it('a stage that has not succeeded (its SUCCEEDED event lost) is not the last one', () => {
    const verifyRunning: StageRecord = {
      status: { status: 'STARTED', statusAt: at('09:10'), attempt: 1 },
      actions: {},
    };
    expect(
      productionStageOf([run('1', at('09:10'), { Production: succeeded('09:05'), Verify: verifyRunning })]),
    ).toBe('Production');
  });

  it('takes the stage that succeeded last, whatever the key order', () => {
    const later = { Verify: succeeded('09:03'), Production: succeeded('09:02') };
    expect(productionStageOf([run('1', at('09:03'), later)])).toBe('Verify');
    // An earlier stage with a greater name does not win.
    const greaterName = { Production: succeeded('09:03'), Source: succeeded('09:00') };
    expect(productionStageOf([run('1', at('09:03'), greaterName)])).toBe('Production');
  });

  it('within one second, the greater stage name, in either key order', () => {
    const same = at('09:03');
    expect(
      productionStageOf([run('1', same, { Verify: succeeded('09:03'), Production: succeeded('09:03') })]),
    ).toBe('Verify');
    expect(
      productionStageOf([run('1', same, { Production: succeeded('09:03'), Verify: succeeded('09:03') })]),
    ).toBe('Verify');
  });

  it('the stage most executions name wins, listed first or last', () => {
    const majority = [naming('1', '09:00', 'Production'), naming('2', '10:00', 'Production')];
    const newerMinority = naming('3', '11:00', 'Verify');
    expect(productionStageOf([newerMinority, ...majority])).toBe('Production');
    expect(productionStageOf([...majority, newerMinority])).toBe('Production');
  });

  it('on a tie, the stage named by the newest execution, listed first or last', () => {
    const older = naming('1', '09:00', 'Production');
    const newer = naming('2', '10:00', 'Verify');
    expect(productionStageOf([older, newer])).toBe('Verify');
    expect(productionStageOf([newer, older])).toBe('Verify');
  });

  it('the newest execution is by end time, not by execution id', () => {
    const older = naming('b', '09:00', 'Production');
    const newer = naming('a', '10:00', 'Verify');
    expect(productionStageOf([older, newer])).toBe('Verify');
    expect(productionStageOf([newer, older])).toBe('Verify');
  });

  it("a stage's newest execution is the latest of its executions, not the last listed", () => {
    const production = [naming('1', '12:00', 'Production'), naming('2', '09:00', 'Production')];
    const verify = [naming('3', '10:00', 'Verify'), naming('4', '11:00', 'Verify')];
    expect(productionStageOf([...production, ...verify])).toBe('Production');
    expect(productionStageOf([...verify, ...production])).toBe('Production');
  });

  it('an execution without an end time counts as older than any that has one', () => {
    const timed = naming('a', '09:00', 'Production');
    const untimed = run('b', undefined, { Source: succeeded('00:01'), Verify: succeeded('10:00') });
    expect(productionStageOf([timed, untimed])).toBe('Production');
    expect(productionStageOf([untimed, timed])).toBe('Production');
  });

  it('rollback executions and executions that skipped a stage or did not succeed do not vote', () => {
    const vote = naming('1', '09:00', 'Production');
    const rollback = { ...naming('2', '10:00', 'Verify'), executionType: 'ROLLBACK' as const };
    const failed: ExecutionRecord = {
      ...naming('3', '10:00', 'Verify'),
      status: { status: 'FAILED', statusAt: at('10:00'), attempt: 1 },
    };
    const skipped = run('4', at('10:00'), {
      Verify: succeeded('10:00'),
      Gate: { status: { status: 'SKIPPED', statusAt: at('09:59'), attempt: 1 }, actions: {} },
    });
    expect(productionStageOf([vote, rollback, failed, skipped])).toBe('Production');
  });
});
