import {
  type DeliveryMetric,
  deliveryMetricsFor,
  mayChangeDeliveryMetrics,
} from '#delivery-metrics/domain/delivery-metrics';
import type { DeliveryOptions } from '#delivery-metrics/domain/delivery-timeline';
import {
  type ExecutionFact,
  executionFactOf,
  readsAsNothing,
  recordOfFact,
} from '#delivery-metrics/domain/execution-fact';
import { factWriteOf } from '#delivery-metrics/domain/fact-write';
import { lastDeclaredStage, type PipelineStructure } from '#delivery-metrics/domain/pipeline-structure';
import type { DeliveryFactsStore, PipelineStructureSource } from '#delivery-metrics/ports';
import type { ExecutionRecord } from '#history/domain/execution-record';

export interface DeliveryChangeDependencies {
  deliveryFacts: DeliveryFactsStore;
  /** The configured options (`ProductionStages`, the failure window). */
  deliveryOptions: (pipeline: string) => DeliveryOptions;
  /**
   * The pipeline's declaration (GetPipeline, cached per version): its last stage is the production stage when
   * none is configured, and its execution mode says whether executions run side by side. Absent (tests, tools):
   * the production stage is inferred from executions.
   */
  pipelineStructure?: PipelineStructureSource;
  /** EMF metrics with a Pipeline dimension (DORA dashboard). */
  emitDeliveryMetrics: (
    where: { account?: string; region?: string; pipeline: string },
    metrics: DeliveryMetric[],
  ) => void;
  warn: (message: string, context: Record<string, unknown>) => void;
  /** Epoch milliseconds now (the end of the recent facts' window). */
  now?: () => number;
}

// Enough history to find the deployment a failure follows and the failure a success restores: the newest
// executions accounted for, from the facts of the last weeks (a fact item's whole life) and of the months packed.
const RECENT_EXECUTIONS = 25;
const RECENT_DAYS = 35;
const DAY_MS = 86_400_000;

/** What the history's stream says of one execution: how it is now, and how it was before the changes. */
export interface DeliveryChange {
  record: ExecutionRecord;
  /** Before the changes, as far as the stream tells (only the day its fact is filed under is read off it). */
  before?: ExecutionRecord;
}

/**
 * What a change of an execution (events, a repair by the reconciler, a CI system's report) adds to the
 * delivery metrics: the execution's DORA fact in the rollups, then the dashboard's EMF metrics.
 *
 * The metrics are the difference from the fact written last, not from the execution before the changes: the
 * execution is read as it is now, which may already hold changes the stream has yet to deliver, and those must
 * count once, when they are first read, not again when their own stream records arrive. The facts written for
 * an execution are its states as read, one after another (its stream records come in order, one batch at a
 * time), so each difference counts once. A fact write that fails throws (the batch is retried and finds the
 * old fact still there); a crash between the write and the metrics' flush loses those metrics, never doubles
 * them.
 */
export async function recordDeliveryChange(
  deps: DeliveryChangeDependencies,
  change: DeliveryChange,
): Promise<void> {
  const { record } = change;
  const options = withStructure(deps.deliveryOptions(record.pipeline), await structureOf(deps, record));
  const fact = executionFactOf(record, options);
  const before = change.before && executionFactOf(change.before, options);
  // A fact that reads as nothing is not stored (nor counted: it adds no metric); a stage result, the end or a
  // deployment brings the execution's first. One never stored is never moved from a day either.
  const storedBefore = before && !readsAsNothing(before) ? before : undefined;
  if (readsAsNothing(fact) && !storedBefore) return;
  const write = factWriteOf(record, fact, storedBefore);
  // No write when the batch changed nothing the fact holds but its version stamp (most stage results of a
  // pipeline whose production stage is known): what the fact says is what was counted. Only a batch whose
  // changes go somewhere and back (X, then Y, then X again) could hide a difference this way.
  const unchanged =
    storedBefore !== undefined && write.leavesDay === undefined && sameExceptVersion(storedBefore, fact);
  if (unchanged) return;
  const stored = await deps.deliveryFacts.write(write);
  // A fact from a newer read is stored: that read's metrics already hold this one's.
  if (!stored.applied) return;
  await emitDeliveryMetrics(deps, options, stored.previous, fact, record);
}

