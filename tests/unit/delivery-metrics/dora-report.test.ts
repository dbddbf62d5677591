import { describe, expect, it } from 'vitest';
import {
  changeCreatedAt,
  type DeliveryTimeline,
  type Deployment,
  deliveryTimeline,
} from '../../../functions/delivery-metrics/domain/delivery-timeline';
import { doraReport, summarize } from '../../../functions/delivery-metrics/domain/dora-report';
import { execution, HOUR } from './dora-fixtures';

/** Exact figures at the edges of a range, of a bucket and of the failure window. */
const deployment = (deployedAt: string, extra: Partial<Deployment> = {}): Deployment => ({
  pipeline: 'shop',
  executionId: `e-${deployedAt}`,
  deployedAt,
  ...extra,
});
const timeline = (pipeline: string, deployments: Deployment[]): DeliveryTimeline => ({
  pipeline,
  productionStage: 'Production',
  deployments,
  gateBlocks: [],
});

describe('doraReport: the range [from, to)', () => {
  const range = { from: '2026-11-16T00:00:00.000Z', to: '2026-11-18T00:00:00.000Z', bucket: 'day' as const };

  it('counts a deployment at `from`, and none at `to` or after it', () => {
    const report = doraReport(
      [
        timeline('shop', [
          deployment('2026-11-15T23:59:59.999Z'),
          deployment('2026-11-16T00:00:00.000Z'),
          deployment('2026-11-17T23:59:59.999Z'),
          deployment('2026-11-18T00:00:00.000Z'),
          deployment('2026-11-19T10:00:00.000Z'),
        ]),
      ],
      range,
    );
    expect(report.overall.deployments).toBe(2);
    expect(report.overall.deploymentFrequency).toBe(1);
    expect(report.overall.series.map((bucket) => [bucket.start, bucket.deployments])).toEqual([
      ['2026-11-16T00:00:00.000Z', 1],
      ['2026-11-17T00:00:00.000Z', 1],
    ]);
    expect(report.pipelines[0]).toMatchObject({
      pipeline: 'shop',
      productionStage: 'Production',
      deployments: 2,
    });
  });

  it('sorts pipelines by name and reports a missing production stage as null', () => {
    const report = doraReport(
      [
        timeline('web', []),
        { pipeline: 'api', deployments: [deployment('2026-11-16T10:00:00.000Z')], gateBlocks: [] },
      ],
      range,
    );
    expect(
      report.pipelines.map((entry) => [entry.pipeline, entry.productionStage, entry.deployments]),
    ).toEqual([
      ['api', null, 1],
      ['web', 'Production', 0],
    ]);
    expect(report).toMatchObject({ from: range.from, to: range.to, bucket: 'day' });
  });

  it('gives partly covered weekly buckets the frequency of the days they cover', () => {
    // Wednesday noon to the next Tuesday noon: 4.5 days of the first week, 1.5 of the second.
    const report = doraReport(
      [
        timeline('shop', [
          deployment('2026-11-18T12:00:00.000Z'),
          deployment('2026-11-20T00:00:00.000Z'),
          deployment('2026-11-23T01:00:00.000Z'),
        ]),
      ],
      { from: '2026-11-18T12:00:00.000Z', to: '2026-11-24T12:00:00.000Z', bucket: 'week' },
    );
    expect(
      report.overall.series.map((bucket) => [bucket.start, bucket.deployments, bucket.deploymentFrequency]),
    ).toEqual([
      ['2026-11-16T00:00:00.000Z', 2, 0.444],
      ['2026-11-23T00:00:00.000Z', 1, 0.667],
    ]);
    expect(report.overall.deploymentFrequency).toBe(0.5);
  });

  it('reports a range that ends before it starts as no days, with no frequency and no buckets', () => {
    const report = doraReport([timeline('shop', [deployment('2026-11-16T10:00:00.000Z')])], {
      from: '2026-11-18T00:00:00.000Z',
      to: '2026-11-16T00:00:00.000Z',
      bucket: 'day',
    });
    expect(report.overall).toMatchObject({ deployments: 0, deploymentFrequency: 0, series: [] });
  });
});

