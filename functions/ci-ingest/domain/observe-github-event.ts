import type { PipelineState, StageState } from '#events/codepipeline-events';
import type {
  DeploymentStatusEvent,
  GitHubEvent,
  WorkflowJobEvent,
  WorkflowRunEvent,
} from '#events/github-events';
import { githubPipeline, githubScope } from './ci-identity';
import {
  type CiExecution,
  commitObservation,
  type Ingestion,
  ownStageName,
  runObservations,
  stageObservations,
} from './ci-observations';
import { type DeploymentPolicy, deploymentStage } from './deployment-policy';

/**
 * A workflow run's `conclusion` (docs.github.com, "workflow_run"), as the pipeline states the history knows.
 * A Map: the value comes from the payload, and a plain object would answer "constructor" with a function.
 */
const RUN_CONCLUSIONS: ReadonlyMap<string, PipelineState> = new Map([
  ['success', 'SUCCEEDED'],
  ['neutral', 'SUCCEEDED'],
  ['failure', 'FAILED'],
  ['timed_out', 'FAILED'],
  ['startup_failure', 'FAILED'],
  ['cancelled', 'CANCELED'],
  ['skipped', 'CANCELED'],
  ['stale', 'SUPERSEDED'],
]);

const JOB_CONCLUSIONS: ReadonlyMap<string, StageState> = new Map([
  ['success', 'SUCCEEDED'],
  ['neutral', 'SUCCEEDED'],
  ['failure', 'FAILED'],
  ['timed_out', 'FAILED'],
  ['startup_failure', 'FAILED'],
  ['cancelled', 'CANCELED'],
  ['skipped', 'SKIPPED'],
  ['stale', 'CANCELED'],
]);

/** A deployment status's `state`; `inactive` only marks an older deployment as replaced, so it is not one. */
const DEPLOYMENT_STATES: ReadonlyMap<string, StageState & PipelineState> = new Map([
  ['pending', 'STARTED'],
  ['queued', 'STARTED'],
  ['in_progress', 'STARTED'],
  ['success', 'SUCCEEDED'],
  ['failure', 'FAILED'],
  ['error', 'FAILED'],
]);

/** Deployments made without a workflow run (an API call, another tool) share one pipeline per repository. */
export const DEPLOYMENTS_WITHOUT_WORKFLOW = 'deployments';

/** What a verified, well-formed GitHub event means for the history (pure). */
export function observeGitHubEvent(event: GitHubEvent, policy: DeploymentPolicy): Ingestion {
  switch (event.name) {
    case 'workflow_run':
      return observeWorkflowRun(event.payload, policy);
    case 'workflow_job':
      return observeWorkflowJob(event.payload);
    case 'deployment_status':
      return observeDeploymentStatus(event.payload, policy);
  }
}

function observeWorkflowRun(event: WorkflowRunEvent, policy: DeploymentPolicy): Ingestion {
  const run = event.workflow_run;
  const workflow = run.name || event.workflow?.name || event.workflow?.path;
  if (!workflow) return { kind: 'ignored', reason: 'workflow_run names no workflow (name and path empty)' };
  let state: PipelineState;
  let at: string;
  if (event.action === 'requested' || event.action === 'in_progress') {
    state = 'STARTED';
    at = run.run_started_at ?? run.created_at;
  } else if (event.action === 'completed') {
    const concluded = run.conclusion ? RUN_CONCLUSIONS.get(run.conclusion) : undefined;
    if (!concluded) {
      return { kind: 'ignored', reason: `workflow_run completed with conclusion ${String(run.conclusion)}` };
    }
    state = concluded;
    at = run.updated_at;
  } else {
    return { kind: 'ignored', reason: `workflow_run action ${event.action} changes no run status` };
  }
  const execution: CiExecution = {
    ...githubScope(event.repository.html_url),
    pipeline: githubPipeline(event.repository.full_name, workflow),
    executionId: String(run.id),
    attempt: run.run_attempt,
    startTime: run.created_at,
  };
  const commit = run.head_commit;
  return {
    kind: 'record',
    pipeline: execution.pipeline,
    executionId: execution.executionId,
    observations: [
      // The commit first: the status write that follows then tells the delivery metrics the lead time too.
      commitObservation(execution, run.created_at, {
        id: commit?.id ?? run.head_sha,
        createdAt: commit?.timestamp,
        message: commit?.message,
        author: commit?.author?.name,
        url: `${event.repository.html_url}/commit/${commit?.id ?? run.head_sha}`,
        branch: run.head_branch ?? undefined,
        repository: event.repository.full_name,
        trigger: run.event,
      }),
      ...runObservations(execution, state, at, policy),
    ],
  };
}

function observeWorkflowJob(event: WorkflowJobEvent): Ingestion {
  const job = event.workflow_job;
  if (!job.workflow_name) {
    return {
      kind: 'ignored',
      reason: 'workflow_job names no workflow (workflow_name empty): its run is unknown',
    };
  }
  let state: StageState;
  let at: string;
  if (event.action === 'completed') {
    const concluded = job.conclusion ? JOB_CONCLUSIONS.get(job.conclusion) : undefined;
    if (!concluded) {
      return { kind: 'ignored', reason: `workflow_job completed with conclusion ${String(job.conclusion)}` };
    }
    state = concluded;
    at = job.completed_at ?? job.started_at ?? job.created_at;
  } else if (['queued', 'waiting', 'in_progress'].includes(event.action)) {
    state = 'STARTED';
    at = job.started_at ?? job.created_at;
  } else {
    return { kind: 'ignored', reason: `workflow_job action ${event.action} changes no job status` };
  }
  const execution: CiExecution = {
    ...githubScope(event.repository.html_url),
    pipeline: githubPipeline(event.repository.full_name, job.workflow_name),
    executionId: String(job.run_id),
    attempt: job.run_attempt,
  };
  return {
    kind: 'record',
    pipeline: execution.pipeline,
    executionId: execution.executionId,
    observations: stageObservations(execution, ownStageName(job.name), state, at),
  };
}

function observeDeploymentStatus(event: DeploymentStatusEvent, policy: DeploymentPolicy): Ingestion {
  const { deployment, deployment_status: status, repository } = event;
  const state = DEPLOYMENT_STATES.get(status.state);
  if (!state) {
    return {
      kind: 'ignored',
      reason: `deployment_status ${status.state} is no deployment result (inactive marks a replaced one)`,
    };
  }
  const environment = status.environment ?? deployment.environment;
  const run = event.workflow_run;
  const scope = githubScope(repository.html_url);
  const execution: CiExecution = run?.name
    ? {
        ...scope,
        pipeline: githubPipeline(repository.full_name, run.name),
        executionId: String(run.id),
        attempt: run.run_attempt,
      }
    : {
        ...scope,
        pipeline: githubPipeline(repository.full_name, DEPLOYMENTS_WITHOUT_WORKFLOW),
        executionId: `deployment-${deployment.id}`,
        attempt: 1,
        startTime: deployment.created_at,
      };
  const stage = deploymentStage(policy, environment, deployment.production_environment);
  const observations = [
    commitObservation(execution, deployment.created_at, {
      id: deployment.sha,
      url: `${repository.html_url}/commit/${deployment.sha}`,
      branch: deployment.ref,
      repository: repository.full_name,
    }),
    ...stageObservations(execution, stage, state, status.created_at),
  ];
  // Without a workflow run the deployment is the whole execution: its status is the run's too.
  if (!run?.name) observations.push(...runObservations(execution, state, status.created_at, policy));
  return { kind: 'record', pipeline: execution.pipeline, executionId: execution.executionId, observations };
}
