/**
 * What every item of the single table shares, whatever feature owns it: the two index names (GSI1 orders
 * items in time within one owner, GSI2 within one month) and the attributes the table adds to a record.
 */
export const INDEX = { byOwnerTime: 'GSI1', byMonth: 'GSI2' } as const;

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
