import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DeliveryMetric } from '#delivery-metrics/domain/delivery-metrics';
import { addMetricWithDimension } from '#platform/observability';

/** EMF metrics with a Pipeline dimension, which the DORA dashboard graphs. */
export function emitDeliveryMetricsTo(metrics: Metrics) {
  return (pipeline: string, delivery: readonly DeliveryMetric[]): void => {
    for (const metric of delivery) {
      addMetricWithDimension(
        metrics,
        ['Pipeline', pipeline],
        metric.name,
        MetricUnit[metric.unit],
        metric.value,
      );
    }
  };
}
