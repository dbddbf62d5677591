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
}

/** The cost of a million recorded events, by part. X-Ray counts the default sampling rule's 5 % beyond 1/s. */
export function costPerMillionEvents(perEvent: PerEvent) {
  const million = 1e6;
  const parts = {
    dynamoWrites: perEvent.writeUnits * million * PRICES.dynamoWriteUnitUsd,
    dynamoReads: perEvent.readUnits * million * PRICES.dynamoReadUnitUsd,
    lambdaCompute:
      (Math.ceil(perEvent.durationMs) / 1000) *
      (perEvent.memoryMb / 1024) *
      million *
      PRICES.lambdaArmGbSecondUsd,
    lambdaRequests: million * PRICES.lambdaRequestUsd,
    logs: ((perEvent.logBytes * million) / 1e9) * PRICES.logsIngestPerGbUsd,
    xray: perEvent.tracingActive ? 0.05 * million * PRICES.xrayTraceRecordedUsd : 0,
  };
  const round = (value: number) => Math.round(value * 1000) / 1000;
  const rounded = Object.fromEntries(Object.entries(parts).map(([name, usd]) => [name, round(usd)]));
  return { usd: round(Object.values(parts).reduce((sum, usd) => sum + usd, 0)), parts: rounded };
}
