import type { BuildState } from '#events/codebuild-events';
import type { DeploymentState } from '#events/codedeploy-events';
import { withoutUndefined } from '#platform/without-undefined';
import {
  laterRegister,
  maxString,
  minString,
  type RankTable,
  type StatusRegister,
  stablePick,
} from './status-register';

/**
 * A CodeDeploy deployment or a CodeBuild build. Its own events give its status; the pipeline action that
 * started it gives the link (the action's `external-execution-id` is the deployment or build id). Either
 * may arrive first, so both merge into the same item, keyed by the run id.
 */
export interface RunRecord<S extends string = string> {
  kind: RunKind;
  runId: string;
  status?: StatusRegister<S>;
  firstEventAt: string;
  lastEventAt: string;
  endTime?: string;
  /** CodeDeploy: application, deploymentGroup, region. CodeBuild: project, initiator. */
  attributes?: Record<string, string>;
  pipelineLink?: PipelineLink;
  /** CodeDeploy automatic rollback, both ways; `{}` once read and there was none. */
  rollback?: RollbackLink;
}

export interface RollbackLink {
  /** On the deployment that failed (or was stopped): the deployment CodeDeploy started to roll it back. */
  rolledBackBy?: string;
  /** On the rollback deployment: the deployment it rolled back. */
  rollsBack?: string;
  /** The rolled-back deployment's execution: the rollback deployment belongs to it too. */
  execution?: { pipeline: string; executionId: string };
  message?: string;
}

export type RunKind = 'deployment' | 'build';

export interface PipelineLink {
  pipeline: string;
  executionId: string;
  stage: string;
  action: string;
}

export type RunObservation<S extends string = string> =
  | {
      kind: RunKind;
      runId: string;
      at: string;
      status: StatusRegister<S>;
      attributes: Record<string, string>;
    }
  | { kind: RunKind; runId: string; at: string; pipelineLink: PipelineLink }
  | { kind: RunKind; runId: string; at: string; rollback: RollbackLink };

interface RunStates<S extends string> {
  ranks: RankTable<S>;
  terminal: ReadonlySet<S>;
}

export const DEPLOYMENT_STATES: RunStates<DeploymentState> = {
  ranks: { START: 0, READY: 1, STOP: 2, FAILURE: 3, SUCCESS: 4 },
  terminal: new Set(['STOP', 'FAILURE', 'SUCCESS']),
};

export const BUILD_STATES: RunStates<BuildState> = {
  ranks: { IN_PROGRESS: 0, STOPPED: 1, TIMED_OUT: 2, FAULT: 3, FAILED: 4, SUCCEEDED: 5 },
  terminal: new Set(['STOPPED', 'TIMED_OUT', 'FAULT', 'FAILED', 'SUCCEEDED']),
};

const STATES_BY_KIND: Record<RunKind, RunStates<string>> = {
  deployment: DEPLOYMENT_STATES as RunStates<string>,
  build: BUILD_STATES as RunStates<string>,
};

/** Same join properties as mergeExecution: order and duplicates do not matter. */
export function mergeRun(record: RunRecord | undefined, obs: RunObservation): RunRecord {
  const states = STATES_BY_KIND[obs.kind];
  const merged: RunRecord = {
    kind: obs.kind,
    runId: obs.runId,
    ...record,
    firstEventAt: minString(record?.firstEventAt, obs.at) ?? obs.at,
    lastEventAt: maxString(record?.lastEventAt, obs.at) ?? obs.at,
  };
  if ('status' in obs) {
    merged.status = laterRegister(record?.status, obs.status, states.ranks);
    merged.attributes = stablePick(record?.attributes, obs.attributes);
  } else if ('pipelineLink' in obs) {
    merged.pipelineLink = stablePick(record?.pipelineLink, obs.pipelineLink);
  } else {
    merged.rollback = mergeRollback(record?.rollback, obs.rollback);
  }
  merged.endTime =
    merged.status && states.terminal.has(merged.status.status) ? merged.status.statusAt : undefined;
  return withoutUndefined(merged);
}

/**
 * A run as the facts its observations brought, each kept whole: every event time, every status register,
 * every attribute map, link and rollback link. The stored item holds these as sets, which DynamoDB unions
 * without a read or a condition; runRecordOf folds them into the record mergeRun would have built.
 */
export interface RunFacts {
  kind: RunKind;
  runId: string;
  eventTimes: readonly string[];
  statuses: readonly StatusRegister[];
  attributes: readonly Record<string, string>[];
  pipelineLinks: readonly PipelineLink[];
  rollbacks: readonly RollbackLink[];
}

/** The facts a record holds: runRecordOf(runFactsOf(record)) is the record. */
export function runFactsOf(record: RunRecord): RunFacts {
  return {
    kind: record.kind,
    runId: record.runId,
    eventTimes: [record.firstEventAt, record.lastEventAt],
    statuses: record.status ? [record.status] : [],
    attributes: record.attributes ? [record.attributes] : [],
    pipelineLinks: record.pipelineLink ? [record.pipelineLink] : [],
    rollbacks: record.rollback ? [record.rollback] : [],
  };
}

/**
 * The record these facts make, whatever order they came in and however often: each field is the fold of the
 * same pick mergeRun makes one observation at a time (undefined when there is no event time at all).
 */
export function runRecordOf(facts: RunFacts): RunRecord | undefined {
  const firstEventAt = facts.eventTimes.reduce<string | undefined>(minString, undefined);
  const lastEventAt = facts.eventTimes.reduce<string | undefined>(maxString, undefined);
  if (firstEventAt === undefined || lastEventAt === undefined) return undefined;
  const states = STATES_BY_KIND[facts.kind];
  const status = facts.statuses.reduce<StatusRegister | undefined>(
    (current, incoming) => laterRegister(current, incoming, states.ranks),
    undefined,
  );
  return withoutUndefined({
    kind: facts.kind,
    runId: facts.runId,
    status,
    firstEventAt,
    lastEventAt,
    endTime: status && states.terminal.has(status.status) ? status.statusAt : undefined,
    attributes: facts.attributes.reduce<Record<string, string> | undefined>(stablePick, undefined),
    pipelineLink: facts.pipelineLinks.reduce<PipelineLink | undefined>(stablePick, undefined),
    rollback: facts.rollbacks.reduce<RollbackLink | undefined>(
      (current, incoming) => mergeRollback(current, incoming),
      undefined,
    ),
  });
}

/** The record an item holding both records' facts makes (same kind and run): the join of the two. */
export function joinRuns(a: RunRecord, b: RunRecord): RunRecord {
  const [left, right] = [runFactsOf(a), runFactsOf(b)];
  return runRecordOf({
    kind: a.kind,
    runId: a.runId,
    eventTimes: [...left.eventTimes, ...right.eventTimes],
    statuses: [...left.statuses, ...right.statuses],
    attributes: [...left.attributes, ...right.attributes],
    pipelineLinks: [...left.pipelineLinks, ...right.pipelineLinks],
    rollbacks: [...left.rollbacks, ...right.rollbacks],
  }) as RunRecord;
}

/** Field by field, each a deterministic pick: order and duplicates do not matter. */
function mergeRollback(a: RollbackLink | undefined, b: RollbackLink): RollbackLink {
  return withoutUndefined({
    rolledBackBy: stablePick(a?.rolledBackBy, b.rolledBackBy),
    rollsBack: stablePick(a?.rollsBack, b.rollsBack),
    execution: stablePick(a?.execution, b.execution),
    message: stablePick(a?.message, b.message),
  });
}
