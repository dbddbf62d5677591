import type { PipelineIdentity } from '#delivery-metrics/ports';

const partition = ({ account, region, pipeline }: Required<PipelineIdentity>) =>
  `DORA#${account}#${region}#${pipeline}`;

/**
 * Rollup keys, next to the history in the same table: a pipeline's facts in one partition, sorted by day, so a
 * report over any range is one Query per pipeline. Each execution's fact is its own small item under its day
 * (`DAY#<day>#<execution id>`): a write costs one unit however many executions the day has. A month's facts
 * are also packed into one item (`DAY#<month>`), which sorts just before its month's days, so the same Query
 * reads it. Day items (`DAY#<day>`, every fact of the day in one item) were written before; they sort among
 * their day's facts and are read alike. Two accounts' (or regions') pipelines of the same name keep their own
 * partitions.
 */
export const factKeys = {
  fact: (owner: Required<PipelineIdentity>, day: string, executionId: string) => ({
    pk: partition(owner),
    sk: `DAY#${day}#${executionId}`,
  }),
  /**
   * A part of a month's packed facts (month: yyyy-mm): `DAY#<month>`, then `DAY#<month>+<n>` for a busy month's
   * further parts ('+' sorts before '-', so every part still sorts before the month's days).
   */
  monthPart: (owner: Required<PipelineIdentity>, month: string, part: number) => ({
    pk: partition(owner),
    sk: part === 0 ? `DAY#${month}` : `DAY#${month}+${part}`,
  }),
  /** The day item of the earlier layout: read, and a moved execution's fact removed from it, never written. */
  day: (owner: Required<PipelineIdentity>, day: string) => ({ pk: partition(owner), sk: `DAY#${day}` }),
  pipeline: partition,
  /**
   * The sort-key range of the days from `fromDay` to `toDay`, their facts included, and of the packed months
   * they fall in: it starts at `fromDay`'s month item, and '$' is the byte after '#', so `DAY#<toDay>$` sorts
   * after every `DAY#<toDay>#<id>`, whatever the id, and before the next day.
   */
  daysBetween: (fromDay: string, toDay: string) => ({
    from: `DAY#${fromDay.slice(0, 7)}`,
    to: `DAY#${toDay}$`,
  }),
  /** Every rollup of the partition: the packer reads them all (live facts are only the last few weeks). */
  allDays: { prefix: 'DAY#' },
};

/** `itemType` of one execution's fact item; day items of the earlier layout are `dora-day`. */
export const FACT_ITEM_TYPE = 'dora-fact';

/** `itemType` of a month's packed facts. */
export const PACKED_MONTH_ITEM_TYPE = 'dora-month';

/**
 * Executions a packed item holds at most: about 60 bytes each gzipped (measured with random UUIDs as ids), so
 * a part stays near 150 KB, far below DynamoDB's 400 KB item limit even for facts with many stages or
 * deployment ids.
 */
export const EXECUTIONS_PER_PACKED_PART = 2_500;

/** The month and part a packed item's sort key names. */
export function packedPartOf(sk: string): { month: string; part: number } {
  const [month = '', part = '0'] = sk.slice('DAY#'.length).split('+');
  return { month, part: Number(part) };
}

/**
 * The partition of rollups written before account and region were part of the key: the hub's own pipeline of
 * that name. Read with the hub's rollups, never written again; its items expire with their retention.
 */
export const legacyFactPartition = (pipeline: string) => `DORA#${pipeline}`;

/** Attributes of a day item that are not facts (every other attribute is named by an execution id). */
export const DAY_ITEM_ATTRIBUTES: ReadonlySet<string> = new Set(['pk', 'sk', 'itemType', 'expiresAt']);

/**
 * How long an execution's own fact item lives after its last write (or after its day, if that is later): the
 * daily packer has this many runs to pack it into its month before TTL deletes it, and until then a report
 * reads it beside the packed copy. So a report over any range reads its months packed plus the last few weeks'
 * facts, not a year of single facts.
 */
export const LIVE_FACT_DAYS = 35;