describe('summarize', () => {
  it('rounds frequency to 3 and the failure rate to 4 decimals, and counts unrestored failures', () => {
    const failure = { at: '2026-11-16T11:00:00.000Z', cause: 'alarm' as const, source: 'a' };
    const summary = summarize(
      [
        deployment('2026-11-16T10:00:00.000Z', {
          leadTimeMs: 60_000,
          changeFailure: failure,
          restoreMs: 120_000,
          restoredAt: '2026-11-16T11:02:00.000Z',
        }),
        deployment('2026-11-16T12:00:00.000Z', { changeFailure: failure }),
        deployment('2026-11-16T13:00:00.000Z', { leadTimeMs: 180_000 }),
      ],
      3,
    );
    expect(summary).toEqual({
      deployments: 3,
      deploymentFrequency: 1,
      leadTime: { count: 2, mean: 120, median: 120, p90: 180 },
      changeFailures: 2,
      changeFailureRate: 0.6667,
      timeToRestore: { count: 1, mean: 120, median: 120, p90: 120 },
      unrestoredFailures: 1,
      gateBlocks: 0,
    });
    expect(summarize([deployment('2026-11-16T10:00:00.000Z')], 7).deploymentFrequency).toBe(0.143);
    expect(summarize([], 0)).toMatchObject({ deploymentFrequency: 0, changeFailureRate: null });
  });
});

