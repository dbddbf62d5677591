import {
  ACTION_RANKS,
  type ActionRecord,
  type ExecutionRecord,
  PIPELINE_RANKS,
  STAGE_RANKS,
} from '#history/domain/execution-record';
import { type ExecutionObservation, mergeAll } from '#history/domain/merge-execution';
import {
  canonicalJson,
  maxString,
  minString,
  registerFromOrderKey,
  registerOrderKey,
  type StatusRegister,
} from '#history/domain/status-register';
import { withoutUndefined } from '#platform/without-undefined';
import { keys } from './history-keys';

/**
 * How one observation lands on an execution's items (docs/data-model.md): the item it is about gets its
 * register advanced by one conditional UpdateItem (`order < :order`), and the facts that are unions or
 * minima/maxima (event times, start times, versions, retry and failure times, run ids, triggers, details)
 * are added to string/number sets, which DynamoDB unions without a condition. Assembling takes the greatest
 * register and folds the sets, so the record equals the in-order merge of every observation whatever order
 * (and how often) they arrived.
 */
export interface ItemWrite {
  sk: string;
  /** The register's order key (the register itself is its JSON tail); absent for pure fact writes. */
  order?: string;
  /** Readable copies written with the register (the header's `status`, for the status filter). */
  withRegister: Record<string, unknown>;
  /**
   * Identity of the item, fixed by its key (its type, stage, action): set on every write as it is, since no
   * write can hold another value (a plain SET, not `if_not_exists`, which costs the engine a function a name).
   */
  identity: Record<string, unknown>;
  /** Set attributes to union with. */
  facts: Record<string, Set<string> | Set<number>>;
}

const DEPLOYMENT_PROVIDERS = new Set(['CodeDeploy', 'CodeDeployToECS']);

/** `itemType` of an execution's details item (keys.executionDetails). */
const DETAILS_ITEM_TYPE = 'execution-details';

/** The write an observation makes on the item it is about (the header for pipeline-level facts). */
export function itemWriteFor(obs: ExecutionObservation): ItemWrite {
  const facts: ItemWrite['facts'] = {};
  addFact(facts, 'eventTimes', obs.at);
  addFact(facts, 'startTimes', obs.startTime);
  if (obs.pipelineVersion !== undefined) facts.pipelineVersions = new Set([obs.pipelineVersion]);
  switch (obs.kind) {
    case 'pipeline':
      if (obs.trigger || obs.stopComments) {
        addFact(facts, 'details', asciiFact({ trigger: obs.trigger, stopComments: obs.stopComments }));
      }
      return {
        sk: keys.executionHeader,
        order: registerOrderKey(obs.status, PIPELINE_RANKS),
        withRegister: { status: obs.status },
        identity: {},
        facts,
      };
    case 'details': {
      const { sourceRevisions, trigger, executionType, rollbackTargetExecutionId, variables, stopComments } =
        obs;
      addFact(
        facts,
        'details',
        asciiFact({
          sourceRevisions,
          trigger,
          executionType,
          rollbackTargetExecutionId,
          variables,
          stopComments,
        }),
      );
      if (obs.deploymentIds?.length) facts.deploymentIds = new Set(obs.deploymentIds);
      if (obs.buildIds?.length) facts.buildIds = new Set(obs.buildIds);
      return {
        sk: keys.executionDetails,
        withRegister: {},
        identity: { itemType: DETAILS_ITEM_TYPE },
        facts,
      };
    }
    case 'stage':
      addFact(facts, 'retryTimes', obs.lastRetryAt);
      if (obs.status.status === 'FAILED') addFact(facts, 'failedTimes', obs.status.statusAt);
      return {
        sk: keys.stageItem(obs.stage),
        order: registerOrderKey(obs.status, STAGE_RANKS),
        withRegister: {},
        identity: { itemType: 'execution-stage', stage: obs.stage },
        facts,
      };
    case 'action': {
      const { externalExecutionId: runId, provider } = obs.record;
      if (runId && provider && DEPLOYMENT_PROVIDERS.has(provider)) addFact(facts, 'deploymentIds', runId);
      if (runId && provider === 'CodeBuild') addFact(facts, 'buildIds', runId);
      return {
        sk: keys.actionItem(obs.stage, obs.action),
        order: registerOrderKey(obs.record, ACTION_RANKS),
        withRegister: {},
        identity: { itemType: 'execution-action', stage: obs.stage, action: obs.action },
        facts,
      };
    }
  }
}

