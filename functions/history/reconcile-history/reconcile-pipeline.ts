import type { BuildState } from '#events/codebuild-events';
import type { DeploymentState } from '#events/codedeploy-events';
import type { HistoryStore, Scope, ScopedPipeline } from '#history/adapters/history-store';
import type { CheckpointStore, ReconcileCheckpoint } from '#history/adapters/reconcile-checkpoint-store';
import type { ExecutionSummary } from '#history/domain/api-reads';
import type { ExecutionRecord } from '#history/domain/execution-record';
import { type ExecutionObservation, hasSourceRevisions, mergeAll } from '#history/domain/merge-execution';
import { observeBuildInfo } from '#history/domain/observe-api-build';
import { observeDeploymentInfo, observeDeploymentRollback } from '#history/domain/observe-api-deployment';
import { observeApiRead } from '#history/domain/observe-api-execution';
import { isRealRepair } from '#history/domain/real-repair';
import { BUILD_STATES, DEPLOYMENT_STATES, type RunRecord } from '#history/domain/run-record';
import { maxString, minString } from '#history/domain/status-register';
import type { BuildHistoryApi, DeploymentHistoryApi, PipelineHistoryApi } from '#history/ports';
import {
  type PlannedRepair,
  planRepairs,
  type RepairReason,
  type ReviewedRange,
  settledShapes,
} from './plan-repairs';

export interface ReconcileSettings {
  staleAfterMinutes: number;
  /** How far back the first run of a pipeline (no checkpoint yet) reads. */
  initialLookbackHours: number;
  /** Re-read this much before the checkpoint, for executions whose start was written late. */
  overlapMinutes: number;
  maxPagesPerPipeline: number;
}

export interface ReconcileDependencies {
  store: HistoryStore;
  checkpoints: CheckpointStore;
  pipelines: PipelineHistoryApi;
  deployments: DeploymentHistoryApi;
  /** CodeBuild reads (builds and batch builds); absent: builds are not reconciled. */
  builds?: BuildHistoryApi;
  region: string;
  /** The account the clients read (absent: the hub's own). */
  account?: string;
  settings: ReconcileSettings;
  /** Delivery metrics count a repair too: they follow its writes from the table's stream. */
  onRepaired: (repair: RepairedRecord) => void;
}

export type RepairedRecord =
  | {
      kind: 'execution';
      pipeline: string;
      executionId: string;
      reasons: RepairReason[];
      before?: string;
      after?: string;
    }
  | { kind: 'deployment'; deploymentId: string; before?: string; after?: string }
  | { kind: 'build'; buildId: string; before?: string; after?: string };

export interface ReconcileOutcome {
  pipeline: string;
  examined: number;
  /** Executions re-read this run (what the cap counts), changed or not. */
  attempted: number;
  repaired: number;
  /** False when RECONCILE_MAX_PAGES stopped the listing before the checkpoint. */
  complete: boolean;
  deferred: number;
  checkpoint?: string;
}

/**
 * Reads what CodePipeline (and CodeDeploy) say about a pipeline's executions since its checkpoint, and merges
 * every difference into the history through the same join the events use. `budget` is the number of
 * executions this call may repair (the run's hard cap, shared by all pipelines).
 */
export async function reconcilePipeline(
  deps: ReconcileDependencies,
  pipeline: string,
  now: string,
  budget: number,
): Promise<ReconcileOutcome> {
  const { settings } = deps;
  // The pipeline lives in the account and region the reconciler reads (its clients' region).
  const ref: ScopedPipeline = {
    account: deps.account ?? deps.store.hub.account,
    region: deps.region,
    pipeline,
  };
  const previous = await deps.checkpoints.get(ref, { readLegacy: isHub(ref, deps.store.hub) });
  const floor = previous
    ? shiftIso(previous.checkpoint, -settings.overlapMinutes * 60_000)
    : shiftIso(now, -settings.initialLookbackHours * 3_600_000);

  const { summaries, complete } = await listExecutionsSince(
    deps.pipelines,
    pipeline,
    floor,
    settings.maxPagesPerPipeline,
  );
  const records = new Map<string, ExecutionRecord | undefined>();
  for (const summary of summaries) {
    const id = summary.pipelineExecutionId as string;
    records.set(id, await deps.store.getExecution(ref, id));
  }
  const plan = planRepairs({
    summaries,
    records,
    now,
    staleAfterMs: settings.staleAfterMinutes * 60_000,
    cap: budget,
    previousCheckpoint: previous?.checkpoint,
    reviewed: reviewedRangeOf(previous),
    knownShapes: previous?.shapes,
  });

  let repaired = 0;
  for (const repair of plan.repairs) {
    const before = records.get(repair.executionId);
    const after = await repairExecution(deps, ref, repair);
    records.set(repair.executionId, after.record);
    if (after.changed && isRealRepair(after.previous, after.record)) {
      repaired++;
      deps.onRepaired({
        kind: 'execution',
        pipeline,
        executionId: repair.executionId,
        reasons: repair.reasons,
        before: before?.status?.status,
        after: after.record.status?.status,
      });
    }
  }
  repaired += await reconcileDeployments(deps, ref, [...records.values()]);
  repaired += await reconcileBuilds(deps, ref, [...records.values()]);

  // Pages stopped before the floor: older executions were not read, so the checkpoint must not pass them.
  // It is still written (the floor on a first run, so the window stops sliding), with the range this run
  // did review, so retried executions in it are not re-read, and do not take the cap, on every run.
  const checkpoint = complete ? plan.checkpoint : (previous?.checkpoint ?? floor);
  const reviewed = complete
    ? undefined
    : reviewedRange(summaries, plan.checkpoint, reviewedRangeOf(previous));
  if (checkpoint) {
    await deps.checkpoints.advance(ref, {
      shapes: shapesToKeep(settledShapes(records, previous?.shapes)),
      checkpoint,
      runAt: now,
      repaired,
      reviewedFrom: reviewed?.from,
      reviewedThrough: reviewed?.through,
    });
  }
  return {
    pipeline,
    examined: summaries.length,
    attempted: plan.repairs.length,
    complete,
    repaired,
    deferred: plan.deferred.length,
    checkpoint,
  };
}

