import type { ActionState, PipelineState, StageState } from '#events/codepipeline-events';
import type { RankTable, StatusRegister } from './status-register';

/**
 * One pipeline execution, as recorded from events and assembled from its items (a header, one item per
 * stage and per action: docs/data-model.md), so one event is one small conditional write whatever the
 * execution's size, and reading an execution is one Query of its partition.
 */
export interface ExecutionRecord {
  /** The account and region the pipeline lives in (absent on records made before they were recorded). */
  account?: string;
  region?: string;
  pipeline: string;
  executionId: string;
  /** Absent until a pipeline-level event (or the reconciler) says what the execution as a whole is doing. */
  status?: StatusRegister<PipelineState>;
  /** Earliest `start-time` any event carried (events before late 2023 carry none). */
  startTime?: string;
  /** Earliest event time seen: stands in for `startTime` when no event carried one. */
  firstEventAt: string;
  /** Set when `status` is terminal: the time of that terminal event. */
  endTime?: string;
  pipelineVersion?: number;
  trigger?: TriggerInfo;
  executionType?: 'STANDARD' | 'ROLLBACK';
  rollbackTargetExecutionId?: string;
  sourceRevisions?: SourceRevision[];
  /** The pipeline variables the execution resolved (GetPipelineExecution), by name. */
  variables?: PipelineVariable[];
  /** The reason given to StopPipelineExecution (the STOPPING event's `stop-execution-comments`). */
  stopComments?: string;
  stages: Record<string, StageRecord>;
  /** CodeDeploy deployment ids and CodeBuild build ids started by this execution's actions. */
  deploymentIds?: string[];
  buildIds?: string[];
  lastEventAt: string;
}

export interface StageRecord {
  status?: StatusRegister<StageState>;
  lastRetryAt?: string;
  /** Earliest FAILED observation of this stage: kept even when a retry later succeeds (DORA failures). */
  firstFailedAt?: string;
  actions: Record<string, ActionRecord>;
}

export interface ActionRecord extends StatusRegister<ActionState> {
  actionExecutionId?: string;
  provider?: string;
  category?: string;
  owner?: string;
  region?: string;
  externalExecutionId?: string;
  externalExecutionUrl?: string;
  summary?: string;
  errorCode?: string;
}

export interface TriggerInfo {
  type?: string;
  detail?: string;
  commitId?: string;
  commitMessage?: string;
  authorDate?: string;
  author?: string;
  repository?: string;
  branch?: string;
  tag?: string;
  /** Connection triggers: the Git provider (GitHub, GitLab, Bitbucket, …), its connection, the author's e-mail. */
  providerType?: string;
  connectionArn?: string;
  authorEmail?: string;
}

export interface PipelineVariable {
  name: string;
  value: string;
}

export interface SourceRevision {
  actionName: string;
  revisionId?: string;
  summary?: string;
  /** When the revision (commit) was created: the start of lead time for changes. */
  createdAt?: string;
  url?: string;
}

/**
 * Free text from CodePipeline (an action's execution summary: up to 2,048 characters; a commit message:
 * unbounded) is clipped to this many characters when observed, so one execution item stays far below
 * DynamoDB's 400 KB: an action costs at most about 1.2 KB with it (ids, URL, clipped summary), so an execution
 * of up to ~300 actions fits. See README "How the history stays correct".
 */
export const MAX_TEXT_LENGTH = 512;

/** `text` cut to MAX_TEXT_LENGTH characters (ending in "…" when cut, never inside a surrogate pair). */
export function clipText<T extends string | undefined>(text: T): T {
  if (text === undefined || text.length <= MAX_TEXT_LENGTH) return text;
  let end = MAX_TEXT_LENGTH - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…` as T;
}

export const TERMINAL_PIPELINE_STATES: ReadonlySet<PipelineState> = new Set([
  'SUCCEEDED',
  'FAILED',
  'STOPPED',
  'CANCELED',
  'SUPERSEDED',
]);

// Ties inside one second: in-progress states first, then terminal ones in a fixed (arbitrary) order.
export const PIPELINE_RANKS: RankTable<PipelineState> = {
  STARTED: 0,
  RESUMED: 1,
  STOPPING: 2,
  SUPERSEDED: 3,
  CANCELED: 4,
  STOPPED: 5,
  FAILED: 6,
  SUCCEEDED: 7,
};

export const STAGE_RANKS: RankTable<StageState> = {
  STARTED: 0,
  RESUMED: 1,
  STOPPING: 2,
  SKIPPED: 3,
  CANCELED: 4,
  STOPPED: 5,
  FAILED: 6,
  SUCCEEDED: 7,
};

export const ACTION_RANKS: RankTable<ActionState> = {
  STARTED: 0,
  CANCELED: 1,
  ABANDONED: 2,
  FAILED: 3,
  SUCCEEDED: 4,
};
