import { describe, expect, it } from 'vitest';
import {
  BUILD_STATES,
  DEPLOYMENT_STATES,
  mergeRun,
  type PipelineLink,
  type RunKind,
  type RunObservation,
  type RunRecord,
} from '../../../functions/history/domain/run-record';

const T1 = '2026-11-20T10:00:00.000Z';
const T2 = '2026-11-20T10:05:00.000Z';
const T3 = '2026-11-20T10:09:00.000Z';

const DEPLOY_ATTRIBUTES = { application: 'shop', deploymentGroup: 'shop-prod', region: 'eu-west-1' };

function statusObservation(
  kind: RunKind,
  status: string,
  at = T1,
  attributes: Record<string, string> = DEPLOY_ATTRIBUTES,
): RunObservation {
  return { kind, runId: 'run-1', at, status: { status, statusAt: at, attempt: 1 }, attributes };
}

const LINK: PipelineLink = { pipeline: 'shop', executionId: 'exec-1', stage: 'Prod', action: 'Deploy' };

const fold = (observations: readonly RunObservation[]) =>
  observations.reduce<RunRecord | undefined>(
    (record, observation) => mergeRun(record, observation),
    undefined,
  );

describe('mergeRun: the first observation of a run', () => {
  it('a status makes the whole record, without an end time while the run is in progress', () => {
    expect(mergeRun(undefined, statusObservation('deployment', 'START'))).toEqual({
      kind: 'deployment',
      runId: 'run-1',
      firstEventAt: T1,
      lastEventAt: T1,
      status: { status: 'START', statusAt: T1, attempt: 1 },
      attributes: DEPLOY_ATTRIBUTES,
    });
  });

  it('a pipeline link alone makes a record with the link and no status', () => {
    expect(mergeRun(undefined, { kind: 'build', runId: 'run-1', at: T2, pipelineLink: LINK })).toEqual({
      kind: 'build',
      runId: 'run-1',
      firstEventAt: T2,
      lastEventAt: T2,
      pipelineLink: LINK,
    });
  });

  it('a rollback link alone makes a record with every field of the link', () => {
    const rollback = {
      rolledBackBy: 'd-ROLLBACK',
      rollsBack: 'd-EARLIER',
      execution: { pipeline: 'shop', executionId: 'exec-1' },
      message: 'Deployment failed: alarm',
    };
    expect(mergeRun(undefined, { kind: 'deployment', runId: 'run-1', at: T3, rollback })).toEqual({
      kind: 'deployment',
      runId: 'run-1',
      firstEventAt: T3,
      lastEventAt: T3,
      rollback,
    });
  });

  it('a rollback read that found none is kept as {}', () => {
    expect(mergeRun(undefined, { kind: 'deployment', runId: 'run-1', at: T1, rollback: {} })).toEqual({
      kind: 'deployment',
      runId: 'run-1',
      firstEventAt: T1,
      lastEventAt: T1,
      rollback: {},
    });
  });
});

describe('mergeRun: the end time', () => {
  const cases: [RunKind, string, boolean][] = [
    ['deployment', 'START', false],
    ['deployment', 'READY', false],
    ['deployment', 'STOP', true],
    ['deployment', 'FAILURE', true],
    ['deployment', 'SUCCESS', true],
    ['build', 'IN_PROGRESS', false],
    ['build', 'STOPPED', true],
    ['build', 'TIMED_OUT', true],
    ['build', 'FAULT', true],
    ['build', 'FAILED', true],
    ['build', 'SUCCEEDED', true],
  ];
  it.each(cases)('a %s in %s has an end time: %s', (kind, status, terminal) => {
    const record = mergeRun(undefined, statusObservation(kind, status, T2));
    expect(record.endTime).toBe(terminal ? T2 : undefined);
    expect('endTime' in record).toBe(terminal);
  });

  it('the terminal states are exactly those', () => {
    expect([...DEPLOYMENT_STATES.terminal]).toEqual(['STOP', 'FAILURE', 'SUCCESS']);
    expect([...BUILD_STATES.terminal]).toEqual(['STOPPED', 'TIMED_OUT', 'FAULT', 'FAILED', 'SUCCEEDED']);
  });

  it('is the terminal status time, not the time of a later link', () => {
    const record = fold([
      statusObservation('deployment', 'SUCCESS', T2),
      { kind: 'deployment', runId: 'run-1', at: T3, pipelineLink: LINK },
    ]);
    expect(record).toEqual({
      kind: 'deployment',
      runId: 'run-1',
      firstEventAt: T2,
      lastEventAt: T3,
      status: { status: 'SUCCESS', statusAt: T2, attempt: 1 },
      endTime: T2,
      attributes: DEPLOY_ATTRIBUTES,
      pipelineLink: LINK,
    });
  });
});

