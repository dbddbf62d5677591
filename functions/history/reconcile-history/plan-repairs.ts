import type { ExecutionSummary } from '#history/domain/api-reads';
import type { ExecutionRecord } from '#history/domain/execution-record';
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
  | 'retried';

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

  for (const summary of ordered) {
    const executionId = summary.pipelineExecutionId as string;
    const startTime = (summary.startTime as Date).toISOString();
    if (!newest || startTime > newest) newest = startTime;
    const reasons = repairReasons(summary, input.records.get(executionId), input);
    if (reasons.length > 0) candidates.push({ executionId, summary, reasons });
    if (!TERMINAL_API.has(String(summary.status))) unsettled.push(startTime);
  }

  const repairs = candidates.slice(0, Math.max(0, input.cap));
  const deferred = candidates.slice(repairs.length);
  for (const repair of deferred) unsettled.push((repair.summary.startTime as Date).toISOString());
  const lowWater = unsettled.length > 0 ? unsettled.reduce<string | undefined>(minString, undefined) : newest;
  const checkpoint =
    lowWater && input.previousCheckpoint && input.previousCheckpoint > lowWater
      ? input.previousCheckpoint
      : (lowWater ?? input.previousCheckpoint);
  return { repairs, deferred, checkpoint };
}

export function repairReasons(
  summary: ExecutionSummary,
  record: ExecutionRecord | undefined,
  options: { now: string; staleAfterMs: number; previousCheckpoint?: string },
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
  } else if (observedAttempt(record) > 1 && isFirstSettledLook(summary, options.previousCheckpoint)) {
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

/** Executions at or after the last checkpoint were not yet settled when the previous run looked. */
function isFirstSettledLook(summary: ExecutionSummary, previousCheckpoint: string | undefined): boolean {
  const start = summary.startTime?.toISOString();
  return previousCheckpoint === undefined || (start !== undefined && start >= previousCheckpoint);
}

function hasUnfinishedParts(record: ExecutionRecord): boolean {
  return Object.values(record.stages).some(
    (stage) =>
      stage.status?.status === 'STARTED' ||
      stage.status?.status === 'RESUMED' ||
      stage.status?.status === 'STOPPING' ||
      Object.values(stage.actions).some((action) => action.status === 'STARTED'),
  );
}
