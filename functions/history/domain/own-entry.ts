/**
 * The entry a record keeps under an event-provided name, never one its prototype supplies: `stages.constructor`
 * is Object, not a stage. Names are checked at the edge too; this keeps the merge itself safe.
 */
export function ownEntry<T>(entries: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(entries, name) ? entries[name] : undefined;
}