describe('mergeRun: two statuses at the same time are ordered by rank, not by name', () => {
  // Each pair sorts the other way by name, so only the rank table picks the expected winner.
  const cases: [RunKind, string, string][] = [
    ['deployment', 'START', 'READY'],
    ['deployment', 'STOP', 'FAILURE'],
    ['build', 'TIMED_OUT', 'SUCCEEDED'],
    ['build', 'STOPPED', 'FAULT'],
  ];
  it.each(cases)('%s: %s loses to %s in either order', (kind, loser, winner) => {
    const lose = statusObservation(kind, loser);
    const win = statusObservation(kind, winner);
    expect(fold([lose, win])?.status?.status).toBe(winner);
    expect(fold([win, lose])?.status?.status).toBe(winner);
  });

  it('the rank tables', () => {
    expect(DEPLOYMENT_STATES.ranks).toEqual({ START: 0, READY: 1, STOP: 2, FAILURE: 3, SUCCESS: 4 });
    expect(BUILD_STATES.ranks).toEqual({
      IN_PROGRESS: 0,
      STOPPED: 1,
      TIMED_OUT: 2,
      FAULT: 3,
      FAILED: 4,
      SUCCEEDED: 5,
    });
  });
});

describe('mergeRun: joining observations in any order', () => {
  const started = statusObservation('deployment', 'START', T2);
  const linked: RunObservation = { kind: 'deployment', runId: 'run-1', at: T1, pipelineLink: LINK };
  const failed = statusObservation('deployment', 'FAILURE', T3);
  const rolledBack: RunObservation = {
    kind: 'deployment',
    runId: 'run-1',
    at: T3,
    rollback: { rolledBackBy: 'd-ROLLBACK' },
  };
  const expected: RunRecord = {
    kind: 'deployment',
    runId: 'run-1',
    firstEventAt: T1,
    lastEventAt: T3,
    status: { status: 'FAILURE', statusAt: T3, attempt: 1 },
    endTime: T3,
    attributes: DEPLOY_ATTRIBUTES,
    pipelineLink: LINK,
    rollback: { rolledBackBy: 'd-ROLLBACK' },
  };

  it.each([
    ['in order', [linked, started, failed, rolledBack]],
    ['reversed', [rolledBack, failed, started, linked]],
    ['link last', [failed, rolledBack, started, linked]],
  ])('%s: keeps every part, the earliest and latest event times', (_order, observations) => {
    expect(fold(observations)).toEqual(expected);
  });

  it('attributes and links that disagree keep the same one whatever the order', () => {
    const one = statusObservation('build', 'IN_PROGRESS', T1, { project: 'a-project' });
    const other = statusObservation('build', 'IN_PROGRESS', T1, { project: 'b-project' });
    expect(fold([one, other])?.attributes).toEqual({ project: 'a-project' });
    expect(fold([other, one])?.attributes).toEqual({ project: 'a-project' });
    const linkA: RunObservation = { kind: 'build', runId: 'run-1', at: T1, pipelineLink: LINK };
    const linkB: RunObservation = {
      kind: 'build',
      runId: 'run-1',
      at: T1,
      pipelineLink: { ...LINK, action: 'Build' },
    };
    expect(fold([linkA, linkB])?.pipelineLink).toEqual({ ...LINK, action: 'Build' });
    expect(fold([linkB, linkA])?.pipelineLink).toEqual({ ...LINK, action: 'Build' });
  });

  it('rollback links merge field by field, each a fixed pick', () => {
    const first: RunObservation = {
      kind: 'deployment',
      runId: 'run-1',
      at: T1,
      rollback: { rolledBackBy: 'd-B', message: 'second reason' },
    };
    const second: RunObservation = {
      kind: 'deployment',
      runId: 'run-1',
      at: T2,
      rollback: {
        rolledBackBy: 'd-A',
        rollsBack: 'd-EARLIER',
        execution: { pipeline: 'shop', executionId: 'exec-1' },
        message: 'first reason',
      },
    };
    const merged = {
      rolledBackBy: 'd-A',
      rollsBack: 'd-EARLIER',
      execution: { pipeline: 'shop', executionId: 'exec-1' },
      message: 'first reason',
    };
    expect(fold([first, second])?.rollback).toEqual(merged);
    expect(fold([second, first])?.rollback).toEqual(merged);
    expect(fold([first, first])?.rollback).toEqual({ rolledBackBy: 'd-B', message: 'second reason' });
  });

  it('a later status replaces the attributes only by the fixed pick, and never drops the link', () => {
    const record = fold([linked, statusObservation('deployment', 'SUCCESS', T3, { application: 'shop' })]);
    expect(record).toEqual({
      kind: 'deployment',
      runId: 'run-1',
      firstEventAt: T1,
      lastEventAt: T3,
      status: { status: 'SUCCESS', statusAt: T3, attempt: 1 },
      endTime: T3,
      attributes: { application: 'shop' },
      pipelineLink: LINK,
    });
  });
});
