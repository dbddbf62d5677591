import type { ExecutionFact } from '#delivery-metrics/domain/execution-fact';
import type { PackedMonth, StoredFact } from '#delivery-metrics/domain/packed-facts';
import {
  DAY_ITEM_ATTRIBUTES,
  FACT_ITEM_TYPE,
  PACKED_MONTH_ITEM_TYPE,
  packedPartOf,
} from './delivery-facts-keys';
import { decodePackedMonth } from './packed-month-codec';

/** An execution's fact that is still its own item (written in the last few weeks). */
export interface LiveFact extends StoredFact {
  sk: string;
  expiresAt?: number;
}

/** One part of a month's packed facts (most months have one). */
export interface PackedMonthItem {
  month: string;
  part: number;
  facts: PackedMonth;
  /** Bumped by each packing: two packers at once cannot both write the month. */
  rev: number;
}

/** A partition's rollup items by kind. */
export interface RollupItems {
  live: LiveFact[];
  packed: PackedMonthItem[];
  /**
   * Every fact the items hold, packed or not, and those of day items of the earlier layout (every fact of a day
   * in one item, never packed), in the items' (sort-key) order; an execution possibly twice.
   */
  all: StoredFact[];
}

export function rollupItemsOf(items: readonly Record<string, unknown>[]): RollupItems {
  const found: RollupItems = { live: [], packed: [], all: [] };
  for (const item of items) {
    if (item.itemType === FACT_ITEM_TYPE) {
      const live: LiveFact = {
        executionId: String(item.executionId),
        fact: item.fact as ExecutionFact,
        sk: String(item.sk),
        ...(typeof item.expiresAt === 'number' ? { expiresAt: item.expiresAt } : {}),
      };
      found.live.push(live);
      found.all.push({ executionId: live.executionId, fact: live.fact });
    } else if (item.itemType === PACKED_MONTH_ITEM_TYPE) {
      const packed: PackedMonthItem = {
        ...packedPartOf(String(item.sk)),
        facts: decodePackedMonth(item.facts as Uint8Array),
        rev: Number(item.rev),
      };
      found.packed.push(packed);
      for (const [executionId, fact] of Object.entries(packed.facts)) found.all.push({ executionId, fact });
    } else {
      // A day item of the earlier layout, or a moved fact's emptied item (keys and expiry only: no facts).
      for (const [executionId, fact] of Object.entries(item)) {
        if (!DAY_ITEM_ATTRIBUTES.has(executionId))
          found.all.push({ executionId, fact: fact as ExecutionFact });
      }
    }
  }
  return found;
}