/** The configured production stage wins; else the declared last stage. The mode is always the declared one. */
function withStructure(
  configured: DeliveryOptions,
  structure: PipelineStructure | undefined,
): DeliveryOptions {
  const productionStage = configured.productionStage ?? lastDeclaredStage(structure);
  return {
    ...configured,
    ...(productionStage ? { productionStage } : {}),
    ...(structure ? { executionMode: structure.executionMode } : {}),
  };
}

/**
 * The declaration of the execution's pipeline version, in the pipeline's own account and region. A failed read
 * costs precision, never the event: the stage is then inferred from executions, as before the declaration was
 * read, and a later event of the pipeline asks again.
 */
async function structureOf(
  deps: DeliveryChangeDependencies,
  record: ExecutionRecord,
): Promise<PipelineStructure | undefined> {
  if (!deps.pipelineStructure) return undefined;
  const { account, region, pipeline } = record;
  try {
    return await deps.pipelineStructure.structureOf({ account, region, pipeline }, record.pipelineVersion);
  } catch (error) {
    deps.warn('Pipeline structure unreadable: production stage inferred from executions', {
      pipeline,
      account,
      region,
      error: (error as Error).name,
      reason: (error as Error).message,
    });
    return undefined;
  }
}

/** A failed read only costs a metric (logged), never a retry of the whole batch. */
async function emitDeliveryMetrics(
  deps: DeliveryChangeDependencies,
  options: DeliveryOptions,
  previousFact: ExecutionFact | undefined,
  fact: ExecutionFact,
  next: ExecutionRecord,
): Promise<void> {
  if (previousFact && sameExceptVersion(previousFact, fact)) return;
  // The execution as the metrics last saw it, in the form its fact keeps (what the delivery timeline reads).
  const previous = previousFact && recordOfFact(next.pipeline, next.executionId, previousFact);
  const asNow = recordOfFact(next.pipeline, next.executionId, fact);
  if (!mayChangeDeliveryMetrics(previous, asNow, options.productionStage)) return;
  try {
    const items = await recentAccounted(deps, next);
    const metrics = deliveryMetricsFor(previous, next, items, options);
    if (metrics.length) {
      deps.emitDeliveryMetrics(
        { account: next.account, region: next.region, pipeline: next.pipeline },
        metrics,
      );
    }
  } catch (error) {
    deps.warn("Delivery metrics skipped: the pipeline's recent facts could not be read", {
      pipeline: next.pipeline,
      executionId: next.executionId,
      error: (error as Error).name,
      reason: (error as Error).message,
    });
  }
}

/**
 * The pipeline's newest executions as the metrics have accounted for them: their facts, not their records. A
 * record read now may hold changes whose own stream records are still to come; counting a failure against a
 * deployment seen that way would count it again when those records arrive. Facts change one write at a time,
 * each counted once. A same-named pipeline of another account or region is another pipeline.
 */
async function recentAccounted(deps: DeliveryChangeDependencies, next: ExecutionRecord) {
  const start = Date.parse(next.startTime ?? next.firstEventAt);
  const day = (millis: number) => new Date(millis).toISOString().slice(0, 10);
  // From a few weeks before this execution to now (or its start, on a clock behind it).
  const facts = await deps.deliveryFacts.factsBetween(
    { account: next.account ?? '', region: next.region ?? '', pipeline: next.pipeline },
    day(start - RECENT_DAYS * DAY_MS),
    day(Math.max(start, deps.now?.() ?? Date.now()) + DAY_MS),
  );
  return facts
    .sort((a, b) => b.fact.s - a.fact.s)
    .slice(0, RECENT_EXECUTIONS)
    .map(({ executionId, fact }) => ({
      ...recordOfFact(next.pipeline, executionId, fact),
      ...(next.account && next.region ? { account: next.account, region: next.region } : {}),
    }));
}

/** Two facts of one execution that differ at most in their version stamp (the record's last event time). */
function sameExceptVersion(a: ExecutionFact, b: ExecutionFact): boolean {
  return JSON.stringify({ ...a, v: 0 }) === JSON.stringify({ ...b, v: 0 });
}
