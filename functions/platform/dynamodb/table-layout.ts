/**
 * What every item of the single table shares, whatever feature owns it: the two index names (OwnerTime orders
 * items in time within one owner, on the `gsi1pk`/`gsi1sk` keys; GSI2 within one month) and the attributes
 * the table adds to a record. OwnerTime projects only what never changes after an item's first write (its
 * type and id): readers read the item itself. While an upgrade keeps the GSI1 index of older versions
 * (template.yaml's KeepIndexGSI1), the template names GSI1 in OWNER_TIME_INDEX: same keys, every attribute.
 */
export const INDEX = {
  byOwnerTime: process.env.OWNER_TIME_INDEX || 'OwnerTime',
  byMonth: 'GSI2',
} as const;

/** Attributes the table adds to a record; stripped before a record leaves the store. */
export const STORAGE_ATTRIBUTES = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'rev',
  'expiresAt',
  'itemType',
];

export function stripStorageAttributes<T>(item: Record<string, unknown>): T {
  const record = { ...item };
  for (const attribute of STORAGE_ATTRIBUTES) delete record[attribute];
  return record as T;
}
