import type { ExecutionRecord, StageRecord } from '#history/domain/execution-record';
import { changeCreatedAt, type DeliveryExecution } from './delivery-timeline';
import { blockedByGate } from './gate-block';
import type { ExecutionMode } from './pipeline-structure';
import { lastSucceededStage } from './production-stage';

/**
 * What DORA needs to know about one execution, and nothing else: the few numbers the delivery timeline reads
 * (production success, first failure, rollback start, change time, CodeDeploy ids). It depends on that
 * execution alone, so writing it is idempotent: a redelivered or reordered event rewrites the same fact
 * under the same execution id, replacing (never adding to) what was there. Which deployment a failure is
 * attributed to, and what restored it, is decided when the report is read, over the facts of the range.
 *
 * Times are epoch milliseconds (a DynamoDB number of ~8 bytes instead of a 24-byte ISO string).
 */
export interface ExecutionFact {
  /** Start (or first event): the day the fact is filed under, and a rollback's failure signal. */
  s: number;
  /** Set (1) for a rollback execution. */
  r?: 1;
  /** End time, set only when the execution as a whole SUCCEEDED (the production stage is read off those). */
  ok?: number;
  /**
   * End time of an execution that ended any other way (failed, stopped, superseded, cancelled): the delivery
   * metrics count a change from the fact written last, and "ended" decides what they read of an execution.
   */
  e?: number;
  /** The change's creation time (newest source revision, else the trigger's commit date). */
  c?: number;
  /**
   * Stage name → [succeeded at or 0, first failed at or 0, gate-blocked at], for the stages DORA can read (see
   * stagesOf). A stage an entry condition failed (no action ran) has 0 as its failure and the time third.
   */
  g: Record<string, StageSignal>;
  /** The production stage of the execution's pipeline version (configured, or its declared last stage). */
  p?: string;
  /** Set (1) when the pipeline ran in PARALLEL mode. */
  m?: 1;
  /** CodeDeploy deployment ids, so an alarm incident linked to a deployment finds its execution. */
  d?: string[];
  /** The record's last event time: a fact is never replaced by one from an older record. */
  v: number;
}

export type StageSignal = [number, number] | [number, number, number];

/** What the recorder knows of the execution's pipeline version when it writes the fact. */
export interface FactContext {
  /** Configured or declared; undefined: unknown, so the fact keeps every candidate for productionStageOf. */
  productionStage?: string;
  executionMode?: ExecutionMode;
}

const DAY_MS = 86_400_000;
// Stands for "an action of this stage ran" in a record rebuilt from a fact, so a failure reads as one.
const ACTION_RAN = 'action';

/** The fact of an execution, with what is known of its pipeline version. */
export function executionFactOf(record: ExecutionRecord, context: FactContext = {}): ExecutionFact {
  const committedAt = changeCreatedAt(record);
  const rollback = record.executionType === 'ROLLBACK';
  const fact: ExecutionFact = {
    s: Date.parse(record.startTime ?? record.firstEventAt),
    g: stagesOf(record.stages, context.productionStage, rollback),
    v: Date.parse(record.lastEventAt),
  };
  if (context.productionStage) fact.p = context.productionStage;
  if (context.executionMode === 'PARALLEL') fact.m = 1;
  if (rollback) fact.r = 1;
  if (record.status?.status === 'SUCCEEDED' && record.endTime) fact.ok = Date.parse(record.endTime);
  else if (record.endTime) fact.e = Date.parse(record.endTime);
  if (committedAt) fact.c = Date.parse(committedAt);
  if (record.deploymentIds?.length) fact.d = [...record.deploymentIds];
  return fact;
}

/**
 * Whether the delivery timeline reads nothing from this fact: no stage result it keeps, not ended, no
 * CodeDeploy deployment named. Rebuilt as a record (recordOfFact), such an execution deploys, fails, restores
 * and links an alarm to nothing, exactly as its full record does while it is in this state; it is most of an
 * execution's life (from its start to its first stage result), so no fact need be stored for it.
 */
export function readsAsNothing(fact: ExecutionFact): boolean {
  return Object.keys(fact.g).length === 0 && !fact.ok && !fact.e && !fact.d?.length;
}

/** The UTC day (yyyy-mm-dd) a fact is filed under: its execution's start, as the history orders executions. */
export function factDay(fact: Pick<ExecutionFact, 's'>): string {
  return new Date(Math.floor(fact.s / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

export function sameFact(a: ExecutionFact | undefined, b: ExecutionFact | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Back to the shape the delivery timeline reads, so rollups and full records go through one definition of
 * deployments, failures and restores. Only the fields the timeline and productionStageOf read are filled in.
 */
export function recordOfFact(pipeline: string, executionId: string, fact: ExecutionFact): DeliveryExecution {
  const iso = (millis: number) => new Date(millis).toISOString();
  const stages: Record<string, StageRecord> = {};
  for (const [name, [succeededAt, failedAt, blockedAt = 0]] of Object.entries(fact.g)) {
    stages[name] = {
      ...(succeededAt ? { status: { status: 'SUCCEEDED', statusAt: iso(succeededAt), attempt: 1 } } : {}),
      ...(failedAt || blockedAt ? { firstFailedAt: iso(failedAt || blockedAt) } : {}),
      actions: failedAt ? { [ACTION_RAN]: { status: 'FAILED', statusAt: iso(failedAt), attempt: 1 } } : {},
    };
  }
  return {
    pipeline,
    executionId,
    startTime: iso(fact.s),
    firstEventAt: iso(fact.s),
    lastEventAt: iso(fact.v),
    ...(fact.ok
      ? { status: { status: 'SUCCEEDED', statusAt: iso(fact.ok), attempt: 1 }, endTime: iso(fact.ok) }
      : {}),
    ...(fact.e ? { endTime: iso(fact.e) } : {}),
    ...(fact.r ? { executionType: 'ROLLBACK' as const } : {}),
    ...(fact.c ? { trigger: { authorDate: iso(fact.c) } } : {}),
    ...(fact.d ? { deploymentIds: fact.d } : {}),
    ...(fact.p ? { productionStage: fact.p } : {}),
    ...(fact.m ? { executionMode: 'PARALLEL' as const } : {}),
    stages,
  };
}

/**
 * The stages the timeline can read as "production": the known production stage; otherwise the stage that
 * succeeded last (productionStageOf's rule) and every stage that failed. A 5-stage execution thus keeps one or
 * two stages, which is most of what makes a fact small. A rollback keeps the stages it ran even before they
 * end: that the rollback touched production at all is its failure signal.
 */
function stagesOf(
  stages: Record<string, StageRecord>,
  productionStage: string | undefined,
  rollback: boolean,
): Record<string, StageSignal> {
  const kept: Record<string, StageSignal> = {};
  const keep = (name: string) => {
    const stage = stages[name];
    if (!stage) return;
    const succeededAt = stage.status?.status === 'SUCCEEDED' ? Date.parse(stage.status.statusAt) : 0;
    const failedAt = stage.firstFailedAt ? Date.parse(stage.firstFailedAt) : 0;
    if (failedAt && blockedByGate(stage)) kept[name] = [succeededAt, 0, failedAt];
    else if (succeededAt || failedAt || rollback) kept[name] = [succeededAt, failedAt];
  };
  if (productionStage) {
    keep(productionStage);
    return kept;
  }
  const entries = Object.entries(stages);
  for (const [name, stage] of entries) if (stage.firstFailedAt || rollback) keep(name);
  // Kept last, as it always was: the key order is part of the stored fact (sameFact compares JSON).
  const last = lastSucceededStage(entries);
  if (last) keep(last);
  return kept;
}
