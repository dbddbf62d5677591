import type { RecorderDependencies } from '../../functions/record-execution/record-event';

/** Recorder dependencies for tests that do not look at delivery metrics: last-stage default, nothing emitted. */
export const ignoredDeliveryMetrics: Pick<RecorderDependencies, 'deliveryOptions' | 'emitDeliveryMetrics'> = {
  deliveryOptions: () => ({ failureWindowMs: 24 * 3_600_000 }),
  emitDeliveryMetrics: () => {},
};
