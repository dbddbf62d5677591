import type { PipelineIdentity } from '#delivery-metrics/ports';

const partition = ({ account, region, pipeline }: Required<PipelineIdentity>) =>
  `DORA#${account}#${region}#${pipeline}`;

/**
 * Rollup keys, next to the history in the same table: a pipeline's days in one partition, so a report over
 * any range is one Query per pipeline reading one small item per day. Two accounts' (or regions') pipelines of
 * the same name keep their own partitions.
 */
export const factKeys = {
  day: (owner: Required<PipelineIdentity>, day: string) => ({ pk: partition(owner), sk: `DAY#${day}` }),
  pipeline: partition,
  daySortKey: (day: string) => `DAY#${day}`,
};

/**
 * The partition of rollups written before account and region were part of the key: the hub's own pipeline of
 * that name. Read with the hub's rollups, never written again; its items expire with their retention.
 */
export const legacyFactPartition = (pipeline: string) => `DORA#${pipeline}`;

/** Attributes of a day item that are not facts (every other attribute is named by an execution id). */
export const DAY_ITEM_ATTRIBUTES: ReadonlySet<string> = new Set(['pk', 'sk', 'itemType', 'expiresAt']);