async function listExecutionsSince(
  api: PipelineHistoryApi,
  pipeline: string,
  floor: string,
  maxPages: number,
): Promise<{ summaries: ExecutionSummary[]; complete: boolean }> {
  const summaries: ExecutionSummary[] = [];
  let nextToken: string | undefined;
  // Newest first (API order): stop at the first page that reaches back past the floor.
  for (let page = 0; page < maxPages; page++) {
    const response = await api.listExecutions(pipeline, nextToken);
    const items = response.summaries;
    let reachedFloor = false;
    for (const summary of items) {
      const start = summary.startTime?.toISOString();
      if (!start || start < floor) {
        reachedFloor = true;
        continue;
      }
      summaries.push(summary);
    }
    nextToken = response.nextToken;
    if (reachedFloor || !nextToken) return { summaries, complete: true };
  }
  return { summaries, complete: false };
}

async function repairExecution(deps: ReconcileDependencies, ref: ScopedPipeline, repair: PlannedRepair) {
  const { executionId, summary } = repair;
  const { pipeline } = ref;
  const details = await deps.pipelines.listActionExecutions(pipeline, executionId);
  let fetchedDetails: ExecutionObservation | undefined;
  const result = await deps.store.mergeExecution(ref, executionId, async (current) => {
    let next = mergeAll(observeApiRead(pipeline, summary, details, current), current) as ExecutionRecord;
    if (!hasSourceRevisions(next)) {
      const startTime = summary.startTime?.toISOString() ?? next.firstEventAt;
      fetchedDetails ??= await deps.pipelines.fetchExecutionDetails(pipeline, executionId, startTime);
      next = mergeAll([fetchedDetails], next) as ExecutionRecord;
    }
    return next;
  });
  await linkRuns(deps, ref, result.record);
  return result;
}

/**
 * The run item of each CodeDeploy and CodeBuild action names its execution, as the recorder does for action
 * events (the link is lost with the action's event otherwise).
 */
async function linkRuns(deps: ReconcileDependencies, scope: Scope, record: ExecutionRecord): Promise<void> {
  for (const [stageName, stage] of Object.entries(record.stages)) {
    for (const [actionName, action] of Object.entries(stage.actions)) {
      const runId = action.externalExecutionId;
      const kind = !runId
        ? undefined
        : record.deploymentIds?.includes(runId)
          ? 'deployment'
          : record.buildIds?.includes(runId)
            ? 'build'
            : undefined;
      if (!runId || !kind) continue;
      await deps.store.recordRun(
        {
          kind,
          runId,
          at: action.statusAt,
          pipelineLink: {
            pipeline: record.pipeline,
            executionId: record.executionId,
            stage: stageName,
            action: actionName,
          },
        },
        { account: scope.account, region: action.region ?? scope.region },
      );
    }
  }
}

/**
 * Deployments of the examined executions whose own record is missing its status or not yet terminal, or that
 * failed or stopped and were never asked whether CodeDeploy rolled them back (deployment events do not say);
 * then the rollback deployments those answers name, the same way.
 */
async function reconcileDeployments(
  deps: ReconcileDependencies,
  scope: Scope,
  records: readonly (ExecutionRecord | undefined)[],
): Promise<number> {
  const ids = [...new Set(records.flatMap((record) => record?.deploymentIds ?? []))].sort();
  const first = await readDeployments(deps, scope, ids);
  const second = await readDeployments(deps, scope, first.rollbackIds);
  return first.repaired + second.repaired;
}

