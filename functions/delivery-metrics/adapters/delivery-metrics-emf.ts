import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DeliveryMetric } from '#delivery-metrics/domain/delivery-metrics';
import { type HubScope, hubScopeFromEnvironment } from '#platform/hub-scope';
import { addMetricWithDimensions } from '#platform/observability';

/** The pipeline a metric is about; a record made before account and region were recorded is the hub's. */
export interface MeteredPipeline {
  account?: string;
  region?: string;
  pipeline: string;
}

/**
 * EMF metrics with Account, Region and Pipeline dimensions, which the DORA dashboard graphs: a pipeline is its
 * account, region and name, so two accounts' same-named pipelines are two series, never one.
 */
export function emitDeliveryMetricsTo(metrics: Metrics, hub: HubScope = hubScopeFromEnvironment()) {
  return (where: MeteredPipeline, delivery: readonly DeliveryMetric[]): void => {
    const dimensions = {
      Account: where.account ?? hub.account,
      Region: where.region ?? hub.region,
      Pipeline: where.pipeline,
    };
    for (const metric of delivery) {
      addMetricWithDimensions(metrics, dimensions, metric.name, MetricUnit[metric.unit], metric.value);
    }
  };
}
