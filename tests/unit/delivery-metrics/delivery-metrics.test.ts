import { describe, expect, it } from 'vitest';
import {
  deliveryMetricsFor,
  mayChangeDeliveryMetrics,
} from '../../../functions/delivery-metrics/domain/delivery-metrics';
import type { ExecutionRecord } from '../../../functions/history/domain/execution-record';
import { defined } from '../../support/defined';
import { execution, HOUR, running, shop } from './dora-fixtures';

const options = { failureWindowMs: 24 * HOUR };
const names = (metrics: { name: string; value: number }[]) => metrics.map((m) => `${m.name}=${m.value}`);
const [e1, e2, e3] = shop as [ExecutionRecord, ExecutionRecord, ExecutionRecord];

describe('deliveryMetricsFor', () => {
  it('counts a deployment with its lead time when its execution ends', () => {
    expect(names(deliveryMetricsFor(running(e1), e1, [e1], options))).toEqual([
      'Deployments=1',
      'LeadTime=5400',
    ]);
  });

  it('counts nothing for a write that changes nothing (a duplicate event)', () => {
    expect(deliveryMetricsFor(e1, e1, [e1], options)).toEqual([]);
  });

  it('counts a change failure of the live deployment when production fails, and the restore when fixed', () => {
    const failing = running(e2);
    const { Production: _production, ...earlierStages } = e2.stages;
    const deploying = { ...failing, stages: earlierStages };
    expect(names(deliveryMetricsFor(deploying, failing, [e1, e2], options))).toEqual(['ChangeFailures=1']);
    expect(names(deliveryMetricsFor(failing, e2, [e1, e2], options))).toEqual(['FailedExecutions=1']);
    expect(names(deliveryMetricsFor(running(e3), e3, [e1, e2, e3], options))).toEqual([
      'Deployments=1',
      'LeadTime=3600',
      'TimeToRestore=7800',
    ]);
  });

  it('counts the deployment when the execution succeeds, and the restore when the late production event arrives', () => {
    const endedEarly = { ...e3, stages: { ...e3.stages } };
    delete endedEarly.stages.Production;
    // The execution's success is the last stage's: the deployment counts now, with its lead time to the end.
    expect(names(deliveryMetricsFor(running(e3), endedEarly, [e1, e2, e3], options))).toEqual([
      'Deployments=1',
      'LeadTime=3600',
    ]);
    expect(mayChangeDeliveryMetrics(endedEarly, e3, undefined)).toBe(true);
    // The production stage's own success is what restores service after e2's failure.
    expect(names(deliveryMetricsFor(endedEarly, e3, [e1, e2, e3], options))).toEqual(['TimeToRestore=7800']);
  });

  it("counts a pipeline's first deployment once when its last stage's event arrives after the execution ended", () => {
    // Nothing earlier says which stage is last: the execution's own stages do, and they grow as events arrive.
    const endedEarly = { ...e1, stages: { ...e1.stages } };
    delete endedEarly.stages.Production;
    const counted = [
      ...deliveryMetricsFor(running(e1), endedEarly, [endedEarly], options),
      ...deliveryMetricsFor(endedEarly, e1, [e1], options),
    ];
    expect(counted.filter((metric) => metric.name === 'Deployments')).toHaveLength(1);
  });

  it('counts a failure once when the deployment before it is delivered after it (the failure moves to it)', () => {
    const stage = (status: string, at: string, failed = false) => ({
      status: { status, statusAt: at, attempt: 1 },
      ...(failed ? { firstFailedAt: at } : {}),
      actions: { Deploy: { status, statusAt: at, attempt: 1 } },
    });
    const record = (id: string, build: string, prod: ReturnType<typeof stage>, ended?: string) =>
      ({
        pipeline: 'p',
        executionId: id,
        firstEventAt: build,
        lastEventAt: prod.status.statusAt,
        executionType: 'STANDARD',
        stages: { Build: stage('SUCCEEDED', build), Prod: prod },
        ...(ended ? { status: { status: 'SUCCEEDED', statusAt: ended, attempt: 1 }, endTime: ended } : {}),
      }) as ExecutionRecord;
    const w = record(
      'W',
      '2026-11-30T08:50:00.000Z',
      stage('SUCCEEDED', '2026-11-30T09:00:00.000Z'),
      '2026-11-30T09:00:00.000Z',
    );
    const yRunning = record('Y', '2026-11-30T10:50:00.000Z', stage('STARTED', '2026-11-30T10:55:00.000Z'));
    const yFailed = record(
      'Y',
      '2026-11-30T10:50:00.000Z',
      stage('FAILED', '2026-11-30T11:00:00.000Z', true),
    );
    const xRunning = record('X', '2026-11-30T09:50:00.000Z', stage('SUCCEEDED', '2026-11-30T10:00:00.000Z'));
    const xEnded = {
      ...xRunning,
      status: { status: 'SUCCEEDED', statusAt: '2026-11-30T10:00:00.000Z', attempt: 1 },
      endTime: '2026-11-30T10:00:00.000Z',
    } as ExecutionRecord;
    // Y's production failure is recorded first (it counts against W), then X's success arrives (it moves to X).
    const emitted = [
      ...deliveryMetricsFor(yRunning, yFailed, [w, yFailed], options),
      ...deliveryMetricsFor(xRunning, xEnded, [w, yFailed, xRunning], options),
    ];
    expect(
      emitted.filter((metric) => metric.name === 'ChangeFailures').reduce((sum, m) => sum + m.value, 0),
    ).toBe(1);
  });

  it('with a configured stage, counts the deployment when that stage succeeds, before the execution ends', () => {
    const atBuild = running(e1);
    const beforeBuild = { ...atBuild, stages: { Source: defined(atBuild.stages.Source) } };
    const configured = { ...options, productionStage: 'Build' };
    expect(mayChangeDeliveryMetrics(beforeBuild, atBuild, 'Build')).toBe(true);
    expect(names(deliveryMetricsFor(beforeBuild, atBuild, [atBuild], configured))).toEqual([
      'Deployments=1',
      'LeadTime=3720',
    ]);
  });

  it('counts a rollback execution once, as a rollback and as a change failure of what it rolled back', () => {
    const rollback = execution({
      id: 'r1',
      start: '2026-11-16T10:00:00.000Z',
      status: 'STARTED',
      productionStatus: 'STARTED',
      rollback: true,
    });
    const { executionType: _type, ...plain } = rollback;
    expect(names(deliveryMetricsFor(plain, rollback, [e1, rollback], options))).toEqual([
      'ChangeFailures=1',
      'RollbackExecutions=1',
    ]);
  });
});

describe('mayChangeDeliveryMetrics', () => {
  it('skips the Query for events that cannot change a metric', () => {
    const started = running(e1);
    const withSource = { ...started, stages: { Source: defined(started.stages.Source) } };
    expect(mayChangeDeliveryMetrics(undefined, withSource, undefined)).toBe(false);
    expect(mayChangeDeliveryMetrics(withSource, started, undefined)).toBe(false);
    expect(mayChangeDeliveryMetrics(started, e1, undefined)).toBe(true);
  });
});
