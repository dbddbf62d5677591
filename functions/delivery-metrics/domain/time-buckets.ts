export type Bucket = 'day' | 'week';

const DAY_MS = 86_400_000;

/** Start of the UTC day, or of the ISO week (Monday 00:00 UTC), that `at` falls in. */
export function bucketStart(at: string, bucket: Bucket): string {
  const day = Math.floor(Date.parse(at) / DAY_MS) * DAY_MS;
  if (bucket === 'day') return new Date(day).toISOString();
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return new Date(day - weekday * DAY_MS).toISOString();
}

/** Every bucket start from the one holding `from` up to the one holding `to` (exclusive), so empty days show. */
export function bucketStarts(from: string, to: string, bucket: Bucket): string[] {
  const step = bucket === 'day' ? DAY_MS : 7 * DAY_MS;
  const last = Date.parse(to) - 1;
  const starts: string[] = [];
  for (let at = Date.parse(bucketStart(from, bucket)); at <= last; at += step) {
    starts.push(new Date(at).toISOString());
  }
  return starts;
}
