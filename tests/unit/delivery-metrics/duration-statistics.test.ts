import { describe, expect, it } from 'vitest';
import { durationStatistics } from '../../../functions/delivery-metrics/domain/duration-statistics';

const minutes = (...values: number[]) => values.map((value) => value * 60_000);

describe('durationStatistics', () => {
  it('reports only a zero count for no values, never NaN', () => {
    expect(durationStatistics([])).toEqual({ count: 0 });
  });

  it('gives one value as mean, median and p90', () => {
    expect(durationStatistics(minutes(10))).toEqual({ count: 1, mean: 600, median: 600, p90: 600 });
  });

  it('takes the mean of the two middle values for an even count', () => {
    expect(durationStatistics(minutes(40, 10, 30, 20)).median).toBe(25 * 60);
  });

  it('takes p90 by nearest rank, whatever the input order', () => {
    const values = minutes(10, 1, 9, 2, 8, 3, 7, 4, 6, 5); // 1..10 minutes
    expect(durationStatistics(values)).toEqual({ count: 10, mean: 330, median: 330, p90: 540 });
    expect(durationStatistics(minutes(1, 100)).p90).toBe(6000);
  });
});
