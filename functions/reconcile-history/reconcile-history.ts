import { type ReconcileDependencies, type ReconcileOutcome, reconcilePipeline } from './reconcile-pipeline';

export interface RunOutcome {
  pipelines: ReconcileOutcome[];
  /** Pipelines whose reconciliation threw; see the error log line for each. */
  failed: string[];
  repaired: number;
  deferred: number;
  /** Pipelines whose listing stopped at RECONCILE_MAX_PAGES: their checkpoint did not move. */
  truncated: string[];
}

/** One scheduled run: every pipeline in the table plus the configured ones, within one repair budget. */
export async function reconcileHistory(
  deps: ReconcileDependencies & { onPipelineFailed: (pipeline: string, error: Error) => void },
  options: { now: string; maxRepairs: number; configuredPipelines: readonly string[] },
): Promise<RunOutcome> {
  const known = (await deps.store.listPipelines()).map((entry) => entry.pipeline);
  const pipelines = [...new Set([...known, ...options.configuredPipelines])].sort();
  const outcomes: ReconcileOutcome[] = [];
  let budget = options.maxRepairs;
  const failed: string[] = [];
  for (const pipeline of pipelines) {
    try {
      const outcome = await reconcilePipeline(deps, pipeline, options.now, budget);
      budget = Math.max(0, budget - outcome.attempted);
      outcomes.push(outcome);
    } catch (error) {
      // One deleted pipeline (PipelineNotFoundException) or throttled read must not starve the others;
      // its checkpoint did not move, so the next run retries it.
      failed.push(pipeline);
      deps.onPipelineFailed(pipeline, error as Error);
    }
  }
  return {
    pipelines: outcomes,
    failed,
    truncated: outcomes.filter((outcome) => !outcome.complete).map((outcome) => outcome.pipeline),
    repaired: outcomes.reduce((sum, outcome) => sum + outcome.repaired, 0),
    deferred: outcomes.reduce((sum, outcome) => sum + outcome.deferred, 0),
  };
}