describe('deliveryTimeline: attribution at the edges', () => {
  // Named, because these executions start when production finishes, after which the fixture's other stages run.
  const window = { failureWindowMs: 2 * HOUR, productionStage: 'Production' };
  const deployed = (id: string, at: string, extra: Partial<Parameters<typeof execution>[0]> = {}) =>
    execution({
      id,
      start: at,
      status: 'SUCCEEDED',
      productionStatus: 'SUCCEEDED',
      productionAt: at,
      ...extra,
    });
  const failedAt = (id: string, at: string) =>
    execution({
      id,
      start: at,
      status: 'FAILED',
      productionStatus: 'FAILED',
      productionAt: at,
      failedAt: at,
    });

  it('attributes a failure at the very moment of a deployment to it, and one just inside the window', () => {
    const atDeploy = deliveryTimeline(
      'shop',
      [deployed('e1', '2026-11-16T10:00:00.000Z'), failedAt('f1', '2026-11-16T10:00:00.000Z')],
      [],
      window,
    );
    expect(atDeploy.deployments[0]?.changeFailure).toEqual({
      at: '2026-11-16T10:00:00.000Z',
      cause: 'failed-execution',
      source: 'f1',
    });
    const inside = deliveryTimeline(
      'shop',
      [deployed('e1', '2026-11-16T10:00:00.000Z'), failedAt('f1', '2026-11-16T11:59:59.999Z')],
      [],
      window,
    );
    expect(inside.deployments[0]?.changeFailure?.source).toBe('f1');
    const atEdge = deliveryTimeline(
      'shop',
      [deployed('e1', '2026-11-16T10:00:00.000Z'), failedAt('f1', '2026-11-16T12:00:00.000Z')],
      [],
      window,
    );
    expect(atEdge.deployments[0]).not.toHaveProperty('changeFailure');
  });

  it('keeps the earliest failure when several follow one deployment, in any order', () => {
    const executions = [
      deployed('e1', '2026-11-16T10:00:00.000Z'),
      failedAt('f2', '2026-11-16T11:00:00.000Z'),
      failedAt('f1', '2026-11-16T10:30:00.000Z'),
    ];
    for (const order of [executions, [...executions].reverse()]) {
      expect(deliveryTimeline('shop', order, [], window).deployments[0]?.changeFailure).toEqual({
        at: '2026-11-16T10:30:00.000Z',
        cause: 'failed-execution',
        source: 'f1',
      });
    }
  });

  it('links an incident by execution id even when a later deployment was live, and counts it from the deployment', () => {
    const executions = [
      deployed('e1', '2026-11-16T10:00:00.000Z'),
      deployed('e2', '2026-11-16T10:30:00.000Z'),
    ];
    const result = deliveryTimeline(
      'shop',
      executions,
      [
        { at: '2026-11-16T10:40:00.000Z', alarmName: 'checkout-5xx', executionId: 'e1' },
        { at: '2026-11-16T09:50:00.000Z', alarmName: 'early', executionId: 'e2' },
      ],
      window,
    );
    expect(result.deployments.map((entry) => [entry.executionId, entry.changeFailure])).toEqual([
      ['e1', { at: '2026-11-16T10:40:00.000Z', cause: 'alarm', source: 'checkout-5xx' }],
      ['e2', { at: '2026-11-16T10:30:00.000Z', cause: 'alarm', source: 'early' }],
    ]);
  });

  it('ignores an incident linked to an execution or deployment of another pipeline', () => {
    const result = deliveryTimeline(
      'shop',
      [deployed('e1', '2026-11-16T10:00:00.000Z', { deploymentIds: ['d-1'] })],
      [
        { at: '2026-11-16T10:10:00.000Z', alarmName: 'other-exec', executionId: 'x-9' },
        { at: '2026-11-16T10:20:00.000Z', alarmName: 'other-deploy', deploymentId: 'd-9' },
      ],
      window,
    );
    expect(result.deployments[0]).not.toHaveProperty('changeFailure');
    const linked = deliveryTimeline(
      'shop',
      [
        deployed('e1', '2026-11-16T10:00:00.000Z', { deploymentIds: ['d-1'] }),
        deployed('e2', '2026-11-16T10:05:00.000Z'),
      ],
      [{ at: '2026-11-16T10:20:00.000Z', alarmName: 'by-deployment', deploymentId: 'd-1' }],
      window,
    );
    expect(linked.deployments[0]?.changeFailure?.source).toBe('by-deployment');
    expect(linked.deployments[1]).not.toHaveProperty('changeFailure');
  });

  it('restores at the next success strictly after the failure, rollbacks included, and measures it', () => {
    const result = deliveryTimeline(
      'shop',
      [
        deployed('e1', '2026-11-16T10:00:00.000Z'),
        failedAt('f1', '2026-11-16T10:30:00.000Z'),
        deployed('rb', '2026-11-16T10:30:00.000Z', { rollback: true }),
        deployed('e2', '2026-11-16T11:00:00.000Z'),
      ],
      [],
      window,
    );
    // The rollback starts at 10:30 too: the earliest failure is the rollback's or f1's at 10:30, restored at 11:00.
    expect(result.deployments.map((entry) => entry.executionId)).toEqual(['e1', 'e2']);
    expect(result.deployments[0]).toMatchObject({
      restoredAt: '2026-11-16T11:00:00.000Z',
      restoreMs: 30 * 60_000,
    });
    // Two signals at the same moment: the first one seen stays.
    expect(result.deployments[0]?.changeFailure).toEqual({
      at: '2026-11-16T10:30:00.000Z',
      cause: 'failed-execution',
      source: 'f1',
    });
  });

  it('dates a rollback without a start time by its first event', () => {
    const { startTime: _start, ...rollback } = deployed('rb', '2026-11-16T10:40:00.000Z', { rollback: true });
    const result = deliveryTimeline(
      'shop',
      [deployed('e1', '2026-11-16T10:00:00.000Z'), { ...rollback, firstEventAt: '2026-11-16T10:20:00.000Z' }],
      [],
      window,
    );
    expect(result.deployments[0]).toMatchObject({
      changeFailure: { at: '2026-11-16T10:20:00.000Z', cause: 'rollback', source: 'rb' },
      restoredAt: '2026-11-16T10:40:00.000Z',
      restoreMs: 20 * 60_000,
    });
  });

  it('orders deployments at the same time by execution id and measures lead time only from an earlier commit', () => {
    const result = deliveryTimeline(
      'shop',
      [
        deployed('e2', '2026-11-16T10:00:00.000Z', { committed: '2026-11-16T10:00:00.000Z' }),
        deployed('e1', '2026-11-16T10:00:00.000Z', { committed: '2026-11-16T10:00:00.001Z' }),
      ],
      [],
      window,
    );
    expect(result.deployments).toEqual([
      { pipeline: 'shop', executionId: 'e1', deployedAt: '2026-11-16T10:00:00.000Z' },
      { pipeline: 'shop', executionId: 'e2', deployedAt: '2026-11-16T10:00:00.000Z', leadTimeMs: 0 },
    ]);
  });
});

