import { CI_PRODUCTION_STAGE } from '#events/ci-pipelines';
import type { PipelineState, StageState } from '#events/codepipeline-events';
import { clipText, type TriggerInfo } from '#history/domain/execution-record';
import type { ExecutionObservation } from '#history/domain/merge-execution';
import { withoutUndefined } from '#platform/without-undefined';
import type { CiScope } from './ci-identity';
import { type DeploymentPolicy, runDeploysToProduction } from './deployment-policy';

/**
 * What one CI event means for the history: observations of one execution, merged by the history's own
 * order-proof join (a run's status is the pipeline's register, a job or deployment a stage's), so a CI
 * pipeline is recorded, read and counted exactly like a CodePipeline one. Or why it records nothing.
 */
export type Ingestion =
  | { kind: 'record'; pipeline: string; executionId: string; observations: ExecutionObservation[] }
  | { kind: 'ignored'; reason: string };

/** One execution of a CI pipeline, and the attempt (re-run) an event belongs to. */
export interface CiExecution extends CiScope {
  pipeline: string;
  executionId: string;
  attempt: number;
  /** When the run (its first attempt) was created, if the event says. */
  startTime?: string;
}

/** The commit a run built: the source revision whose time starts lead time. */
export interface CiCommit {
  id: string;
  createdAt?: string;
  message?: string;
  url?: string;
  author?: string;
  branch?: string;
  repository?: string;
  /** What started the run (GitHub's `event`: push, workflow_dispatch…). */
  trigger?: string;
}

const TERMINAL_RUN_STATES: ReadonlySet<PipelineState> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

function base(execution: CiExecution, at: string) {
  return withoutUndefined({
    account: execution.account,
    region: execution.region,
    pipeline: execution.pipeline,
    executionId: execution.executionId,
    startTime: execution.startTime,
    at,
  });
}

/**
 * The run's status; when the policy says the pipeline deploys to production by succeeding as a whole, its
 * end is also the production stage's result, which is what the delivery metrics count.
 */
export function runObservations(
  execution: CiExecution,
  state: PipelineState,
  at: string,
  policy: DeploymentPolicy,
): ExecutionObservation[] {
  const status = { status: state, statusAt: at, attempt: execution.attempt };
  const observations: ExecutionObservation[] = [{ ...base(execution, at), kind: 'pipeline', status }];
  if (TERMINAL_RUN_STATES.has(state) && runDeploysToProduction(policy, execution.pipeline)) {
    observations.push(...stageObservations(execution, CI_PRODUCTION_STAGE, state as StageState, at));
  }
  return observations;
}

/**
 * A job's or stage's own name as the history records it. The production stage's name is the deployment
 * policy's to give: a job that happens to be called that is recorded under another name, or it would count as
 * a production deployment whatever the policy says.
 */
export function ownStageName(name: string): string {
  return name.trim().toLowerCase() === CI_PRODUCTION_STAGE ? `${name} (job)` : name;
}

/**
 * A job, a stage or a deployment to an environment. An ended one also gets an action of the same name: CI has
 * no entry conditions, so a stage that ended ran its work, and a failure is a failed deployment, never a gate
 * that kept the stage closed (which the delivery metrics tell apart by whether an action ran).
 */
export function stageObservations(
  execution: CiExecution,
  stage: string,
  state: StageState,
  at: string,
): ExecutionObservation[] {
  const name = clipText(stage);
  const status = { status: state, statusAt: at, attempt: execution.attempt };
  const observations: ExecutionObservation[] = [
    { ...base(execution, at), kind: 'stage', stage: name, status },
  ];
  if (state === 'SUCCEEDED' || state === 'FAILED') {
    observations.push({
      ...base(execution, at),
      kind: 'action',
      stage: name,
      action: name,
      record: { status: state, statusAt: at, attempt: execution.attempt },
    });
  }
  return observations;
}

/** The commit as the execution's source revision (lead time starts at its time) and trigger. */
export function commitObservation(
  execution: CiExecution,
  at: string,
  commit: CiCommit,
): ExecutionObservation {
  const trigger: TriggerInfo = withoutUndefined({
    type: commit.trigger,
    commitId: commit.id,
    commitMessage: clipText(commit.message),
    authorDate: commit.createdAt,
    author: commit.author,
    repository: commit.repository,
    branch: commit.branch ?? undefined,
  });
  return {
    ...base(execution, at),
    kind: 'details',
    sourceRevisions: [
      withoutUndefined({
        actionName: 'source',
        revisionId: commit.id,
        summary: clipText(commit.message),
        createdAt: commit.createdAt,
        url: commit.url,
      }),
    ],
    trigger,
  };
}
