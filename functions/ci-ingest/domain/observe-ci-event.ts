import type { PipelineState, StageState } from '#events/codepipeline-events';
import type { ExecutionObservation } from '#history/domain/merge-execution';
import type { CiEvent } from './ci-event';
import { genericCiPipeline, genericCiScope } from './ci-identity';
import {
  type CiExecution,
  commitObservation,
  type Ingestion,
  ownStageName,
  runObservations,
  stageObservations,
} from './ci-observations';
import { type DeploymentPolicy, deploymentStage } from './deployment-policy';

const RESULTS: Readonly<Record<'succeeded' | 'failed' | 'canceled', StageState & PipelineState>> = {
  succeeded: 'SUCCEEDED',
  failed: 'FAILED',
  canceled: 'CANCELED',
};

/** What a generic CI event means for the history (pure): every event type records something. */
export function observeCiEvent(event: CiEvent, policy: DeploymentPolicy): Ingestion {
  const execution: CiExecution = {
    ...genericCiScope(event.system),
    pipeline: genericCiPipeline(event.system, event.pipeline),
    executionId: event.runId,
    attempt: event.attempt,
  };
  const observations: ExecutionObservation[] = [];
  if (event.commit) {
    const { commit } = event;
    observations.push(
      commitObservation(execution, event.time, {
        id: commit.id,
        createdAt: commit.timestamp,
        message: commit.message,
        author: commit.author,
        branch: commit.branch,
        repository: commit.repository,
        url: commit.url,
      }),
    );
  }
  switch (event.type) {
    case 'run.started':
      observations.push(
        ...runObservations({ ...execution, startTime: event.time }, 'STARTED', event.time, policy),
      );
      break;
    case 'stage.finished':
      observations.push(
        ...stageObservations(execution, ownStageName(event.stage), RESULTS[event.result], event.time),
      );
      break;
    case 'deployed':
      observations.push(
        ...stageObservations(execution, deploymentStage(policy, event.environment), 'SUCCEEDED', event.time),
      );
      break;
    case 'failed':
      if (event.environment) {
        observations.push(
          ...stageObservations(execution, deploymentStage(policy, event.environment), 'FAILED', event.time),
        );
      }
      if (event.stage) {
        observations.push(...stageObservations(execution, ownStageName(event.stage), 'FAILED', event.time));
      }
      observations.push(...runObservations(execution, 'FAILED', event.time, policy));
      break;
    case 'run.finished':
      observations.push(...runObservations(execution, RESULTS[event.result], event.time, policy));
      break;
  }
  return { kind: 'record', pipeline: execution.pipeline, executionId: execution.executionId, observations };
}
