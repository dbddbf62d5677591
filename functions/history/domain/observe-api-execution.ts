import type { ActionState, PipelineState } from '#events/codepipeline-events';
import { withoutUndefined } from '#platform/without-undefined';
import type { ActionExecutionReport, ExecutionSummary } from './api-reads';
import { clipText, type ExecutionRecord, TERMINAL_PIPELINE_STATES } from './execution-record';
import type { ExecutionObservation } from './merge-execution';
import { ownEntry } from './own-entry';
import { maxString } from './status-register';

type PipelineObservation = Extract<ExecutionObservation, { kind: 'pipeline' }>;
type StageObservation = Extract<ExecutionObservation, { kind: 'stage' }>;
type ActionObservation = Extract<ExecutionObservation, { kind: 'action' }>;

// botocore PipelineExecutionStatus → the event states (CodePipeline user guide state tables). Maps keyed by
// `string | undefined`, so an absent status is looked up like an unknown one (and a Map has no prototype keys).
const PIPELINE_STATUS: ReadonlyMap<string | undefined, PipelineState> = new Map([
  ['InProgress', 'STARTED'],
  ['Succeeded', 'SUCCEEDED'],
  ['Failed', 'FAILED'],
  ['Stopped', 'STOPPED'],
  ['Stopping', 'STOPPING'],
  ['Cancelled', 'CANCELED'],
  ['Superseded', 'SUPERSEDED'],
]);

// botocore ActionExecutionStatus: InProgress | Abandoned | Succeeded | Failed.
const ACTION_STATUS: ReadonlyMap<string | undefined, ActionState> = new Map([
  ['InProgress', 'STARTED'],
  ['Abandoned', 'ABANDONED'],
  ['Succeeded', 'SUCCEEDED'],
  ['Failed', 'FAILED'],
]);

export function mapPipelineStatus(status: string | undefined): PipelineState | undefined {
  return PIPELINE_STATUS.get(status);
}

export function mapActionStatus(status: string | undefined): ActionState | undefined {
  return ACTION_STATUS.get(status);
}

/**
 * The attempt an API observation carries.
 *
 * The API never says which `pipeline-execution-attempt` a status belongs to, and the register orders by
 * attempt before time. So the observation takes the highest attempt the record has already seen (1 when
 * there is no record): the API reads the execution as it is now, which is at least that attempt.
 * - It never outranks an event of a later attempt (attempt N+1 > N, whatever the times), so a RESUMED
 *   that the reconciler had not yet seen still re-opens the execution.
 * - Within the same attempt, time decides: a terminal event after the read wins, an event before it loses,
 *   which is what happened.
 * A larger value (Infinity, N + 0.5) would let a stale API read beat later events of the same attempt
 * (regression); 0 would let every STARTED event beat the API's terminal status (no repair).
 * If a RESUMED was lost, the read is labelled with the older attempt and a late event of the new attempt
 * may outrank it; the next run reads again with the new attempt, so the record still converges.
 */
export function observedAttempt(record: ExecutionRecord | undefined): number {
  if (!record) return 1;
  let attempt = record.status?.attempt ?? 1;
  for (const stage of Object.values(record.stages)) {
    attempt = Math.max(attempt, stage.status?.attempt ?? 1);
    for (const action of Object.values(stage.actions)) attempt = Math.max(attempt, action.attempt);
  }
  return attempt;
}

/**
 * Stages and their actions are labelled with the highest attempt seen *in that stage* (1 if none): a retry
 * re-runs only some stages, and a stage that did not re-run keeps the attempt its own events carried, so
 * the API's observation of it equals its events instead of a relabelled copy. Every action execution of
 * one stage in one read gets the same label, so among them the latest in time wins: labelling the action
 * execution the record already holds with its own (older) attempt would let an earlier failed execution
 * outrank the retry that replaced it (found by tests/unit/reconcile-history/converge.property.test.ts).
 * The label is at most observedAttempt, so the guarantee above holds.
 */
export function stageAttempt(record: ExecutionRecord | undefined, stageName: string): number {
  const stage = record ? ownEntry(record.stages, stageName) : undefined;
  if (!stage) return 1;
  let attempt = stage.status?.attempt ?? 1;
  for (const action of Object.values(stage.actions)) attempt = Math.max(attempt, action.attempt);
  return attempt;
}

/**
 * What one ListPipelineExecutions summary says: the execution started at `startTime` (always attempt 1: a
 * start is the first attempt by definition, so this equals a lost STARTED event), and it was in `status`
 * at `lastUpdateTime`.
 */
export function observeExecutionSummary(
  pipeline: string,
  summary: ExecutionSummary,
  attempt: number,
): PipelineObservation[] {
  const executionId = summary.pipelineExecutionId;
  const startTime = summary.startTime?.toISOString();
  const status = mapPipelineStatus(summary.status);
  if (!executionId || !startTime || !status) return [];
  const trigger = summary.trigger
    ? withoutUndefined({ type: summary.trigger.triggerType, detail: summary.trigger.triggerDetail })
    : undefined;
  const stopComments = clipText(summary.stopTrigger?.reason || undefined);
  const base = { kind: 'pipeline' as const, pipeline, executionId, startTime };
  const started: PipelineObservation = withoutUndefined({
    ...base,
    at: startTime,
    status: { status: 'STARTED' as const, statusAt: startTime, attempt: 1 },
    trigger,
  });
  const lastUpdate = summary.lastUpdateTime?.toISOString() ?? startTime;
  if (status === 'STARTED' && lastUpdate === startTime) return [started];
  const updatedAt = toWholeSecond(lastUpdate);
  return [
    started,
    withoutUndefined({
      ...base,
      at: updatedAt,
      status: { status, statusAt: updatedAt, attempt },
      trigger,
      stopComments,
    }),
  ];
}

