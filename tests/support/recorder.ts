import type { RecorderDependencies } from '../../functions/history/record-execution/record-event';

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
