/**
 * Rollup keys, next to the history in the same table: a pipeline's days in one partition, so a report over
 * any range is one Query per pipeline reading one small item per day.
 */
export const factKeys = {
  day: (pipeline: string, day: string) => ({ pk: `DORA#${pipeline}`, sk: `DAY#${day}` }),
  pipeline: (pipeline: string) => `DORA#${pipeline}`,
  daySortKey: (day: string) => `DAY#${day}`,
};

/** Attributes of a day item that are not facts (every other attribute is named by an execution id). */
export const DAY_ITEM_ATTRIBUTES: ReadonlySet<string> = new Set(['pk', 'sk', 'itemType', 'expiresAt']);