/**
 * API timestamps have milliseconds, event times whole seconds (and are stamped after the change). Compared
 * as they are, an InProgress read at 10:12:41.400 would beat the SUCCEEDED event of 10:12:41Z and re-open a
 * finished execution. Truncated to the second, the two tie on time and the state's rank decides (terminal
 * wins), as it does between two events of the same second.
 */
export function toWholeSecond<T extends string | undefined>(iso: T): T {
  return (iso === undefined ? iso : `${iso.slice(0, 19)}.000Z`) as T;
}

/** One ListActionExecutions detail, as the action event for its current status would have said it. */
export function observeActionExecution(
  pipeline: string,
  detail: ActionExecutionReport,
  attempt: number,
): ActionObservation | undefined {
  const status = mapActionStatus(detail.status);
  const at = toWholeSecond((detail.lastUpdateTime ?? detail.startTime)?.toISOString());
  if (!status || !at || !detail.pipelineExecutionId || !detail.stageName || !detail.actionName) {
    return undefined;
  }
  const type = detail.input?.actionTypeId;
  const result = detail.output?.executionResult;
  // Action events carry execution-result only once the action has finished.
  const finished = status !== 'STARTED';
  return withoutUndefined({
    kind: 'action' as const,
    pipeline,
    executionId: detail.pipelineExecutionId,
    at,
    startTime: undefined,
    pipelineVersion: detail.pipelineVersion,
    stage: detail.stageName,
    action: detail.actionName,
    record: withoutUndefined({
      status,
      statusAt: at,
      attempt,
      actionExecutionId: detail.actionExecutionId,
      provider: type?.provider,
      category: type?.category,
      owner: type?.owner,
      region: detail.input?.region,
      externalExecutionId: finished ? result?.externalExecutionId : undefined,
      externalExecutionUrl: finished ? result?.externalExecutionUrl : undefined,
      summary: finished ? clipText(result?.externalExecutionSummary) : undefined,
      errorCode: finished ? result?.errorDetails?.code : undefined,
    }),
  });
}

/**
 * Stage statuses have no API of their own for past executions (GetPipelineState shows only the latest), so
 * they are inferred once the whole execution is terminal: a stage whose listed actions all ended ended
 * with them, at its last action's time (CodePipeline emits the stage event in the same second). Only the
 * latest execution of each action counts, so a retried action's earlier failure does not fail the stage.
 * The inferred time may precede the real stage event; a real event then wins on time, which is harmless.
 */
export function inferStageObservations(
  pipeline: string,
  executionId: string,
  actions: readonly ActionObservation[],
  executionTerminal: boolean,
  attempt: number | ((stage: string) => number),
): StageObservation[] {
  if (!executionTerminal) return [];
  const latest = new Map<string, ActionObservation>();
  for (const action of actions) {
    const key = `${action.stage}\u0000${action.action}`;
    const seen = latest.get(key);
    if (!seen || seen.at < action.at) latest.set(key, action);
  }
  const byStage = new Map<string, ActionObservation[]>();
  for (const action of latest.values()) {
    byStage.set(action.stage, [...(byStage.get(action.stage) ?? []), action]);
  }
  const stages: StageObservation[] = [];
  // A retried stage's earlier failure: the register keeps the later outcome, but the failure itself is
  // recorded (`firstFailedAt`, for delivery metrics), as the stage's FAILED event would have done.
  for (const action of actions) {
    const isLatest = latest.get(`${action.stage}\u0000${action.action}`) === action;
    if (isLatest || action.record.status !== 'FAILED') continue;
    stages.push({
      kind: 'stage',
      pipeline,
      executionId,
      at: action.at,
      stage: action.stage,
      status: {
        status: 'FAILED',
        statusAt: action.at,
        attempt: typeof attempt === 'number' ? attempt : attempt(action.stage),
      },
    });
  }
  for (const [stage, stageActions] of byStage) {
    if (stageActions.some((action) => action.record.status === 'STARTED')) continue;
    const at = stageActions.map((action) => action.at).reduce<string>((a, b) => maxString(a, b) ?? a, '');
    const failed = stageActions.some((action) => action.record.status === 'FAILED');
    const abandoned = stageActions.some((action) => action.record.status === 'ABANDONED');
    const status = failed ? 'FAILED' : abandoned ? 'STOPPED' : 'SUCCEEDED';
    stages.push({
      kind: 'stage',
      pipeline,
      executionId,
      at,
      stage,
      status: { status, statusAt: at, attempt: typeof attempt === 'number' ? attempt : attempt(stage) },
    });
  }
  return stages;
}

/**
 * Everything one API read (a ListPipelineExecutions summary and that execution's ListActionExecutions
 * details) says, labelled with the attempt of the record it is about to be merged into (see observedAttempt).
 */
export function observeApiRead(
  pipeline: string,
  summary: ExecutionSummary,
  details: readonly ActionExecutionReport[],
  current: ExecutionRecord | undefined,
): ExecutionObservation[] {
  const executionId = summary.pipelineExecutionId;
  if (!executionId) return [];
  const pipelineObservations = observeExecutionSummary(pipeline, summary, observedAttempt(current));
  const actions = details
    .filter((detail) => detail.pipelineExecutionId === executionId)
    .map((detail) => observeActionExecution(pipeline, detail, stageAttempt(current, detail.stageName ?? '')))
    .filter((observation) => observation !== undefined);
  const status = mapPipelineStatus(summary.status);
  const terminal = status !== undefined && TERMINAL_PIPELINE_STATES.has(status);
  const stages = inferStageObservations(pipeline, executionId, actions, terminal, (stage) =>
    stageAttempt(current, stage),
  );
  return [...pipelineObservations, ...actions, ...stages];
}
