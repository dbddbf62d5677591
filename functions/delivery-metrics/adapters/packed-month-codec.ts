import { gunzipSync, gzipSync } from 'node:zlib';
import type { PackedMonth } from '#delivery-metrics/domain/packed-facts';
import { canonicalJson } from '#history/domain/status-register';

/**
 * A packed month is stored as gzipped JSON in one binary attribute: read units are bytes, and a month's facts
 * repeat the same few keys and similar times, which JSON with gzip shrinks several times over. Node's own zlib:
 * nothing added to the bundles.
 */
export function encodePackedMonth(month: PackedMonth): Uint8Array {
  // Keys in one order: the same month always packs to the same bytes.
  return gzipSync(canonicalJson(month), { level: 9 });
}

export function decodePackedMonth(bytes: Uint8Array): PackedMonth {
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as PackedMonth;
}
