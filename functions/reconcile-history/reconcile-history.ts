import type { HistoryStore } from '#lib/store/history-store';
import { type ReconcileDependencies, type ReconcileOutcome, reconcilePipeline } from './reconcile-pipeline';

export interface RunOutcome {
  pipelines: ReconcileOutcome[];
  repaired: number;
  deferred: number;
}

/** One scheduled run: every pipeline in the table plus the configured ones, within one repair budget. */
export async function reconcileHistory(
  deps: ReconcileDependencies & { store: HistoryStore },
  options: { now: string; maxRepairs: number; configuredPipelines: readonly string[] },
): Promise<RunOutcome> {
  const known = (await deps.store.listPipelines()).map((entry) => entry.pipeline);
  const pipelines = [...new Set([...known, ...options.configuredPipelines])].sort();
  const outcomes: ReconcileOutcome[] = [];
  let budget = options.maxRepairs;
  for (const pipeline of pipelines) {
    const outcome = await reconcilePipeline(deps, pipeline, options.now, budget);
    budget = Math.max(0, budget - outcome.repaired);
    outcomes.push(outcome);
  }
  return {
    pipelines: outcomes,
    repaired: outcomes.reduce((sum, outcome) => sum + outcome.repaired, 0),
    deferred: outcomes.reduce((sum, outcome) => sum + outcome.deferred, 0),
  };
}