describe('changeCreatedAt', () => {
  const base = execution({ id: 'e1', start: '2026-11-16T10:00:00.000Z', status: 'SUCCEEDED' });

  it('takes the newest source revision, in any listed order and format, ignoring revisions without a time', () => {
    expect(
      changeCreatedAt({
        ...base,
        sourceRevisions: [
          { actionName: 'A', createdAt: '2026-11-16T09:00:00Z' },
          { actionName: 'B' },
          { actionName: 'C', createdAt: '2026-11-16T08:00:00.000Z' },
          { actionName: 'D', createdAt: '' },
        ],
        trigger: { authorDate: '2026-11-16T07:00:00Z' },
      }),
    ).toBe('2026-11-16T09:00:00.000Z');
  });

  it("falls back to the trigger's commit date, normalised, and else has none", () => {
    expect(
      changeCreatedAt({
        ...base,
        sourceRevisions: [{ actionName: 'A' }],
        trigger: { authorDate: '2026-11-16T07:00:00Z' },
      }),
    ).toBe('2026-11-16T07:00:00.000Z');
    expect(
      changeCreatedAt({ ...base, sourceRevisions: undefined, trigger: { type: 'Webhook' } }),
    ).toBeUndefined();
  });
});

describe('deliveryTimeline: executions that never reached production', () => {
  const window = { failureWindowMs: 2 * HOUR, productionStage: 'Production' };
  const deployed = (id: string, at: string, extra: Partial<Parameters<typeof execution>[0]> = {}) =>
    execution({
      id,
      start: at,
      status: 'SUCCEEDED',
      productionStatus: 'SUCCEEDED',
      productionAt: at,
      ...extra,
    });

  it('reports no stage at all when none is configured and nothing succeeded', () => {
    expect(deliveryTimeline('shop', [], [], { failureWindowMs: HOUR })).toStrictEqual({
      pipeline: 'shop',
      deployments: [],
      gateBlocks: [],
    });
  });

  it('passes over executions without the production stage, or with it but no status yet', () => {
    const stopped = execution({ id: 'e0', start: '2026-11-16T09:00:00.000Z', status: 'FAILED' });
    const pending = {
      ...stopped,
      executionId: 'e00',
      stages: { ...stopped.stages, Production: { actions: {} } },
    };
    const result = deliveryTimeline(
      'shop',
      [stopped, pending, deployed('e1', '2026-11-16T10:00:00.000Z')],
      [],
      window,
    );
    expect(result.deployments.map((entry) => entry.executionId)).toEqual(['e1']);
  });

  it('restores at the earliest later success, whatever order the executions come in', () => {
    const failed = execution({
      id: 'f1',
      start: '2026-11-16T10:30:00.000Z',
      status: 'FAILED',
      productionStatus: 'FAILED',
      productionAt: '2026-11-16T10:30:00.000Z',
      failedAt: '2026-11-16T10:30:00.000Z',
    });
    const result = deliveryTimeline(
      'shop',
      [
        deployed('e1', '2026-11-16T10:00:00.000Z'),
        failed,
        deployed('e3', '2026-11-16T12:00:00.000Z'),
        deployed('e2', '2026-11-16T11:00:00.000Z'),
      ],
      [],
      window,
    );
    expect(result.deployments[0]).toMatchObject({
      restoredAt: '2026-11-16T11:00:00.000Z',
      restoreMs: 30 * 60_000,
    });
  });

  it('links an incident by deployment id past deployments that recorded no deployment ids', () => {
    const result = deliveryTimeline(
      'shop',
      [
        deployed('e0', '2026-11-16T09:00:00.000Z'),
        deployed('e1', '2026-11-16T10:00:00.000Z', { deploymentIds: ['d-1'] }),
      ],
      [{ at: '2026-11-16T10:20:00.000Z', alarmName: 'by-deployment', deploymentId: 'd-1' }],
      window,
    );
    expect(result.deployments.map((entry) => [entry.executionId, entry.changeFailure?.source])).toEqual([
      ['e0', undefined],
      ['e1', 'by-deployment'],
    ]);
  });
});
