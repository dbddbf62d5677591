import { type DeliveryConfig, deliveryOptionsFor } from '#delivery-metrics/delivery-config';
import {
  type AlarmIncident,
  type DeliveryTimeline,
  deliveryTimeline,
} from '#delivery-metrics/domain/delivery-timeline';
import { type DoraReport, type DoraSummary, doraReport } from '#delivery-metrics/domain/dora-report';
import { factDay, recordOfFact } from '#delivery-metrics/domain/execution-fact';
import type { DeliveryFactsStore, PipelineIdentity } from '#delivery-metrics/ports';
import type { HistoryStore } from '#history/adapters/history-store';
import type { DoraQuery } from './dora-query';

/** Alarm incidents recorded by rollback-on-alarm in a time range (a Query per month, never a Scan). */
export type IncidentSource = (from: string, to: string) => Promise<AlarmIncident[]>;

type PipelineReport = DoraReport['pipelines'][number];

/** The report with every pipeline named by account and region, and the same figures per account. */
export interface ScopedDoraReport extends Omit<DoraReport, 'pipelines'> {
  pipelines: (PipelineReport & { account: string; region: string })[];
  accounts: (DoraSummary & { account: string; pipelines: number; series: DoraReport['overall']['series'] })[];
}

const DAY_MS = 86_400_000;
// Deployments in range may come from executions that started days earlier (a slow approval), and restores
// of failures late in the range happen after it: read this much history on either side.
const MARGIN_DAYS = 7;

/**
 * GET /metrics/dora: reads each pipeline's DORA rollups (a packed item per month and the last few weeks'
 * single facts, never the executions themselves) for the range plus a margin, the incidents of the same span, and computes the report with the
 * same pure timeline the recorder's metrics use. The pipelines come from the history's catalog, narrowed by
 * the query's pipeline, account and region.
 */
export async function readDoraMetrics(
  readers: {
    history: Pick<HistoryStore, 'listPipelines' | 'hub'>;
    facts: Pick<DeliveryFactsStore, 'factsBetween'>;
  },
  incidents: IncidentSource,
  config: DeliveryConfig,
  query: DoraQuery,
): Promise<ScopedDoraReport> {
  const readFrom = Date.parse(query.from) - MARGIN_DAYS * DAY_MS;
  const readTo = Date.parse(query.to) + MARGIN_DAYS * DAY_MS;
  // One pipeline named in full needs no catalog read (a partition that grows with the organisation).
  const pipelines =
    query.pipeline && query.account && query.region
      ? [{ account: query.account, region: query.region, pipeline: query.pipeline }]
      : pipelinesOf(query, await readers.history.listPipelines(), readers.history.hub);
  const [facts, alarmIncidents] = await Promise.all([
    Promise.all(
      pipelines.map((pipeline) =>
        readers.facts.factsBetween(pipeline, factDay({ s: readFrom }), factDay({ s: readTo })),
      ),
    ),
    incidents(new Date(readFrom).toISOString(), new Date(readTo).toISOString()),
  ]);
  const timelines = pipelines.map(({ pipeline }, index) => {
    // Whole months and days are read; the executions counted are those that started in the span, as before.
    const executions = (facts[index] ?? [])
      .filter(({ fact }) => fact.s >= readFrom && fact.s <= readTo)
      .map(({ executionId, fact }) => recordOfFact(pipeline, executionId, fact));
    return deliveryTimeline(pipeline, executions, alarmIncidents, deliveryOptionsFor(config, pipeline));
  });
  return scopedReport(pipelines, timelines, query);
}

/**
 * The catalog's pipelines the query names. A pipeline asked for by name that the catalog does not hold yet is
 * still read (empty), in the account and region given or the hub's own.
 */
function pipelinesOf(
  query: DoraQuery,
  catalog: readonly Required<PipelineIdentity>[],
  hub: { account: string; region: string },
): Required<PipelineIdentity>[] {
  const matching = catalog.filter(
    (entry) =>
      (!query.pipeline || entry.pipeline === query.pipeline) &&
      (!query.account || entry.account === query.account) &&
      (!query.region || entry.region === query.region),
  );
  if (matching.length || !query.pipeline) {
    return matching.map(({ account, region, pipeline }) => ({ account, region, pipeline }));
  }
  return [
    { account: query.account ?? hub.account, region: query.region ?? hub.region, pipeline: query.pipeline },
  ];
}

/**
 * The domain's report names pipelines by name only: each pipeline's figures come from a report of its own
 * timeline (so two accounts' same-named pipelines stay apart), the overall figures from all of them, and an
 * account's from its pipelines.
 */
export function scopedReport(
  pipelines: readonly Required<PipelineIdentity>[],
  timelines: readonly DeliveryTimeline[],
  range: Pick<DoraQuery, 'from' | 'to' | 'bucket'>,
): ScopedDoraReport {
  const { from, to, bucket, overall } = doraReport(timelines, range);
  const byAccount = new Map<string, DeliveryTimeline[]>();
  const scoped = pipelines.flatMap((identity, index) => {
    const timeline = timelines[index];
    if (!timeline) return [];
    byAccount.set(identity.account, [...(byAccount.get(identity.account) ?? []), timeline]);
    const [report] = doraReport([timeline], range).pipelines;
    return report ? [{ ...report, account: identity.account, region: identity.region }] : [];
  });
  return {
    from,
    to,
    bucket,
    overall,
    pipelines: scoped.sort(
      (a, b) =>
        a.pipeline.localeCompare(b.pipeline) ||
        a.account.localeCompare(b.account) ||
        a.region.localeCompare(b.region),
    ),
    accounts: [...byAccount]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([account, accountTimelines]) => ({
        account,
        pipelines: accountTimelines.length,
        ...doraReport(accountTimelines, range).overall,
      })),
  };
}
