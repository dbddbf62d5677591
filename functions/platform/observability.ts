import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, type MetricUnit } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'PipelineControlPlane';

/**
 * Powertools warns on every invocation that ends without a metric, and most of ours (a duplicate event, a
 * read) rightly count nothing: that warning is noise in the logs and the test output, so it is dropped and
 * every other Metrics warning still reaches the function's logger.
 */
const EMPTY_METRICS_WARNING = /^No application metrics to publish/;

function metricsWarnings(logger: Logger) {
  // Metrics passes each warning as one string.
  const text = (content: unknown[]) => content.map(String).join(' ');
  return {
    trace: (...content: unknown[]) => logger.trace(text(content)),
    debug: (...content: unknown[]) => logger.debug(text(content)),
    info: (...content: unknown[]) => logger.info(text(content)),
    warn: (...content: unknown[]) => {
      if (!EMPTY_METRICS_WARNING.test(text(content))) logger.warn(text(content));
    },
    error: (...content: unknown[]) => logger.error(text(content)),
  };
}

/**
 * Logger and EMF metrics for one function. Powertools reads POWERTOOLS_SERVICE_NAME and LOG_LEVEL from the
 * environment (set in template.yaml Globals); `serviceName` is the fallback for tests and local mode.
 */
export function createObservability(serviceName: string) {
  const logger = new Logger({ serviceName });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName, logger: metricsWarnings(logger) });
  return { logger, metrics };
}

export type Observability = ReturnType<typeof createObservability>;

/**
 * One metric with one more dimension (Pipeline, Target) in its own EMF document, kept off the function's
 * batched counters: Powertools flushes a single metric, and clears its dimensions, on addMetric.
 */
export function addMetricWithDimensions(
  metrics: Metrics,
  dimensions: Readonly<Record<string, string>>,
  name: string,
  unit: (typeof MetricUnit)[keyof typeof MetricUnit],
  value: number,
): void {
  const single = metrics.singleMetric();
  for (const [dimension, dimensionValue] of Object.entries(dimensions))
    single.addDimension(dimension, dimensionValue);
  single.addMetric(name, unit, value);
}
