import { beforeAll, describe, expect, it } from 'vitest';
import { declaredStagesOf } from '../../../bench/demo-copies';
import type { DoraReport } from '../../../functions/delivery-metrics/domain/dora-report';
import type { PipelineStructureSource } from '../../../functions/delivery-metrics/ports';
import { expectEmittedAsReported, placeOf, replay, scenario, shuffled } from './demo-replay';

/**
 * EventBridge delivers at least once and in no particular order: the same history delivered shuffled, with a
 * third of the events twice, must emit the same totals (seeded, so a failing order can be replayed).
 */
// Each seed replays the whole demo (a few hundred writes to dynalite): slow on a loaded machine, never stuck.
describe.each([
  [1, 1],
  [2, 7],
  [3, 1],
  [4, 25],
  [5, 3],
])(
  'recorder delivery metrics, events shuffled and duplicated (seed %i, stream drained every %i events)',
  { timeout: 90_000 },
  (seed, drainEvery) => {
    it('emits as many deployments, change failures and restores as the read API counts', async () => {
      const duplicated = [...scenario.events, ...scenario.events.filter((_, index) => index % 3 === 0)];
      const { report, reference, packedReport, total } = await replay(
        shuffled(duplicated, seed),
        undefined,
        drainEvery,
      );
      // The rollups, written event by event in any order and any number of times, give the very report the
      // full records give, and so do the months they are packed into.
      expect(report).toEqual(reference);
      expect(await packedReport()).toEqual(reference);
      expectEmittedAsReported(report, total);
      expect(total('TimeToRestore') > 0).toBe(report.overall.timeToRestore.count > 0);
    });
  },
);

describe('recorder delivery metrics (dynalite, demo scenario)', () => {
  let run: Awaited<ReturnType<typeof replay>>;
  let report: DoraReport;
  let total: (name: string, pipeline?: string) => number;

  beforeAll(async () => {
    run = await replay(scenario.events);
    ({ report, total } = run);
  });

  it('emits as many deployments, change failures and restores as the read API counts', () => {
    expect(total('Deployments')).toBe(report.overall.deployments);
    expect(total('ChangeFailures')).toBe(report.overall.changeFailures);
    for (const pipeline of report.pipelines) {
      expect(total('Deployments', placeOf(pipeline)), placeOf(pipeline)).toBe(pipeline.deployments);
      expect(total('ChangeFailures', placeOf(pipeline)), placeOf(pipeline)).toBe(pipeline.changeFailures);
    }
  });

  it('emits the same lead times and restore times the read API summarises', () => {
    const values = (name: string) =>
      run.emitted.filter((e) => e.metric.name === name).map((e) => e.metric.value * 1000);
    expect(total('LeadTime') / values('LeadTime').length).toBeCloseTo(report.overall.leadTime.mean ?? 0, 0);
    expect(values('TimeToRestore').length).toBe(report.overall.timeToRestore.count);
  });

  it('reads recent history only when an execution ends, not for every event', () => {
    expect(run.queries()).toBeLessThanOrEqual(Object.keys(scenario.sourceRevisions).length + 2);
    expect(total('FailedExecutions')).toBeGreaterThan(0);
  });
});

/** What GetPipeline declares for each demo pipeline (its stages in the order its events first name them). */
function declaredStages(): PipelineStructureSource {
  const stages = declaredStagesOf(scenario.events as Record<string, unknown>[]);
  return {
    structureOf: async ({ pipeline }) => ({ stages: stages.get(pipeline) ?? [], executionMode: 'QUEUED' }),
  };
}

describe('recorder delivery metrics with the declared production stage (GetPipeline), events shuffled', () => {
  it('emits as many deployments and change failures as the read API counts, which equals the inferred report', {
    timeout: 90_000,
  }, async () => {
    const duplicated = [...scenario.events, ...scenario.events.filter((_, index) => index % 3 === 0)];
    const { report, reference, packedReport, total } = await replay(
      shuffled(duplicated, 7),
      declaredStages(),
    );
    expect(report).toEqual(reference);
    expect(await packedReport()).toEqual(reference);
    expectEmittedAsReported(report, total);
  });
});
