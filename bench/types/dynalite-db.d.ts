declare module 'dynalite/db/index.js' {
  /** dynalite's item size in bytes (attribute names plus values, DynamoDB's rule) of a marshalled item. */
  export function itemSize(item: Record<string, Record<string, unknown>>): number;
}