function addFact(facts: ItemWrite['facts'], name: string, value: string | undefined): void {
  if (value !== undefined) facts[name] = new Set([value]);
}

// ASCII, like the order keys: a set element is compared and stored as bytes.
function asciiFact(value: object): string {
  return canonicalJson(withoutUndefined(value as Record<string, unknown>)).replace(
    /[\u007f-\uffff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

type Item = Record<string, unknown>;

/** One execution's items (header, stages, actions; any subset) as today's ExecutionRecord. */
export function assembleExecution(
  identity: { account?: string; region?: string; pipeline: string; executionId: string },
  items: readonly Item[],
): ExecutionRecord | undefined {
  const eventTimes = items.flatMap((item) => setValues<string>(item.eventTimes));
  if (eventTimes.length === 0) return undefined;
  const at = fold(eventTimes, minString) as string;
  const base = { ...identity, at };
  const observations: ExecutionObservation[] = [];
  for (const item of items) {
    const order = typeof item.order === 'string' ? item.order : undefined;
    if (item.sk === keys.executionHeader || item.sk === keys.executionDetails) {
      if (order) {
        observations.push({
          ...base,
          kind: 'pipeline',
          status: registerFromOrderKey<StatusRegister<never>>(order),
        });
      }
      // The GetPipelineExecution answer, on the details item (on the header before 0.2.0), and the header's
      // own facts from pipeline events (trigger, stop comments).
      for (const fact of setValues<string>(item.details)) {
        observations.push({ ...base, kind: 'details', ...(JSON.parse(fact) as object) });
      }
    } else if (item.action !== undefined && order) {
      observations.push({
        ...base,
        kind: 'action',
        stage: String(item.stage),
        action: String(item.action),
        record: registerFromOrderKey<ActionRecord>(order),
      });
    } else if (item.stage !== undefined && order) {
      observations.push({
        ...base,
        kind: 'stage',
        stage: String(item.stage),
        status: registerFromOrderKey(order),
      });
    }
  }
  const record = mergeAll(observations) ?? {
    ...(identity.account ? { account: identity.account, region: identity.region } : {}),
    pipeline: identity.pipeline,
    executionId: identity.executionId,
    firstEventAt: at,
    stages: {},
    lastEventAt: at,
  };
  for (const item of items) {
    if (item.stage === undefined || item.action !== undefined) continue;
    const stage = record.stages[String(item.stage)];
    if (!stage) continue;
    record.stages[String(item.stage)] = withoutUndefined({
      ...stage,
      lastRetryAt: fold(setValues<string>(item.retryTimes), maxString),
      firstFailedAt: fold(setValues<string>(item.failedTimes), minString),
    });
  }
  const versions = items.flatMap((item) => setValues<number>(item.pipelineVersions));
  return withoutUndefined({
    ...record,
    account: identity.account,
    region: identity.region,
    firstEventAt: at,
    lastEventAt: fold(eventTimes, maxString),
    startTime: fold(
      items.flatMap((item) => setValues<string>(item.startTimes)),
      minString,
    ),
    pipelineVersion: versions.length ? Math.max(...versions) : undefined,
    deploymentIds: sortedValues(items, 'deploymentIds'),
    buildIds: sortedValues(items, 'buildIds'),
  }) as ExecutionRecord;
}

function setValues<T>(value: unknown): T[] {
  return value instanceof Set ? ([...value] as T[]) : [];
}

function fold(values: string[], pick: (a: string | undefined, b: string | undefined) => string | undefined) {
  return values.reduce<string | undefined>((acc, value) => pick(acc, value), undefined);
}

function sortedValues(items: readonly Item[], name: string): string[] | undefined {
  const values = new Set(items.flatMap((item) => setValues<string>(item[name])));
  return values.size ? [...values].sort() : undefined;
}
