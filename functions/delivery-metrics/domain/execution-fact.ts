import type { ExecutionRecord, StageRecord } from '#history/domain/execution-record';
import { changeCreatedAt } from './delivery-timeline';

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
  /** The change's creation time (newest source revision, else the trigger's commit date). */
  c?: number;
  /** Stage name → [succeeded at or 0, first failed at or 0], for the stages DORA can read (see stagesOf). */
  g: Record<string, [number, number]>;
  /** CodeDeploy deployment ids, so an alarm incident linked to a deployment finds its execution. */
  d?: string[];
  /** The record's last event time: a fact is never replaced by one from an older record. */
  v: number;
}

const DAY_MS = 86_400_000;

/** The fact of an execution; `productionStage` is the configured one (undefined: the pipeline's last stage). */
export function executionFactOf(record: ExecutionRecord, productionStage?: string): ExecutionFact {
  const committedAt = changeCreatedAt(record);
  const fact: ExecutionFact = {
    s: Date.parse(record.startTime ?? record.firstEventAt),
    g: stagesOf(record.stages, productionStage),
    v: Date.parse(record.lastEventAt),
  };
  if (record.executionType === 'ROLLBACK') fact.r = 1;
  if (record.status?.status === 'SUCCEEDED' && record.endTime) fact.ok = Date.parse(record.endTime);
  if (committedAt) fact.c = Date.parse(committedAt);
  if (record.deploymentIds?.length) fact.d = [...record.deploymentIds];
  return fact;
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
export function recordOfFact(pipeline: string, executionId: string, fact: ExecutionFact): ExecutionRecord {
  const iso = (millis: number) => new Date(millis).toISOString();
  const stages: Record<string, StageRecord> = {};
  for (const [name, [succeededAt, failedAt]] of Object.entries(fact.g)) {
    stages[name] = {
      ...(succeededAt ? { status: { status: 'SUCCEEDED', statusAt: iso(succeededAt), attempt: 1 } } : {}),
      ...(failedAt ? { firstFailedAt: iso(failedAt) } : {}),
      actions: {},
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
    ...(fact.r ? { executionType: 'ROLLBACK' as const } : {}),
    ...(fact.c ? { trigger: { authorDate: iso(fact.c) } } : {}),
    ...(fact.d ? { deploymentIds: fact.d } : {}),
    stages,
  };
}

/**
 * The stages the timeline can read as "production": the configured stage; otherwise the stage that succeeded
 * last (the last stage, once the execution reached it: productionStageOf's rule) and every stage that failed.
 * A 5-stage execution thus keeps one or two stages, which is most of what makes a fact small.
 */
function stagesOf(
  stages: Record<string, StageRecord>,
  productionStage: string | undefined,
): Record<string, [number, number]> {
  const kept: Record<string, [number, number]> = {};
  const succeededAt = (stage: StageRecord | undefined) =>
    stage?.status?.status === 'SUCCEEDED' ? Date.parse(stage.status.statusAt) : 0;
  const failedAt = (stage: StageRecord | undefined) =>
    stage?.firstFailedAt ? Date.parse(stage.firstFailedAt) : 0;
  const keep = (name: string) => {
    const stage = stages[name];
    const signal: [number, number] = [succeededAt(stage), failedAt(stage)];
    if (signal[0] || signal[1]) kept[name] = signal;
  };
  if (productionStage) {
    keep(productionStage);
    return kept;
  }
  let last: { name: string; at: string } | undefined;
  for (const [name, stage] of Object.entries(stages)) {
    if (stage.firstFailedAt) keep(name);
    if (stage.status?.status !== 'SUCCEEDED') continue;
    if (!last || stage.status.statusAt > last.at || (stage.status.statusAt === last.at && name > last.name)) {
      last = { name, at: stage.status.statusAt };
    }
  }
  if (last) keep(last.name);
  return kept;
}
