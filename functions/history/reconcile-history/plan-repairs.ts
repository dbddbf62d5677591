import type { ExecutionSummary } from '#history/domain/api-reads';
import type { ExecutionRecord, StageRecord } from '#history/domain/execution-record';
import { executionStartTime, hasSourceRevisions, isTerminal } from '#history/domain/merge-execution';
import { mapPipelineStatus, observedAttempt } from '#history/domain/observe-api-execution';
import { minString } from '#history/domain/status-register';

export type RepairReason =
  | 'missing'
  | 'ended-unrecorded'
  | 'stale'
  | 'no-source-revisions'
  | 'start-unrecorded'
  | 'unfinished-stages'
  | 'reopened'
  | 'retried'
  | 'missing-parts';

/**
 * Reasons the API already shows the record to be wrong: repaired before any look that may find nothing
 * ('stale', 'retried', 'missing-parts', 'no-source-revisions'), so looks that repeat every run (a long
 * approval wait stays 'stale') can never take the whole cap from a repair that is really needed.
 */
const DEFINITE_REASONS: ReadonlySet<RepairReason> = new Set([
  'missing',
  'ended-unrecorded',
  'reopened',
  'unfinished-stages',
  'start-unrecorded',
]);

export interface PlannedRepair {
  executionId: string;
  summary: ExecutionSummary;
  reasons: RepairReason[];
}

export interface RepairPlan {
  repairs: PlannedRepair[];
  /** Needed repair but over this run's cap: left for the next run (the checkpoint stays before them). */
  deferred: PlannedRepair[];
  /** The new low-water mark: every execution started before it is settled and matches the API. */
  checkpoint?: string;
}

export interface PlanInput {
  summaries: readonly ExecutionSummary[];
  records: ReadonlyMap<string, ExecutionRecord | undefined>;
  now: string;
  staleAfterMs: number;
  cap: number;
  previousCheckpoint?: string;
  /** Executions an earlier run, cut short by the page limit, already gave their settled look. */
  reviewed?: ReviewedRange;
  /** Shapes earlier runs learned (the checkpoint keeps them: a listing may hold no successful peer). */
  knownShapes?: Readonly<Record<string, readonly string[]>>;
}

/** Start times [from, through) whose executions were listed settled and looked at once. */
export interface ReviewedRange {
  from: string;
  through: string;
}

const TERMINAL_API = new Set(['Succeeded', 'Failed', 'Stopped', 'Cancelled', 'Superseded']);

/** Which executions the API knows better than the table, oldest first, at most `cap`. Pure. */
export function planRepairs(input: PlanInput): RepairPlan {
  const candidates: PlannedRepair[] = [];
  const unsettled: string[] = [];
  let newest: string | undefined;
  const ordered = [...input.summaries]
    .filter((summary) => summary.pipelineExecutionId && summary.startTime)
    .sort((a, b) => (a.startTime as Date).getTime() - (b.startTime as Date).getTime());

  const peers = settledShapes(input.records, input.knownShapes);
  for (const summary of ordered) {
    const executionId = summary.pipelineExecutionId as string;
    const startTime = (summary.startTime as Date).toISOString();
    if (!newest || startTime > newest) newest = startTime;
    const reasons = repairReasons(summary, input.records.get(executionId), { ...input, peers });
    if (reasons.length > 0) candidates.push({ executionId, summary, reasons });
    if (!TERMINAL_API.has(String(summary.status))) unsettled.push(startTime);
  }

  // A missing execution recorded now may be the first settled peer of its version: the one that shows what an
  // older, recorded execution lacks (missesParts). While any is missing, the checkpoint stays at the oldest
  // recorded standard execution listed, so the next run judges it again with that peer.
  if (candidates.some((candidate) => candidate.reasons.includes('missing'))) {
    for (const summary of ordered) {
      const record = input.records.get(summary.pipelineExecutionId as string);
      if (record && record.executionType !== 'ROLLBACK')
        unsettled.push((summary.startTime as Date).toISOString());
    }
  }

  // Definite repairs first, oldest first. Then the looks, oldest first but rotated by the run's minute: a
  // look that finds nothing may repeat every run while its execution stays in the window (a stop before a
  // stage), and must not take the cap from the looks after it run after run.
  const definite = candidates.filter((candidate) => priority(candidate) === 0);
  const looks = candidates.filter((candidate) => priority(candidate) === 1);
  const turn = looks.length > 0 ? Math.floor(Date.parse(input.now) / 60_000) % looks.length : 0;
  const prioritized = [...definite, ...looks.slice(turn), ...looks.slice(0, turn)];
  const repairs = prioritized.slice(0, Math.max(0, input.cap));
  const deferred = prioritized.slice(repairs.length);
  for (const repair of deferred) unsettled.push((repair.summary.startTime as Date).toISOString());
  const lowWater = unsettled.length > 0 ? unsettled.reduce<string | undefined>(minString, undefined) : newest;
  const checkpoint =
    lowWater && input.previousCheckpoint && input.previousCheckpoint > lowWater
      ? input.previousCheckpoint
      : (lowWater ?? input.previousCheckpoint);
  return { repairs, deferred, checkpoint };
}

