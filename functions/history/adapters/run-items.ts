import {
  type PipelineLink,
  type RollbackLink,
  type RunFacts,
  type RunKind,
  type RunRecord,
  runFactsOf,
} from '#history/domain/run-record';
import { canonicalJson, type StatusRegister } from '#history/domain/status-register';
import { keys, type Scope } from './history-keys';

/**
 * How a run lands on its item (docs/data-model.md): every fact is added to a string set (times as they are,
 * registers and maps as canonical JSON), which DynamoDB unions in one UpdateItem with no read before it and
 * no condition, so any order and any duplicates of a run's observations leave the same item. Items written
 * before 0.2.0 hold the record's fields themselves (`status`, `firstEventAt`, ...): they are read as facts
 * too, so an old item and the sets added to it since fold into one record.
 */
export type RunItemFacts = Record<(typeof FACT_SETS)[number], Set<string>>;

const FACT_SETS = [
  'eventTimes',
  'statusFacts',
  'attributeFacts',
  'pipelineLinkFacts',
  'rollbackFacts',
] as const;

/** The sets one record's facts add to its item (only non-empty ones: DynamoDB has no empty set). */
export function runItemFacts(record: RunRecord): Partial<RunItemFacts> {
  const facts = runFactsOf(record);
  const sets: Partial<RunItemFacts> = {
    eventTimes: new Set(facts.eventTimes),
    statusFacts: jsonSet(facts.statuses),
    attributeFacts: jsonSet(facts.attributes),
    pipelineLinkFacts: jsonSet(facts.pipelineLinks),
    rollbackFacts: jsonSet(facts.rollbacks),
  };
  return Object.fromEntries(Object.entries(sets).filter(([, set]) => set.size > 0));
}

/** The item after these sets were added to it: what one UpdateItem of runItemFacts makes of `item`. */
export function withRunItemFacts(
  item: Record<string, unknown> | undefined,
  added: Partial<RunItemFacts>,
): Record<string, unknown> {
  const joined: Record<string, unknown> = { ...item };
  for (const [name, values] of Object.entries(added)) {
    joined[name] = new Set([...setValues(item?.[name]), ...values]);
  }
  return joined;
}

/** A run item (sets, the record's own fields before 0.2.0, or both) as the facts it holds. */
export function runFactsOfItem(kind: RunKind, runId: string, item: Record<string, unknown>): RunFacts {
  const scalar = <T>(value: unknown): T[] => (value === undefined ? [] : [value as T]);
  return {
    kind,
    runId,
    eventTimes: [
      ...setValues(item.eventTimes),
      ...scalar<string>(item.firstEventAt),
      ...scalar<string>(item.lastEventAt),
    ],
    statuses: [...parsedSet<StatusRegister>(item.statusFacts), ...scalar<StatusRegister>(item.status)],
    attributes: [
      ...parsedSet<Record<string, string>>(item.attributeFacts),
      ...scalar<Record<string, string>>(item.attributes),
    ],
    pipelineLinks: [
      ...parsedSet<PipelineLink>(item.pipelineLinkFacts),
      ...scalar<PipelineLink>(item.pipelineLink),
    ],
    rollbacks: [...parsedSet<RollbackLink>(item.rollbackFacts), ...scalar<RollbackLink>(item.rollback)],
  };
}

/**
 * A deployment's place on the OwnerTime index (its deployment group's deployments in time: rollback picks the
 * last good one there), from the owner its status observations name: a deployment belongs to one group, so
 * every status observation names the same. The index carries only the item's type and id, which no later
 * write changes: the run's later events cost it nothing. Builds have none: nothing reads a project's builds.
 */
export function runOwnerIndex(
  record: RunRecord,
  scope: Scope,
): { gsi1pk: string; gsi1sk: string } | undefined {
  const attributes = record.attributes ?? {};
  if (record.kind !== 'deployment' || !attributes.application || !attributes.deploymentGroup)
    return undefined;
  return {
    gsi1pk: keys.deploymentGroup(attributes.application, attributes.deploymentGroup, scope),
    gsi1sk: `${record.firstEventAt}#${record.runId}`,
  };
}

function jsonSet(values: readonly unknown[]): Set<string> {
  return new Set(values.map((value) => canonicalJson(value)));
}

function setValues(value: unknown): string[] {
  return value instanceof Set ? ([...value] as string[]) : [];
}

function parsedSet<T>(value: unknown): T[] {
  return setValues(value).map((json) => JSON.parse(json) as T);
}
