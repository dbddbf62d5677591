import { type DeliveryConfig, deliveryOptionsFor } from '#delivery-metrics/delivery-config';
import { type AlarmIncident, deliveryTimeline } from '#delivery-metrics/domain/delivery-timeline';
import { type DoraReport, doraReport } from '#delivery-metrics/domain/dora-report';
import { factDay, recordOfFact } from '#delivery-metrics/domain/execution-fact';
import type { DeliveryFactsStore, StoredFact } from '#delivery-metrics/ports';
import type { HistoryStore } from '#history/adapters/history-store';
import type { DoraQuery } from './dora-query';

/** Alarm incidents recorded by rollback-on-alarm in a time range (a Query per month, never a Scan). */
export type IncidentSource = (from: string, to: string) => Promise<AlarmIncident[]>;

const DAY_MS = 86_400_000;
// Deployments in range may come from executions that started days earlier (a slow approval), and restores
// of failures late in the range happen after it: read this much history on either side.
const MARGIN_DAYS = 7;

/**
 * GET /metrics/dora: reads each pipeline's DORA rollups (one small item per day, never the executions
 * themselves) for the range plus a margin, the incidents of the same span, and computes the report with the
 * same pure timeline the recorder's metrics use. The pipelines come from the history's catalog.
 */
export async function readDoraMetrics(
  readers: { history: Pick<HistoryStore, 'listPipelines'>; facts: Pick<DeliveryFactsStore, 'factsBetween'> },
  incidents: IncidentSource,
  config: DeliveryConfig,
  query: DoraQuery,
): Promise<DoraReport> {
  const readFrom = Date.parse(query.from) - MARGIN_DAYS * DAY_MS;
  const readTo = Date.parse(query.to) + MARGIN_DAYS * DAY_MS;
  const pipelines = query.pipeline
    ? [query.pipeline]
    : (await readers.history.listPipelines()).map((summary) => summary.pipeline);
  const [facts, alarmIncidents] = await Promise.all([
    Promise.all(
      pipelines.map((pipeline) =>
        readers.facts.factsBetween(pipeline, factDay({ s: readFrom }), factDay({ s: readTo })),
      ),
    ),
    incidents(new Date(readFrom).toISOString(), new Date(readTo).toISOString()),
  ]);
  const timelines = pipelines.map((pipeline, index) => {
    // Whole days are read; the executions counted are those that started in the span, as before rollups.
    const executions = newestPerExecution(facts[index] ?? [])
      .filter(({ fact }) => fact.s >= readFrom && fact.s <= readTo)
      .map(({ executionId, fact }) => recordOfFact(pipeline, executionId, fact));
    return deliveryTimeline(pipeline, executions, alarmIncidents, deliveryOptionsFor(config, pipeline));
  });
  return doraReport(timelines, query);
}

/** An execution whose start moved to another day may briefly have a fact on both: the newer one counts. */
function newestPerExecution(facts: readonly StoredFact[]): StoredFact[] {
  const newest = new Map<string, StoredFact>();
  for (const stored of facts) {
    const seen = newest.get(stored.executionId);
    if (!seen || stored.fact.v > seen.fact.v) newest.set(stored.executionId, stored);
  }
  return [...newest.values()];
}
