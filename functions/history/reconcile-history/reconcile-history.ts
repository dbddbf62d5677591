import type { Scope } from '#history/adapters/history-store';
import { type ReconcileDependencies, type ReconcileOutcome, reconcilePipeline } from './reconcile-pipeline';

/** A pipeline to reconcile, where it lives. */
interface KnownPipeline extends Scope {
  pipeline: string;
}

export interface RunOutcome {
  pipelines: ReconcileOutcome[];
  /** Pipelines whose reconciliation threw; see the error log line for each. */
  failed: string[];
  /** Pipelines CodePipeline no longer knows (PipelineNotFoundException): not failures, skipped from now on. */
  gone: string[];
  repaired: number;
  deferred: number;
  /** Pipelines whose listing stopped at RECONCILE_MAX_PAGES: their checkpoint did not move. */
  truncated: string[];
  /** Pipelines this run had no time left for (the next run starts elsewhere in the list). */
  notReached: string[];
}

/** Time kept for one pipeline and the run's own reporting: below it, the run stops cleanly. */
export const STOP_WHEN_REMAINING_MS = 30_000;

/** One scheduled run: every pipeline in the table plus the configured ones, within one repair budget. */
export async function reconcileHistory(
  deps: ReconcileDependencies & {
    onPipelineFailed: (pipeline: string, error: Error) => void;
    /** Called once per deleted catalog pipeline (when it is marked), and every run for a configured one. */
    onPipelineGone?: (pipeline: string, marked: boolean) => void;
    /** Reads of another account or region (the client factory's scope); absent: the hub's only. */
    clientsFor?: (scope: Scope) => Pick<ReconcileDependencies, 'pipelines' | 'deployments'>;
  },
  options: {
    now: string;
    maxRepairs: number;
    configuredPipelines: readonly string[];
    /** The Lambda's remaining time; absent: no limit (tests, local mode). */
    remainingTimeMs?: () => number;
  },
): Promise<RunOutcome> {
  const catalog = await deps.store.listPipelines();
  const hub: Scope = { account: deps.account ?? deps.store.hub.account, region: deps.region };
  const identity = (entry: KnownPipeline) => `${entry.account}#${entry.region}#${entry.pipeline}`;
  const deleted = new Set(catalog.filter((entry) => entry.deletedAt).map(identity));
  const known = new Map<string, KnownPipeline>();
  // Other accounts' and regions' pipelines only when clients can reach them.
  for (const entry of catalog) {
    // Pipelines of other CI systems (account `github`, `ci`) have no AWS API to reconcile against.
    if (!isAwsAccount(entry.account)) continue;
    const isHub = entry.account === hub.account && entry.region === hub.region;
    if (isHub || deps.clientsFor) {
      known.set(identity(entry), { account: entry.account, region: entry.region, pipeline: entry.pipeline });
    }
  }
  for (const pipeline of options.configuredPipelines)
    known.set(identity({ ...hub, pipeline }), { ...hub, pipeline });
  // Rotated over every account and region together, so the budget and the run's time reach each in turn.
  const ordered = rotate([...known.keys()].filter((key) => !deleted.has(key)).sort(), options.now).map(
    (key) => known.get(key) as KnownPipeline,
  );
  const outcomes: ReconcileOutcome[] = [];
  let budget = options.maxRepairs;
  const failed: string[] = [];
  const gone: string[] = [];
  const notReached: string[] = [];
  for (const entry of ordered) {
    const { pipeline } = entry;
    if (options.remainingTimeMs && options.remainingTimeMs() < STOP_WHEN_REMAINING_MS) {
      notReached.push(pipeline);
      continue;
    }
    const isHub = entry.account === hub.account && entry.region === hub.region;
    const scoped =
      isHub || !deps.clientsFor
        ? deps
        : { ...deps, ...deps.clientsFor(entry), account: entry.account, region: entry.region };
    try {
      const outcome = await reconcilePipeline(scoped, pipeline, options.now, budget);
      budget = Math.max(0, budget - outcome.attempted);
      outcomes.push(outcome);
    } catch (error) {
      // Deleted: marked in the catalog so later runs skip it (a new execution under the same name clears
      // the mark). Not a failure, or FailedPipelines would never return to 0.
      const problem = await markIfDeleted(deps, entry, error as Error, options.now);
      if (!problem) {
        gone.push(pipeline);
        continue;
      }
      // One throttled read must not starve the others; its checkpoint did not move, so the next run retries.
      failed.push(pipeline);
      deps.onPipelineFailed(pipeline, problem);
    }
  }
  return {
    pipelines: outcomes,
    failed,
    gone,
    truncated: outcomes.filter((outcome) => !outcome.complete).map((outcome) => outcome.pipeline),
    notReached,
    repaired: outcomes.reduce((sum, outcome) => sum + outcome.repaired, 0),
    deferred: outcomes.reduce((sum, outcome) => sum + outcome.deferred, 0),
  };
}

/** Undefined when the pipeline no longer exists and is now marked (or not in the catalog); else the error. */
async function markIfDeleted(
  deps: Parameters<typeof reconcileHistory>[0],
  entry: KnownPipeline,
  error: Error,
  now: string,
): Promise<Error | undefined> {
  if (error.name !== 'PipelineNotFoundException') return error;
  try {
    const marked = await deps.store.markPipelineDeleted(entry, now);
    deps.onPipelineGone?.(entry.pipeline, marked);
    return undefined;
  } catch (markError) {
    return markError as Error;
  }
}

/**
 * The pipelines in a different order each run (rotated by the run's minute): the repair budget and the run's
 * time go first to different pipelines, so none is starved by the same early ones every run.
 */
export function rotate(pipelines: readonly string[], now: string): string[] {
  if (pipelines.length === 0) return [];
  const start = Math.floor(Date.parse(now) / 60_000) % pipelines.length;
  return [...pipelines.slice(start), ...pipelines.slice(0, start)];
}

function isAwsAccount(account: string): boolean {
  return /^\d{12}$/.test(account);
}
