import {
  type DeliveryMetric,
  deliveryMetricsFor,
  mayChangeDeliveryMetrics,
} from '#delivery-metrics/domain/delivery-metrics';
import type { DeliveryOptions } from '#delivery-metrics/domain/delivery-timeline';
import { factWriteFor } from '#delivery-metrics/domain/fact-write';
import { lastDeclaredStage, type PipelineStructure } from '#delivery-metrics/domain/pipeline-structure';
import type { DeliveryFactsStore, PipelineStructureSource } from '#delivery-metrics/ports';
import type { PipelineRef } from '#history/adapters/history-keys';
import type { ExecutionRecord } from '#history/domain/execution-record';
import type { ExecutionChange, ExecutionChangeListener } from '#history/ports';

export interface DeliveryChangeDependencies {
  /** The pipeline's newest executions (the recorder's and the reconciler's history store). */
  store: {
    listExecutions: (
      pipeline: PipelineRef,
      query: { limit: number },
    ) => Promise<{ items: ExecutionRecord[] }>;
  };
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
}

// Enough history to find the deployment a failure follows and the failure a success restores.
const RECENT_EXECUTIONS = 25;

/**
 * What one written change of an execution (an event, or a repair by the reconciler) adds to the delivery
 * metrics: the dashboard's EMF metrics, then the execution's DORA fact in the rollups.
 *
 * Metrics come first and never throw: they come from this write alone, and a retry would find the execution
 * unchanged and emit nothing. The fact write may throw (Lambda retries the event); the retry finds the
 * execution unchanged (`changed: false`), and an unchanged write rewrites the fact, which is idempotent.
 */
export async function recordDeliveryChange(
  deps: DeliveryChangeDependencies,
  change: ExecutionChange,
): Promise<void> {
  const options = withStructure(
    deps.deliveryOptions(change.record.pipeline),
    await structureOf(deps, change.record),
  );
  if (change.changed) await emitDeliveryMetrics(deps, options, change.previous, change.record);
  const write = factWriteFor(change.previous, change.record, options, !change.changed);
  if (write) await deps.deliveryFacts.write(write);
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

/** A failed read only costs a metric (logged), never a retry of the whole event. */
async function emitDeliveryMetrics(
  deps: DeliveryChangeDependencies,
  options: DeliveryOptions,
  previous: ExecutionRecord | undefined,
  next: ExecutionRecord,
): Promise<void> {
  if (!mayChangeDeliveryMetrics(previous, next, options.productionStage)) return;
  try {
    // The same pipeline's executions: a same-named pipeline of another account or region is another pipeline.
    const pipeline: PipelineRef =
      next.account && next.region
        ? { account: next.account, region: next.region, pipeline: next.pipeline }
        : next.pipeline;
    const { items } = await deps.store.listExecutions(pipeline, { limit: RECENT_EXECUTIONS });
    const metrics = deliveryMetricsFor(previous, next, items, options);
    if (metrics.length) {
      deps.emitDeliveryMetrics(
        { account: next.account, region: next.region, pipeline: next.pipeline },
        metrics,
      );
    }
  } catch (error) {
    deps.warn('Delivery metrics skipped: recent executions could not be read', {
      pipeline: next.pipeline,
      executionId: next.executionId,
      error: (error as Error).name,
      reason: (error as Error).message,
    });
  }
}

/** The recorder's and the reconciler's listener: delivery metrics for every execution write. */
export function deliveryChangeListener(deps: DeliveryChangeDependencies): ExecutionChangeListener {
  return (change) => recordDeliveryChange(deps, change);
}
