import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, type MetricUnit } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'PipelineControlPlane';

/**
 * Logger and EMF metrics for one function. Powertools reads POWERTOOLS_SERVICE_NAME and LOG_LEVEL from the
 * environment (set in template.yaml Globals); `serviceName` is the fallback for tests and local mode.
 */
export function createObservability(serviceName: string) {
  const logger = new Logger({ serviceName });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  return { logger, metrics };
}

export type Observability = ReturnType<typeof createObservability>;

/**
 * One metric with one more dimension (Pipeline, Target) in its own EMF document, kept off the function's
 * batched counters: Powertools flushes a single metric, and clears its dimensions, on addMetric.
 */
export function addMetricWithDimension(
  metrics: Metrics,
  dimension: readonly [name: string, value: string],
  name: string,
  unit: (typeof MetricUnit)[keyof typeof MetricUnit],
  value: number,
): void {
  const single = metrics.singleMetric();
  single.addDimension(dimension[0], dimension[1]);
  single.addMetric(name, unit, value);
}
