import type { RecorderDependencies } from '../../functions/history/record-execution/record-event';

/** Recorder dependencies for tests that do not look at delivery metrics: last-stage default, nothing emitted. */
export const ignoredDeliveryMetrics: Pick<
  RecorderDependencies,
  'deliveryOptions' | 'emitDeliveryMetrics' | 'deliveryFacts'
> = {
  deliveryOptions: () => ({ failureWindowMs: 24 * 3_600_000 }),
  emitDeliveryMetrics: () => {},
  deliveryFacts: { write: async () => {}, factsBetween: async () => [] },
};

/** A GetPipelineExecution that always names one Source revision (after `delayMs`, like a real call). */
export function fixedExecutionDetails(delayMs = 0): RecorderDependencies['fetchExecutionDetails'] {
  return async (pipeline, executionId, at) => {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    return {
      kind: 'details',
      pipeline,
      executionId,
      at,
      sourceRevisions: [{ actionName: 'Source', revisionId: 'abc' }],
    };
  };
}
