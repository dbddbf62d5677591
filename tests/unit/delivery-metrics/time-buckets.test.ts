import { describe, expect, it } from 'vitest';
import { bucketStart, bucketStarts } from '../../../functions/delivery-metrics/domain/time-buckets';

describe('time buckets', () => {
  it('starts a day at 00:00 UTC', () => {
    expect(bucketStart('2026-11-18T23:59:59.999Z', 'day')).toBe('2026-11-18T00:00:00.000Z');
  });

  it('starts an ISO week on Monday, including for a Sunday', () => {
    expect(bucketStart('2026-11-18T10:00:00Z', 'week')).toBe('2026-11-16T00:00:00.000Z'); // Wednesday
    expect(bucketStart('2026-11-22T23:00:00Z', 'week')).toBe('2026-11-16T00:00:00.000Z'); // Sunday
    expect(bucketStart('2026-11-23T00:00:00Z', 'week')).toBe('2026-11-23T00:00:00.000Z'); // Monday
  });

  it('lists every bucket in a range, empty ones too, with `to` exclusive', () => {
    expect(bucketStarts('2026-11-16T12:00:00Z', '2026-11-19T00:00:00Z', 'day')).toEqual([
      '2026-11-16T00:00:00.000Z',
      '2026-11-17T00:00:00.000Z',
      '2026-11-18T00:00:00.000Z',
    ]);
    expect(bucketStarts('2026-11-18T00:00:00Z', '2026-11-30T00:00:00Z', 'week')).toEqual([
      '2026-11-16T00:00:00.000Z',
      '2026-11-23T00:00:00.000Z',
    ]);
  });
});

describe('time buckets at the end of a range', () => {
  it('lists a bucket that starts in the last millisecond before `to`, and none that starts at `to`', () => {
    expect(bucketStarts('2026-11-16T00:00:00Z', '2026-11-17T00:00:00.001Z', 'day')).toEqual([
      '2026-11-16T00:00:00.000Z',
      '2026-11-17T00:00:00.000Z',
    ]);
    expect(bucketStarts('2026-11-16T00:00:00Z', '2026-11-17T00:00:00.000Z', 'day')).toEqual([
      '2026-11-16T00:00:00.000Z',
    ]);
  });
});
