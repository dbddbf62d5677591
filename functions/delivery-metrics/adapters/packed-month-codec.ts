import { gunzipSync, gzipSync } from 'node:zlib';
import type { PackedMonth } from '#delivery-metrics/domain/packed-facts';

/**
 * A packed month is stored as gzipped JSON in one binary attribute: read units are bytes, and a month's facts
 * repeat the same few keys and similar times, which JSON with gzip shrinks to about a fifth. Node's own zlib:
 * nothing added to the bundles.
 */
export function encodePackedMonth(month: PackedMonth): Uint8Array {
  return gzipSync(JSON.stringify(month), { level: 9 });
}

export function decodePackedMonth(bytes: Uint8Array): PackedMonth {
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as PackedMonth;
}
