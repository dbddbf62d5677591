import { describe, expect, it } from 'vitest';
import { expectEmittedAsReported, replay, scenario, shuffled } from './demo-replay';

/**
 * The consumer far behind the table (the whole history recorded before the stream is read, so every read sees
 * changes whose records are still to come) and its fact writes failing now and then (the batch is retried from
 * the failed execution): still each deployment, failure and restore counted once.
 */
describe.each([
  [6, 1000, 0],
  [7, 1000, 7],
  [8, 40, 5],
])(
  'recorder delivery metrics, the stream read late (seed %i, drained every %i events; every %i-th fact write failing, 0: none)',
  { timeout: 90_000 },
  (seed, drainEvery, failEvery) => {
    it('emits as many deployments, change failures and restores as the read API counts', async () => {
      const duplicated = [...scenario.events, ...scenario.events.filter((_, index) => index % 3 === 0)];
      const { report, reference, total } = await replay(
        shuffled(duplicated, seed),
        undefined,
        drainEvery,
        failEvery,
      );
      expect(report).toEqual(reference);
      expectEmittedAsReported(report, total);
      expect(total('TimeToRestore') > 0).toBe(report.overall.timeToRestore.count > 0);
    });
  },
);
