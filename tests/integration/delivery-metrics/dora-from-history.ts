import type { DeliveryConfig } from '../../../functions/delivery-metrics/delivery-config';
import { deliveryOptionsFor } from '../../../functions/delivery-metrics/delivery-config';
import { deliveryTimeline } from '../../../functions/delivery-metrics/domain/delivery-timeline';
import type { HistoryStore } from '../../../functions/history/adapters/history-store';
import type { DoraQuery } from '../../../functions/read-api/dora-query';
import { type ScopedDoraReport, scopedReport } from '../../../functions/read-api/read-dora-metrics';

const MARGIN_MS = 7 * 86_400_000;

/**
 * The report as GET /metrics/dora computed it before rollups: every execution record that started in the
 * range plus a week either side, through the same timeline. The reference the rollups must reproduce.
 */
export async function doraFromHistory(
  store: Pick<HistoryStore, 'listPipelines' | 'executionsStartedBetween'>,
  config: DeliveryConfig,
  query: DoraQuery,
): Promise<ScopedDoraReport> {
  const from = new Date(Date.parse(query.from) - MARGIN_MS).toISOString();
  const to = new Date(Date.parse(query.to) + MARGIN_MS).toISOString();
  const pipelines = (await store.listPipelines())
    .filter((entry) => !query.pipeline || entry.pipeline === query.pipeline)
    .map(({ account, region, pipeline }) => ({ account, region, pipeline }));
  const timelines = await Promise.all(
    pipelines.map(async (ref) =>
      deliveryTimeline(
        ref.pipeline,
        await store.executionsStartedBetween(ref, from, to),
        [],
        deliveryOptionsFor(config, ref.pipeline),
      ),
    ),
  );
  // The same grouping by account and region as the API: what is compared is rollups against full records.
  return scopedReport(pipelines, timelines, query);
}