async function readDeployments(
  deps: ReconcileDependencies,
  scope: Scope,
  ids: readonly string[],
): Promise<{ repaired: number; rollbackIds: string[] }> {
  const runs = new Map<string, RunRecord | undefined>();
  for (const id of ids) {
    const run = await deps.store.getRun('deployment', id, scope);
    if (needsDeploymentRead(run)) runs.set(id, run);
  }
  let repaired = 0;
  const rollbackIds: string[] = [];
  if (runs.size === 0) return { repaired, rollbackIds };
  for (const info of await deps.deployments.getDeployments([...runs.keys()])) {
    const observation = observeDeploymentInfo(info, deps.region);
    if (!observation || !runs.has(observation.runId)) continue;
    const before = runs.get(observation.runId);
    const link = before?.pipelineLink;
    const observations = [observation, ...observeDeploymentRollback(info, observation.at, link)];
    for (const next of observations) {
      const result = await deps.store.recordRun(next, scope);
      if (next.runId !== observation.runId) {
        if (!runs.has(next.runId)) rollbackIds.push(next.runId);
        continue;
      }
      if (next !== observation || !result.changed || !isRealRepair(result.previous, result.record)) continue;
      repaired++;
      deps.onRepaired({
        kind: 'deployment',
        deploymentId: observation.runId,
        before: before?.status?.status,
        after: result.record.status?.status,
      });
    }
  }
  return { repaired, rollbackIds: [...new Set(rollbackIds)].sort() };
}

/**
 * Builds of the examined executions whose own record is missing its status or not yet terminal: a lost
 * build event, or a batch build, which has no events at all (the read gives it its status).
 */
async function reconcileBuilds(
  deps: ReconcileDependencies,
  scope: Scope,
  records: readonly (ExecutionRecord | undefined)[],
): Promise<number> {
  if (!deps.builds) return 0;
  const open = new Map<string, RunRecord | undefined>();
  for (const id of [...new Set(records.flatMap((record) => record?.buildIds ?? []))].sort()) {
    const run = await deps.store.getRun('build', id, scope);
    const status = run?.status?.status as BuildState | undefined;
    if (!status || !BUILD_STATES.terminal.has(status)) open.set(id, run);
  }
  if (open.size === 0) return 0;
  let repaired = 0;
  for (const report of await deps.builds.getBuilds([...open.keys()])) {
    const observation = observeBuildInfo(report);
    if (!observation || !open.has(observation.runId)) continue;
    const result = await deps.store.recordRun(observation, scope);
    if (!result.changed || !isRealRepair(result.previous, result.record)) continue;
    repaired++;
    deps.onRepaired({
      kind: 'build',
      buildId: observation.runId,
      before: open.get(observation.runId)?.status?.status,
      after: result.record.status?.status,
    });
  }
  return repaired;
}

function needsDeploymentRead(run: RunRecord | undefined): boolean {
  const status = run?.status?.status as DeploymentState | undefined;
  if (!status || !DEPLOYMENT_STATES.terminal.has(status)) return true;
  return status !== 'SUCCESS' && run?.rollback === undefined;
}

/** The newest pipeline versions' shapes (older versions' executions have left the window). */
const SHAPES_KEPT = 3;

function shapesToKeep(shapes: Map<number, Set<string>>): Record<string, string[]> | undefined {
  const versions = [...shapes.keys()].sort((a, b) => b - a).slice(0, SHAPES_KEPT);
  if (versions.length === 0) return undefined;
  return Object.fromEntries(
    versions.map((version) => [String(version), [...(shapes.get(version) ?? [])].sort()]),
  );
}

function isHub(ref: Scope, hub: Scope): boolean {
  return ref.account === hub.account && ref.region === hub.region;
}

function reviewedRangeOf(checkpoint: ReconcileCheckpoint | undefined): ReviewedRange | undefined {
  return checkpoint?.reviewedFrom && checkpoint.reviewedThrough
    ? { from: checkpoint.reviewedFrom, through: checkpoint.reviewedThrough }
    : undefined;
}

/**
 * What a listing cut short reviewed: from its oldest listed start up to the low-water mark of what it
 * listed (every settled execution before it had its look). Joined to the previous range when they meet.
 */
function reviewedRange(
  summaries: readonly ExecutionSummary[],
  lowWater: string | undefined,
  previous: ReviewedRange | undefined,
): ReviewedRange | undefined {
  const starts = summaries.map((summary) => summary.startTime?.toISOString()).filter((start) => !!start);
  const from = starts.reduce<string | undefined>(minString, undefined);
  if (!from || !lowWater || lowWater <= from) return previous;
  const current = { from, through: lowWater };
  if (!previous || previous.through < current.from || current.through < previous.from) return current;
  return {
    from: minString(previous.from, current.from) ?? current.from,
    through: maxString(previous.through, current.through) ?? current.through,
  };
}

function shiftIso(iso: string, deltaMs: number): string {
  return new Date(Date.parse(iso) + deltaMs).toISOString();
}
