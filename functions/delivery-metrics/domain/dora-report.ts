import type { DeliveryTimeline, Deployment, GateBlock } from './delivery-timeline';
import { type DurationStatistics, durationStatistics } from './duration-statistics';
import { type Bucket, bucketStart, bucketStarts } from './time-buckets';

/** The four DORA figures over one set of deployments. */
export interface DoraSummary {
  deployments: number;
  /** Deployments per day over the whole range. */
  deploymentFrequency: number;
  leadTime: DurationStatistics;
  changeFailures: number;
  /** changeFailures / deployments; null when nothing was deployed. */
  changeFailureRate: number | null;
  timeToRestore: DurationStatistics;
  /** Change failures with no production success since: time to restore is still running. */
  unrestoredFailures: number;
  /**
   * Times an entry condition kept the production stage closed (it failed with no action run): releases held
   * back, counted apart because they deployed nothing and so are neither deployments nor change failures.
   */
  gateBlocks: number;
}

export interface DoraBucket extends DoraSummary {
  start: string;
}

export interface DoraReport {
  from: string;
  to: string;
  bucket: Bucket;
  overall: DoraSummary & { series: DoraBucket[] };
  pipelines: (DoraSummary & { pipeline: string; productionStage: string | null; series: DoraBucket[] })[];
}

const DAY_MS = 86_400_000;

/**
 * DORA metrics per pipeline and overall, for deployments made in [from, to), with a series per day or week.
 * A deployment's lead time, failure and restore all count in the bucket of the deployment itself.
 */
export function doraReport(
  timelines: readonly DeliveryTimeline[],
  range: { from: string; to: string; bucket: Bucket },
): DoraReport {
  const inRange = (deployment: Deployment) =>
    deployment.deployedAt >= range.from && deployment.deployedAt < range.to;
  const blockedInRange = (block: GateBlock) => block.at >= range.from && block.at < range.to;
  const days = Math.max(Date.parse(range.to) - Date.parse(range.from), 0) / DAY_MS;
  const starts = bucketStarts(range.from, range.to, range.bucket);
  // Deployments are grouped by bucket once, then each bucket is summarized: O(buckets + deployments), where
  // filtering every bucket's deployments out of the whole list was O(buckets × deployments).
  const series = (deployments: readonly Deployment[], gateBlocks: readonly GateBlock[]): DoraBucket[] => {
    const byBucket = groupBy(deployments, (deployment) => bucketStart(deployment.deployedAt, range.bucket));
    const blocksByBucket = groupBy(gateBlocks, (block) => bucketStart(block.at, range.bucket));
    return starts.map((start) => {
      // The first and last buckets may lie partly outside the range: frequency is per day of the range they cover.
      const bucketEnd = Date.parse(start) + (range.bucket === 'day' ? 1 : 7) * DAY_MS;
      const covered =
        Math.min(bucketEnd, Date.parse(range.to)) - Math.max(Date.parse(start), Date.parse(range.from));
      const days = Math.max(covered, 0) / DAY_MS;
      return { start, ...summarize(byBucket.get(start) ?? [], days, blocksByBucket.get(start)) };
    });
  };

  const pipelines = timelines
    .map((timeline) => {
      const deployments = timeline.deployments.filter(inRange);
      const gateBlocks = timeline.gateBlocks.filter(blockedInRange);
      return {
        pipeline: timeline.pipeline,
        productionStage: timeline.productionStage ?? null,
        ...summarize(deployments, days, gateBlocks),
        series: series(deployments, gateBlocks),
      };
    })
    .sort((a, b) => a.pipeline.localeCompare(b.pipeline));
  const all = timelines.flatMap((timeline) => timeline.deployments.filter(inRange));
  const allBlocks = timelines.flatMap((timeline) => timeline.gateBlocks.filter(blockedInRange));
  return {
    from: range.from,
    to: range.to,
    bucket: range.bucket,
    overall: { ...summarize(all, days, allBlocks), series: series(all, allBlocks) },
    pipelines,
  };
}

export function summarize(
  deployments: readonly Deployment[],
  days: number,
  gateBlocks: readonly GateBlock[] = [],
): DoraSummary {
  const failed = deployments.filter((d) => d.changeFailure);
  return {
    deployments: deployments.length,
    deploymentFrequency: days > 0 ? round(deployments.length / days, 3) : 0,
    leadTime: durationStatistics(
      deployments.flatMap((d) => (d.leadTimeMs === undefined ? [] : [d.leadTimeMs])),
    ),
    changeFailures: failed.length,
    changeFailureRate: deployments.length ? round(failed.length / deployments.length, 4) : null,
    timeToRestore: durationStatistics(
      failed.flatMap((d) => (d.restoreMs === undefined ? [] : [d.restoreMs])),
    ),
    unrestoredFailures: failed.filter((d) => d.restoredAt === undefined).length,
    gateBlocks: gateBlocks.length,
  };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
