/**
 * Public on-demand prices (us-east-1, checked 2026-12; see docs/benchmark.md for the sources), so the cost per
 * million events is computed from the units this run measured, never written by hand.
 */
export const PRICES = {
  dynamoWriteUnitUsd: 0.625 / 1e6,
  dynamoReadUnitUsd: 0.125 / 1e6,
  lambdaArmGbSecondUsd: 0.0000133334,
  lambdaRequestUsd: 0.2 / 1e6,
  logsIngestPerGbUsd: 0.5,
  xrayTraceRecordedUsd: 5 / 1e6,
  // The DevOps Monitoring Dashboard's ingest and query path.
  firehoseIngestPerGbUsd: 0.029,
  /** Firehose bills each record rounded up to 5 KB. */
  firehoseRecordIncrementBytes: 5 * 1024,
  s3PutRequestUsd: 0.005 / 1000,
  athenaPerTbScannedUsd: 5,
};

export interface PerEvent {
  writeUnits: number;
  readUnits: number;
  /** Handler time of one event (billed duration, rounded up to 1 ms by Lambda). */
  durationMs: number;
  memoryMb: number;
  logBytes: number;
  /** True when Tracing is Active: every invocation is sampled at the default rule (1/s + 5 %). */
  tracingActive: boolean;
  /** The nightly packer's units, shared out over the events of the executions it packs. */
  packingWriteUnits?: number;
  packingReadUnits?: number;
  /**
   * record-delivery-changes, the stream's function (its DynamoDB units are in writeUnits and readUnits; Lambda
   * reads a DynamoDB stream at no charge): its invocations and handler time per event, and its log bytes.
   */
  deliveryChanges?: {
    invocationsPerEvent: number;
    msPerEvent: number;
    memoryMb: number;
    logBytesPerEvent: number;
  };
}

/**
 * The cost of a million recorded events, by part. X-Ray counts the default sampling rule's 5 % beyond 1/s. The
 * packer's Lambda time (one run a day, whatever the events) is left out.
 */
export function costPerMillionEvents(perEvent: PerEvent) {
  const million = 1e6;
  const parts = {
    dynamoWrites: perEvent.writeUnits * million * PRICES.dynamoWriteUnitUsd,
    dynamoReads: perEvent.readUnits * million * PRICES.dynamoReadUnitUsd,
    dynamoPacking:
      (perEvent.packingWriteUnits ?? 0) * million * PRICES.dynamoWriteUnitUsd +
      (perEvent.packingReadUnits ?? 0) * million * PRICES.dynamoReadUnitUsd,
    lambdaCompute:
      (Math.ceil(perEvent.durationMs) / 1000) *
      (perEvent.memoryMb / 1024) *
      million *
      PRICES.lambdaArmGbSecondUsd,
    lambdaRequests: million * PRICES.lambdaRequestUsd,
    // Each invocation bills its duration rounded up to 1 ms: at most 1 ms an invocation more than measured.
    deliveryChangesCompute: perEvent.deliveryChanges
      ? ((perEvent.deliveryChanges.msPerEvent + perEvent.deliveryChanges.invocationsPerEvent) / 1000) *
        (perEvent.deliveryChanges.memoryMb / 1024) *
        million *
        PRICES.lambdaArmGbSecondUsd
      : 0,
    deliveryChangesRequests:
      (perEvent.deliveryChanges?.invocationsPerEvent ?? 0) * million * PRICES.lambdaRequestUsd,
    logs:
      (((perEvent.logBytes + (perEvent.deliveryChanges?.logBytesPerEvent ?? 0)) * million) / 1e9) *
      PRICES.logsIngestPerGbUsd,
    xray: perEvent.tracingActive
      ? 0.05 *
        million *
        (1 + (perEvent.deliveryChanges?.invocationsPerEvent ?? 0)) *
        PRICES.xrayTraceRecordedUsd
      : 0,
  };
  const round = (value: number) => Math.round(value * 1000) / 1000;
  const rounded = Object.fromEntries(Object.entries(parts).map(([name, usd]) => [name, round(usd)]));
  return { usd: round(Object.values(parts).reduce((sum, usd) => sum + usd, 0)), parts: rounded };
}

/**
 * The same million events through the AWS DevOps Monitoring Dashboard's path (EventBridge rule -> Data Firehose
 * with a Lambda transform -> S3 -> Athena -> QuickSight), from its public architecture and public prices, so the
 * recorder's figure has a reference. Modelled, not measured: the transform's batching (Firehose hands Lambda
 * up to about 3 MB or 1,000 records an invocation; 500 taken here, 100 ms at 128 MB), one S3 object per
 * minute of buffering at a steady 1 M events a month, and a query scanning every stored event (about 1 KB of
 * JSON after the transform) once. Left out: QuickSight (per user and month, not per event), Glue, S3 storage,
 * and every further dashboard refresh (each scans again: the Athena part per refresh).
 */
export function devOpsDashboardCostPerMillionEvents() {
  const million = 1e6;
  const recordsPerTransform = 500;
  const parts = {
    firehoseIngest:
      ((million * PRICES.firehoseRecordIncrementBytes) / 2 ** 30) * PRICES.firehoseIngestPerGbUsd,
    transformLambda:
      (million / recordsPerTransform) *
      (PRICES.lambdaRequestUsd + 0.1 * (128 / 1024) * PRICES.lambdaArmGbSecondUsd),
    s3Puts: 30 * 24 * 60 * PRICES.s3PutRequestUsd,
    athenaScanPerRefresh: ((million * 1024) / 2 ** 40) * PRICES.athenaPerTbScannedUsd,
  };
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    usd: round(Object.values(parts).reduce((sum, usd) => sum + usd, 0)),
    parts: Object.fromEntries(Object.entries(parts).map(([name, usd]) => [name, round(usd)])),
    note: 'Modelled from the public architecture and prices (bench/cost-model.ts), not measured; QuickSight, Glue and storage left out; Athena counted for one refresh.',
  };
}
