/** Drops keys whose value is `undefined`: DynamoDB's marshaller and deep equality both prefer absent keys. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as T;
}
