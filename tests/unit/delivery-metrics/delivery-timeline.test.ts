import { describe, expect, it } from 'vitest';
import { deliveryTimeline } from '../../../functions/delivery-metrics/domain/delivery-timeline';
import { doraReport } from '../../../functions/delivery-metrics/domain/dora-report';
import { productionStageOf } from '../../../functions/delivery-metrics/domain/production-stage';
import { defined } from '../../support/defined';
import { execution, HOUR, shop } from './dora-fixtures';

const DAY_WINDOW = { failureWindowMs: 24 * HOUR };

describe('deliveryTimeline', () => {
  it('finds each deployment, its lead time, the failure that followed it and when production was restored', () => {
    const timeline = deliveryTimeline('shop', [...shop].reverse(), [], DAY_WINDOW);
    expect(timeline.productionStage).toBe('Production');
    expect(timeline.deployments).toEqual([
      {
        pipeline: 'shop',
        executionId: 'e1',
        deployedAt: '2026-11-16T09:30:00.000Z',
        leadTimeMs: 90 * 60_000,
        changeFailure: { at: '2026-11-16T12:20:00.000Z', cause: 'failed-execution', source: 'e2' },
        restoredAt: '2026-11-16T14:30:00.000Z',
        restoreMs: 130 * 60_000,
      },
      {
        pipeline: 'shop',
        executionId: 'e3',
        deployedAt: '2026-11-16T14:30:00.000Z',
        leadTimeMs: 60 * 60_000,
      },
      {
        pipeline: 'shop',
        executionId: 'e4',
        deployedAt: '2026-11-17T10:40:00.000Z',
        leadTimeMs: 100 * 60_000,
        changeFailure: { at: '2026-11-17T15:20:00.000Z', cause: 'failed-execution', source: 'e5' },
      },
    ]);
  });

  it('has nothing to report for no executions, or when nothing has succeeded and no stage is configured', () => {
    expect(deliveryTimeline('shop', [], [], DAY_WINDOW)).toEqual({
      pipeline: 'shop',
      deployments: [],
      gateBlocks: [],
    });
    expect(deliveryTimeline('shop', [defined(shop[1])], [], DAY_WINDOW).deployments).toEqual([]);
  });

  it('leaves lead time out when the execution carries no commit time', () => {
    const [only] = deliveryTimeline(
      'shop',
      [{ ...defined(shop[0]), sourceRevisions: undefined }],
      [],
      DAY_WINDOW,
    ).deployments;
    expect(only).toEqual({ pipeline: 'shop', executionId: 'e1', deployedAt: '2026-11-16T09:30:00.000Z' });
  });

  it('does not attribute a failure that came after the failure window', () => {
    const timeline = deliveryTimeline('shop', shop.slice(0, 2), [], { failureWindowMs: 2 * HOUR });
    expect(timeline.deployments[0]?.changeFailure).toBeUndefined();
  });

  it('counts a production failure that a retry then fixed, restored by that retry', () => {
    const retried = execution({
      id: 'e2',
      start: '2026-11-16T12:00:00.000Z',
      committed: '2026-11-16T11:00:00.000Z',
      status: 'SUCCEEDED',
      productionStatus: 'SUCCEEDED',
      productionAt: '2026-11-16T12:50:00.000Z',
      failedAt: '2026-11-16T12:20:00.000Z',
    });
    const [e1, e2] = deliveryTimeline('shop', [defined(shop[0]), retried], [], DAY_WINDOW).deployments;
    expect(e1).toMatchObject({
      changeFailure: { source: 'e2' },
      restoredAt: '2026-11-16T12:50:00.000Z',
      restoreMs: 30 * 60_000,
    });
    expect(e2).toMatchObject({ executionId: 'e2', leadTimeMs: 110 * 60_000 });
    expect(e2?.changeFailure).toBeUndefined();
  });

  it('counts a rollback as a change failure of the deployment it rolled back and as the restore, not a deployment', () => {
    const rollback = execution({
      id: 'r1',
      start: '2026-11-16T10:00:00.000Z',
      status: 'SUCCEEDED',
      productionStatus: 'SUCCEEDED',
      productionAt: '2026-11-16T10:10:00.000Z',
      rollback: true,
    });
    const { deployments } = deliveryTimeline('shop', [defined(shop[0]), rollback], [], DAY_WINDOW);
    expect(deployments).toHaveLength(1);
    expect(deployments[0]).toMatchObject({
      changeFailure: { at: '2026-11-16T10:00:00.000Z', cause: 'rollback', source: 'r1' },
      restoreMs: 10 * 60_000,
    });
  });

  it('attributes an alarm incident to the deployment it names, or else to the one live at the time', () => {
    const d1 = { ...defined(shop[0]), deploymentIds: ['d-AAA'] };
    const d3 = { ...defined(shop[2]), deploymentIds: ['d-BBB'] };
    const incidents = [
      { at: '2026-11-16T15:00:00.000Z', alarmName: 'p99-latency', deploymentId: 'd-AAA' },
      { at: '2026-11-16T15:05:00.000Z', alarmName: 'errors' },
      { at: '2026-11-16T15:06:00.000Z', alarmName: 'elsewhere', deploymentId: 'd-OTHER-PIPELINE' },
    ];
    const [first, second] = deliveryTimeline('shop', [d1, d3], incidents, DAY_WINDOW).deployments;
    expect(first?.changeFailure).toEqual({
      at: '2026-11-16T15:00:00.000Z',
      cause: 'alarm',
      source: 'p99-latency',
    });
    expect(second?.changeFailure).toEqual({
      at: '2026-11-16T15:05:00.000Z',
      cause: 'alarm',
      source: 'errors',
    });
    expect(first?.restoredAt).toBeUndefined();
  });

  it('attributes an alarm linked to a deployment that fired before its production stage finished, from then on', () => {
    const deployed = defined(shop[0]);
    const deployedAt = deployed.stages.Production?.status?.statusAt as string;
    const before = new Date(Date.parse(deployedAt) - 3 * 60_000).toISOString();
    const linked = { ...deployed, deploymentIds: ['d-AAA'] };
    const [deployment] = deliveryTimeline(
      'shop',
      [linked],
      [{ at: before, alarmName: 'p99-latency', deploymentId: 'd-AAA' }],
      DAY_WINDOW,
    ).deployments;
    expect(deployment?.changeFailure).toEqual({ at: deployedAt, cause: 'alarm', source: 'p99-latency' });
    // Its own success is not what restores it.
    expect(deployment?.restoredAt).toBeUndefined();
    // An alarm that names no deployment and fired before it is not attributed.
    const unlinked = deliveryTimeline('shop', [linked], [{ at: before, alarmName: 'errors' }], DAY_WINDOW);
    expect(unlinked.deployments[0]?.changeFailure).toBeUndefined();
  });

  it('uses a configured production stage instead of the last one', () => {
    expect(productionStageOf(shop)).toBe('Production');
    expect(productionStageOf(shop, 'Build')).toBe('Build');
    const { deployments } = deliveryTimeline('shop', shop, [], { ...DAY_WINDOW, productionStage: 'Build' });
    expect(deployments.map((d) => d.executionId)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
  });
});

describe('doraReport', () => {
  const range = { from: '2026-11-16T00:00:00.000Z', to: '2026-11-18T00:00:00.000Z', bucket: 'day' as const };

  it('summarises the hand-checked history overall, per pipeline and per day', () => {
    const report = doraReport([deliveryTimeline('shop', shop, [], DAY_WINDOW)], range);
    const expected = {
      deployments: 3,
      deploymentFrequency: 1.5,
      leadTime: { count: 3, mean: 5000, median: 5400, p90: 6000 },
      changeFailures: 2,
      changeFailureRate: 0.6667,
      timeToRestore: { count: 1, mean: 7800, median: 7800, p90: 7800 },
      unrestoredFailures: 1,
    };
    expect(report.overall).toMatchObject(expected);
    expect(report.pipelines).toEqual([
      expect.objectContaining({ pipeline: 'shop', productionStage: 'Production', ...expected }),
    ]);
    expect(report.overall.series.map((b) => [b.start.slice(0, 10), b.deployments, b.changeFailures])).toEqual(
      [
        ['2026-11-16', 2, 1],
        ['2026-11-17', 1, 1],
      ],
    );
    expect(report.overall.series[0]?.deploymentFrequency).toBe(2);
  });

  it('reports zeros and nulls, never NaN, for an empty history', () => {
    const report = doraReport([], range);
    expect(report.pipelines).toEqual([]);
    expect(report.overall).toMatchObject({
      deployments: 0,
      deploymentFrequency: 0,
      leadTime: { count: 0 },
      changeFailures: 0,
      changeFailureRate: null,
      timeToRestore: { count: 0 },
      unrestoredFailures: 0,
    });
    expect(report.overall.series).toHaveLength(2);
    expect(JSON.stringify(report)).not.toContain('NaN');
  });

  it('counts only deployments made inside the range, and adds pipelines up overall', () => {
    const other = shop.map((e) => ({ ...e, pipeline: 'web', executionId: `w-${e.executionId}` }));
    const report = doraReport(
      [deliveryTimeline('shop', shop, [], DAY_WINDOW), deliveryTimeline('web', other, [], DAY_WINDOW)],
      { ...range, from: '2026-11-17T00:00:00.000Z', bucket: 'week' },
    );
    expect(report.pipelines.map((p) => [p.pipeline, p.deployments])).toEqual([
      ['shop', 1],
      ['web', 1],
    ]);
    expect(report.overall).toMatchObject({ deployments: 2, changeFailures: 2, unrestoredFailures: 2 });
    expect(report.overall.series.map((b) => b.start)).toEqual(['2026-11-16T00:00:00.000Z']);
    // The week of 16 November lies in the range for one day only: 2 deployments in it are 2 a day, not 2/7.
    expect(report.overall.series[0]?.deploymentFrequency).toBe(2);
  });
});
