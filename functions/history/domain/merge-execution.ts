import type { ActionState, PipelineState, StageState } from '#events/codepipeline-events';
import { withoutUndefined } from '#platform/without-undefined';
import {
  ACTION_RANKS,
  type ActionRecord,
  type ExecutionRecord,
  PIPELINE_RANKS,
  type PipelineVariable,
  type SourceRevision,
  STAGE_RANKS,
  type StageRecord,
  TERMINAL_PIPELINE_STATES,
  type TriggerInfo,
} from './execution-record';
import { ownEntry } from './own-entry';
import {
  compareStrings,
  laterRegister,
  maxString,
  minString,
  type StatusRegister,
  sortedUnion,
  stablePick,
} from './status-register';

interface ObservationBase {
  /**
   * The pipeline's account and region (the event's envelope): where the observation is stored, not part of
   * the merge (the store names them on every record it reads; observations from the API carry none).
   */
  account?: string;
  region?: string;
  pipeline: string;
  executionId: string;
  /** When the observed change happened (event time, or the API's timestamp for reconciler observations). */
  at: string;
  startTime?: string;
  pipelineVersion?: number;
}

/** What one event (or one API read) says about an execution. */
export type ExecutionObservation =
  | (ObservationBase & {
      kind: 'pipeline';
      status: StatusRegister<PipelineState>;
      trigger?: TriggerInfo;
      stopComments?: string;
    })
  | (ObservationBase & {
      kind: 'stage';
      stage: string;
      status: StatusRegister<StageState>;
      lastRetryAt?: string;
    })
  | (ObservationBase & { kind: 'action'; stage: string; action: string; record: ActionRecord })
  | (ObservationBase & {
      kind: 'details';
      /** Absent when the API listed none yet (see fetch-execution-details.ts): unknown, not "no source". */
      sourceRevisions?: SourceRevision[];
      trigger?: TriggerInfo;
      executionType?: 'STANDARD' | 'ROLLBACK';
      rollbackTargetExecutionId?: string;
      variables?: PipelineVariable[];
      stopComments?: string;
      /** Runs a record already names (a whole record written as observations: record-observations.ts). */
      deploymentIds?: string[];
      buildIds?: string[];
    });

const DEPLOYMENT_PROVIDERS = new Set(['CodeDeploy', 'CodeDeployToECS']);

/**
 * Folds one observation into an execution record. Pure, and a join: merge(merge(r, a), b) equals
 * merge(merge(r, b), a), and merging the same observation twice changes nothing. Every field is either a
 * status register (see status-register.ts), a min/max, a set union, or a deterministic pick.
 */
export function mergeExecution(
  record: ExecutionRecord | undefined,
  obs: ExecutionObservation,
): ExecutionRecord {
  const base: ExecutionRecord = record ?? {
    pipeline: obs.pipeline,
    executionId: obs.executionId,
    firstEventAt: obs.at,
    stages: {},
    lastEventAt: obs.at,
  };
  const merged: ExecutionRecord = {
    ...base,
    startTime: minString(base.startTime, obs.startTime),
    firstEventAt: minString(base.firstEventAt, obs.at) ?? obs.at,
    lastEventAt: maxString(base.lastEventAt, obs.at) ?? obs.at,
    pipelineVersion: maxNumber(base.pipelineVersion, obs.pipelineVersion),
  };

  switch (obs.kind) {
    case 'pipeline':
      merged.status = laterRegister(base.status, obs.status, PIPELINE_RANKS);
      merged.trigger = mergeFields(base.trigger, obs.trigger);
      merged.stopComments = stablePick(base.stopComments, obs.stopComments);
      if (isRollbackTrigger(obs.trigger?.type)) merged.executionType = 'ROLLBACK';
      break;
    case 'stage':
      merged.stages = withStage(base.stages, obs.stage, (stage) => ({
        ...stage,
        status: laterRegister(stage.status, obs.status, STAGE_RANKS),
        lastRetryAt: maxString(stage.lastRetryAt, obs.lastRetryAt),
        firstFailedAt: minString(
          stage.firstFailedAt,
          obs.status.status === 'FAILED' ? obs.status.statusAt : undefined,
        ),
      }));
      break;
    case 'action': {
      merged.stages = withStage(base.stages, obs.stage, (stage) => ({
        ...stage,
        actions: {
          ...stage.actions,
          [obs.action]: laterRegister<ActionState, ActionRecord>(
            ownEntry(stage.actions, obs.action),
            obs.record,
            ACTION_RANKS,
          ),
        },
      }));
      const externalId = obs.record.externalExecutionId;
      if (externalId && obs.record.provider && DEPLOYMENT_PROVIDERS.has(obs.record.provider)) {
        merged.deploymentIds = sortedUnion(base.deploymentIds, [externalId]);
      }
      if (externalId && obs.record.provider === 'CodeBuild') {
        merged.buildIds = sortedUnion(base.buildIds, [externalId]);
      }
      break;
    }
    case 'details':
      merged.sourceRevisions = mergeSourceRevisions(base.sourceRevisions, obs.sourceRevisions);
      merged.trigger = mergeFields(base.trigger, obs.trigger);
      if (obs.executionType === 'ROLLBACK' || isRollbackTrigger(obs.trigger?.type))
        merged.executionType = 'ROLLBACK';
      else merged.executionType = base.executionType ?? obs.executionType;
      merged.rollbackTargetExecutionId = stablePick(
        base.rollbackTargetExecutionId,
        obs.rollbackTargetExecutionId,
      );
      merged.variables = unionBy(base.variables, obs.variables, (variable) => variable.name);
      merged.stopComments = stablePick(base.stopComments, obs.stopComments);
      merged.deploymentIds = sortedUnion(base.deploymentIds, obs.deploymentIds);
      merged.buildIds = sortedUnion(base.buildIds, obs.buildIds);
      break;
  }

  merged.endTime =
    merged.status && TERMINAL_PIPELINE_STATES.has(merged.status.status) ? merged.status.statusAt : undefined;
  return withoutUndefined(merged);
}

