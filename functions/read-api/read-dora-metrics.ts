import { type DeliveryConfig, deliveryOptionsFor } from '#delivery-metrics/delivery-config';
import { type AlarmIncident, deliveryTimeline } from '#delivery-metrics/domain/delivery-timeline';
import { type DoraReport, doraReport } from '#delivery-metrics/domain/dora-report';
import type { HistoryStore } from '#history/adapters/history-store';
import type { DoraQuery } from './dora-query';

/** Alarm incidents recorded by rollback-on-alarm in a time range (a Query per month, never a Scan). */
export type IncidentSource = (from: string, to: string) => Promise<AlarmIncident[]>;

const DAY_MS = 86_400_000;
// Deployments in range may come from executions that started days earlier (a slow approval), and restores
// of failures late in the range happen after it: read this much history on either side.
const MARGIN_DAYS = 7;

/**
 * GET /metrics/dora: reads each pipeline's executions in the range plus a margin from GSI1, the incidents of
 * the same span, and computes the report with the same pure functions the recorder's metrics use.
 */
export async function readDoraMetrics(
  store: Pick<HistoryStore, 'listPipelines' | 'executionsStartedBetween'>,
  incidents: IncidentSource,
  config: DeliveryConfig,
  query: DoraQuery,
): Promise<DoraReport> {
  const readFrom = new Date(Date.parse(query.from) - MARGIN_DAYS * DAY_MS).toISOString();
  const readTo = new Date(Date.parse(query.to) + MARGIN_DAYS * DAY_MS).toISOString();
  const pipelines = query.pipeline
    ? [query.pipeline]
    : (await store.listPipelines()).map((summary) => summary.pipeline);
  const [histories, alarmIncidents] = await Promise.all([
    Promise.all(pipelines.map((pipeline) => store.executionsStartedBetween(pipeline, readFrom, readTo))),
    incidents(readFrom, readTo),
  ]);
  const timelines = pipelines.map((pipeline, index) =>
    deliveryTimeline(pipeline, histories[index] ?? [], alarmIncidents, deliveryOptionsFor(config, pipeline)),
  );
  return doraReport(timelines, query);
}
