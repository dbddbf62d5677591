import type { ExecutionRecord } from '#history/domain/execution-record';
import type { ExecutionChangeListener } from '#history/ports';
import { type DeliveryMetric, deliveryMetricsFor, mayChangeDeliveryMetrics } from './domain/delivery-metrics';
import type { DeliveryOptions } from './domain/delivery-timeline';

// Enough history to find the deployment a failure follows and the failure a success restores.
const RECENT_EXECUTIONS = 25;

export interface DeliveryMetricsDependencies {
  /** The pipeline's newest executions, newest first. */
  recentExecutions: (pipeline: string, limit: number) => Promise<ExecutionRecord[]>;
  deliveryOptions: (pipeline: string) => DeliveryOptions;
  /** EMF metrics with a Pipeline dimension (DORA dashboard). */
  emit: (pipeline: string, metrics: DeliveryMetric[]) => void;
  warn: (message: string, context: Record<string, unknown>) => void;
}

/**
 * The delivery metrics a changed execution adds (a deployment, a change failure, a restore), emitted as it
 * is recorded. A failed read only costs a metric (logged), never a retry of the event, which would find
 * nothing changed and emit nothing anyway.
 */
export function emitDeliveryMetrics(deps: DeliveryMetricsDependencies): ExecutionChangeListener {
  return async (previous, next) => {
    const options = deps.deliveryOptions(next.pipeline);
    if (!mayChangeDeliveryMetrics(previous, next, options.productionStage)) return;
    try {
      const items = await deps.recentExecutions(next.pipeline, RECENT_EXECUTIONS);
      const metrics = deliveryMetricsFor(previous, next, items, options);
      if (metrics.length) deps.emit(next.pipeline, metrics);
    } catch (error) {
      deps.warn('Delivery metrics skipped: recent executions could not be read', {
        pipeline: next.pipeline,
        executionId: next.executionId,
        error: (error as Error).name,
        reason: (error as Error).message,
      });
    }
  };
}