function priority(repair: PlannedRepair): number {
  return repair.reasons.some((reason) => DEFINITE_REASONS.has(reason)) ? 0 : 1;
}

export interface ReasonOptions {
  now: string;
  staleAfterMs: number;
  previousCheckpoint?: string;
  reviewed?: ReviewedRange;
  /** The stages and actions that settled, successful standard executions of each pipeline version ran. */
  peers?: ReadonlyMap<number, ReadonlySet<string>>;
}

export function repairReasons(
  summary: ExecutionSummary,
  record: ExecutionRecord | undefined,
  options: ReasonOptions,
): RepairReason[] {
  if (!record) return ['missing'];
  const reasons: RepairReason[] = [];
  const apiStatus = mapPipelineStatus(summary.status);
  if (!isTerminal(record)) {
    if (apiStatus && TERMINAL_API.has(String(summary.status))) reasons.push('ended-unrecorded');
    else if (Date.parse(options.now) - Date.parse(record.lastEventAt) > options.staleAfterMs)
      reasons.push('stale');
  } else if (apiStatus && !TERMINAL_API.has(String(summary.status))) {
    // A failed execution whose stage was retried (RESUMED lost): the API shows it running again.
    reasons.push('reopened');
  } else if (hasUnfinishedParts(record)) {
    reasons.push('unfinished-stages');
  } else if (missesParts(record, options.peers)) {
    // A stage (or action) whose every event was lost leaves little trace (see missesParts). Not only on the
    // first settled look: the peers that show it may be repaired later in the same window.
    reasons.push('missing-parts');
  } else if (observedAttempt(record) > 1 && isFirstSettledLook(summary, options)) {
    // A retry replaces an action's register with its new execution, so a lost event of the execution it
    // replaced (e.g. the failed deployment's id) leaves no trace in the record: read the actions once.
    reasons.push('retried');
  }
  if (!hasSourceRevisions(record)) reasons.push('no-source-revisions');
  if (startUnrecorded(summary, record)) reasons.push('start-unrecorded');
  return reasons;
}

/**
 * Events are stamped after the fact with whole seconds (a STARTED of 09:59:58.412 arrives as 10:00:00Z),
 * so the event time of a recorded start is always a little after the API's `startTime`.
 */
export const START_TOLERANCE_MS = 5_000;

/**
 * The start is unrecorded when no pipeline-level status was seen, or when the record's start (the
 * `start-time` any event carried, else its earliest event time) is later than the API's start by more than
 * the tolerance: then the execution's start (and so its duration and lead time) is really missing.
 */
function startUnrecorded(summary: ExecutionSummary, record: ExecutionRecord): boolean {
  if (!record.status) return true;
  if (!summary.startTime) return false;
  return Date.parse(executionStartTime(record)) - summary.startTime.getTime() > START_TOLERANCE_MS;
}

/**
 * Executions at or after the last checkpoint were not yet settled when the previous run looked, except those
 * a run cut short by the page limit already reviewed (its checkpoint could not pass older unread ones).
 */
