import type { DeliveryConfig } from '../../../functions/delivery-metrics/delivery-config';
import { deliveryOptionsFor } from '../../../functions/delivery-metrics/delivery-config';
import { deliveryTimeline } from '../../../functions/delivery-metrics/domain/delivery-timeline';
import { type DoraReport, doraReport } from '../../../functions/delivery-metrics/domain/dora-report';
import type { HistoryStore } from '../../../functions/history/adapters/history-store';
import type { DoraQuery } from '../../../functions/read-api/dora-query';

const MARGIN_MS = 7 * 86_400_000;

/**
 * The report as GET /metrics/dora computed it before rollups: every execution record that started in the
 * range plus a week either side, through the same timeline. The reference the rollups must reproduce.
 */
export async function doraFromHistory(
  store: Pick<HistoryStore, 'listPipelines' | 'executionsStartedBetween'>,
  config: DeliveryConfig,
  query: DoraQuery,
): Promise<DoraReport> {
  const from = new Date(Date.parse(query.from) - MARGIN_MS).toISOString();
  const to = new Date(Date.parse(query.to) + MARGIN_MS).toISOString();
  const pipelines = query.pipeline ? [query.pipeline] : (await store.listPipelines()).map((p) => p.pipeline);
  const timelines = await Promise.all(
    pipelines.map(async (pipeline) =>
      deliveryTimeline(
        pipeline,
        await store.executionsStartedBetween(pipeline, from, to),
        [],
        deliveryOptionsFor(config, pipeline),
      ),
    ),
  );
  return doraReport(timelines, query);
}
