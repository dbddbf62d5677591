/** Summary of a set of durations, in seconds. Empty sets give `count: 0` and no statistics, never NaN. */
export interface DurationStatistics {
  count: number;
  mean?: number;
  median?: number;
  p90?: number;
}

/**
 * Mean, median (the middle value, or the mean of the two middle values) and p90 by the nearest-rank method
 * (the smallest value with at least 90 % of values at or below it), all in whole seconds.
 */
export function durationStatistics(millis: readonly number[]): DurationStatistics {
  if (millis.length === 0) return { count: 0 };
  const sorted = [...millis].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? sorted[middle]
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  const p90 = sorted[Math.ceil(0.9 * sorted.length) - 1] as number;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { count: sorted.length, mean: seconds(mean), median: seconds(median as number), p90: seconds(p90) };
}

const seconds = (millis: number) => Math.round(millis / 1000);