/** Folds observations in the order given: the reference result that any other order must reproduce. */
export function mergeAll(
  observations: readonly ExecutionObservation[],
  record?: ExecutionRecord,
): ExecutionRecord | undefined {
  return observations.reduce<ExecutionRecord | undefined>((acc, obs) => mergeExecution(acc, obs), record);
}

export function isTerminal(record: ExecutionRecord): boolean {
  return record.status !== undefined && TERMINAL_PIPELINE_STATES.has(record.status.status);
}

/** When the execution started: its `start-time` once any event carried it, else its earliest event. */
export function executionStartTime(record: ExecutionRecord): string {
  return record.startTime ?? record.firstEventAt;
}

function withStage(
  stages: Record<string, StageRecord>,
  name: string,
  update: (stage: StageRecord) => StageRecord,
): Record<string, StageRecord> {
  return { ...stages, [name]: withoutUndefined(update(ownEntry(stages, name) ?? { actions: {} })) };
}

/** Field by field, so the event's commit details and the API's trigger type both survive. */
function mergeFields<T extends object>(a: T | undefined, b: T | undefined): T | undefined {
  if (!a || !b) return a ?? b;
  const merged: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    merged[key] = stablePick((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]);
  }
  return merged as T;
}

/**
 * Revisions by source action, as a union: a pipeline with several source actions may be read before all of
 * them reported, and a partial (or empty) list must neither freeze nor hide a fuller one. The same action
 * seen twice merges field by field (mergeFields), so the result does not depend on the order of reads.
 * An empty union is "unknown" (undefined), so the recorder and the reconciler fetch the details again.
 */
function mergeSourceRevisions(
  a: readonly SourceRevision[] | undefined,
  b: readonly SourceRevision[] | undefined,
): SourceRevision[] | undefined {
  return unionBy(a, b, (revision) => revision.actionName);
}

/** Entries by name, merged field by field (so the union is a join), sorted by name; empty is undefined. */
function unionBy<T extends object>(
  a: readonly T[] | undefined,
  b: readonly T[] | undefined,
  nameOf: (entry: T) => string,
): T[] | undefined {
  const byName = new Map<string, T>();
  for (const entry of [...(a ?? []), ...(b ?? [])]) {
    byName.set(nameOf(entry), mergeFields(byName.get(nameOf(entry)), entry) ?? entry);
  }
  if (byName.size === 0) return undefined;
  return [...byName.values()].sort((x, y) => compareStrings(nameOf(x), nameOf(y)));
}

/** True when the record knows the commit(s) it ran: an empty list (older records) counts as unknown. */
export function hasSourceRevisions(record: ExecutionRecord | undefined): boolean {
  return (record?.sourceRevisions?.length ?? 0) > 0;
}

function isRollbackTrigger(type: string | undefined): boolean {
  return type === 'ManualRollback' || type === 'AutomatedRollback';
}

function maxNumber(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}
