import { describe, expect, it } from 'vitest';
import type {
  DeliveryTimeline,
  GateBlock,
} from '../../../functions/delivery-metrics/domain/delivery-timeline';
import { doraReport } from '../../../functions/delivery-metrics/domain/dora-report';

/** Gate blocks (releases an entry condition held back) counted in [from, to), per pipeline, overall and per bucket. */
const range = { from: '2026-11-16T00:00:00.000Z', to: '2026-11-18T00:00:00.000Z', bucket: 'day' as const };
const block = (at: string): GateBlock => ({ executionId: `e-${at}`, at });
const shop: DeliveryTimeline = {
  pipeline: 'shop',
  productionStage: 'Production',
  deployments: [{ pipeline: 'shop', executionId: 'd-1', deployedAt: '2026-11-16T10:00:00.000Z' }],
  gateBlocks: [
    block('2026-11-15T23:59:59.999Z'),
    block('2026-11-16T00:00:00.000Z'),
    block('2026-11-17T23:59:59.999Z'),
    block('2026-11-18T00:00:00.000Z'),
    block('2026-11-19T10:00:00.000Z'),
  ],
};
const api: DeliveryTimeline = {
  pipeline: 'api',
  productionStage: 'Production',
  deployments: [],
  gateBlocks: [block('2026-11-17T10:00:00.000Z')],
};
const noDuration = { count: 0 };

describe('doraReport: gate blocks', () => {
  const report = doraReport([shop, api], range);
  const perBucket = (series: { start: string; gateBlocks: number; deployments: number }[]) =>
    series.map(({ start, gateBlocks, deployments }) => ({ start, gateBlocks, deployments }));

  it('counts a block at `from` and just before `to`, none before `from`, at `to` or after it', () => {
    expect(report.pipelines.map(({ pipeline, gateBlocks }) => ({ pipeline, gateBlocks }))).toEqual([
      { pipeline: 'api', gateBlocks: 1 },
      { pipeline: 'shop', gateBlocks: 2 },
    ]);
    expect(report.overall.gateBlocks).toBe(3);
  });

  it('counts each block in the bucket of its day, per pipeline and overall', () => {
    const [apiReport, shopReport] = report.pipelines;
    expect(perBucket(shopReport?.series ?? [])).toEqual([
      { start: '2026-11-16T00:00:00.000Z', gateBlocks: 1, deployments: 1 },
      { start: '2026-11-17T00:00:00.000Z', gateBlocks: 1, deployments: 0 },
    ]);
    expect(perBucket(apiReport?.series ?? [])).toEqual([
      { start: '2026-11-16T00:00:00.000Z', gateBlocks: 0, deployments: 0 },
      { start: '2026-11-17T00:00:00.000Z', gateBlocks: 1, deployments: 0 },
    ]);
    expect(perBucket(report.overall.series)).toEqual([
      { start: '2026-11-16T00:00:00.000Z', gateBlocks: 1, deployments: 1 },
      { start: '2026-11-17T00:00:00.000Z', gateBlocks: 2, deployments: 0 },
    ]);
  });

  it('a bucket with neither deployments nor blocks is all zeros', () => {
    expect(report.pipelines[0]?.series[0]).toEqual({
      start: '2026-11-16T00:00:00.000Z',
      deployments: 0,
      deploymentFrequency: 0,
      leadTime: noDuration,
      changeFailures: 0,
      changeFailureRate: null,
      timeToRestore: noDuration,
      unrestoredFailures: 0,
      gateBlocks: 0,
    });
  });
});