function isFirstSettledLook(
  summary: ExecutionSummary,
  { previousCheckpoint, reviewed }: Pick<ReasonOptions, 'previousCheckpoint' | 'reviewed'>,
): boolean {
  const start = summary.startTime?.toISOString();
  if (previousCheckpoint === undefined) return true;
  if (start === undefined || start < previousCheckpoint) return false;
  return !(reviewed && reviewed.from <= start && start < reviewed.through);
}

/** `stage` and `stage/action` names an execution's record holds. */
function shapeOf(record: ExecutionRecord): string[] {
  return Object.entries(record.stages).flatMap(([stage, { actions }]) => [
    stage,
    ...Object.keys(actions).map((action) => `${stage}/${action}`),
  ]);
}

/**
 * What settled, successful, standard executions ran, by pipeline version: each of them ran every stage and
 * action of that version (a rollback execution runs one stage, a failed one stops early).
 */
export function settledShapes(
  records: ReadonlyMap<string, ExecutionRecord | undefined>,
  known: Readonly<Record<string, readonly string[]>> = {},
): Map<number, Set<string>> {
  const shapes = new Map<number, Set<string>>(
    Object.entries(known).map(([version, parts]) => [Number(version), new Set(parts)]),
  );
  for (const record of records.values()) {
    if (!record || !isPlainSuccess(record) || record.pipelineVersion === undefined) continue;
    const shape = shapes.get(record.pipelineVersion) ?? new Set<string>();
    for (const part of shapeOf(record)) shape.add(part);
    shapes.set(record.pipelineVersion, shape);
  }
  return shapes;
}

function isPlainSuccess(record: ExecutionRecord): boolean {
  return record.status?.status === 'SUCCEEDED' && record.executionType !== 'ROLLBACK';
}

/**
 * Signs that every event of a stage or action was lost: a stage that ran but has no action (or a gate
 * that failed it: read all the same), a failed execution without a failed stage, or a standard execution
 * without a stage or action that its pipeline version's successful executions ran.
 */
function missesParts(
  record: ExecutionRecord,
  peers: ReadonlyMap<number, ReadonlySet<string>> | undefined,
): boolean {
  const stages = Object.values(record.stages);
  // Every execution runs at least one stage, and every stage that ran (not SKIPPED) at least one action.
  if (stages.length === 0) return true;
  const ran = (stage: StageRecord) => stage.status !== undefined && stage.status.status !== 'SKIPPED';
  if (stages.some((stage) => ran(stage) && Object.keys(stage.actions).length === 0)) return true;
  if (
    record.status?.status === 'FAILED' &&
    !stages.some((stage) => stage.status?.status === 'FAILED' || stage.firstFailedAt !== undefined)
  ) {
    return true;
  }
  // Any standard execution, not only a successful one: a stopped execution whose first stage's events were
  // all lost shows nothing else. One that really ended before a stage is read again while it stays in the
  // window (a look, after every needed repair): bounded, and it finds nothing.
  if (!peers || record.executionType === 'ROLLBACK' || record.pipelineVersion === undefined) return false;
  const own = new Set(shapeOf(record));
  // A stage skipped by its entry condition ran none of its actions.
  const skipped = Object.entries(record.stages)
    .filter(([, stage]) => stage.status?.status === 'SKIPPED')
    .map(([name]) => `${name}/`);
  return [...(peers.get(record.pipelineVersion) ?? [])].some(
    (part) => !own.has(part) && !skipped.some((prefix) => part.startsWith(prefix)),
  );
}

function hasUnfinishedParts(record: ExecutionRecord): boolean {
  return Object.values(record.stages).some(
    (stage) =>
      // No status at all: both its STARTED and its end were lost, though its actions were recorded.
      stage.status === undefined ||
      stage.status.status === 'STARTED' ||
      stage.status.status === 'RESUMED' ||
      stage.status.status === 'STOPPING' ||
      Object.values(stage.actions).some((action) => action.status === 'STARTED'),
  );
}
