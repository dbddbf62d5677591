import type { DeploymentState } from '#events/codedeploy-events';
import { withoutUndefined } from '#platform/without-undefined';
import type { DeploymentReport } from './api-reads';
import { clipText } from './execution-record';
import { toWholeSecond } from './observe-api-execution';
import { DEPLOYMENT_STATES, type PipelineLink, type RollbackLink, type RunObservation } from './run-record';

// botocore DeploymentStatus → the deployment event states (A.7.4). Baking is non-terminal (B.2). Keyed by
// `string | undefined`, so an absent status is looked up like an unknown one (and a Map has no prototype keys).
const DEPLOYMENT_STATUS: ReadonlyMap<string | undefined, DeploymentState> = new Map([
  ['Created', 'START'],
  ['Queued', 'START'],
  ['InProgress', 'START'],
  ['Baking', 'START'],
  ['Ready', 'READY'],
  ['Succeeded', 'SUCCESS'],
  ['Failed', 'FAILURE'],
  ['Stopped', 'STOP'],
]);

export function mapDeploymentStatus(status: string | undefined): DeploymentState | undefined {
  return DEPLOYMENT_STATUS.get(status);
}

/**
 * One BatchGetDeployments `deploymentInfo` as a deployment event would have said it: a terminal status at
 * `completeTime`, otherwise the start at `startTime` (or `createTime`). Deployment events carry no attempt.
 */
export function observeDeploymentInfo(
  info: DeploymentReport,
  region: string,
): RunObservation<DeploymentState> | undefined {
  const status = mapDeploymentStatus(info.status);
  if (!info.deploymentId || !status || !info.applicationName || !info.deploymentGroupName) return undefined;
  // Whole seconds, as execution times from the API are (toWholeSecond): the same instant reads the same from
  // an event and from the API, and a deployment's duration is not a few hundred milliseconds off.
  const at = toWholeSecond(
    (DEPLOYMENT_STATES.terminal.has(status)
      ? info.completeTime
      : (info.startTime ?? info.createTime)
    )?.toISOString(),
  );
  if (!at) return undefined;
  return {
    kind: 'deployment',
    runId: info.deploymentId,
    at,
    status: { status, statusAt: at, attempt: 1 },
    attributes: { application: info.applicationName, deploymentGroup: info.deploymentGroupName, region },
  };
}

/**
 * What one BatchGetDeployments answer says about automatic rollback, on both deployments it names: the one
 * rolled back learns its rollback, the rollback learns what it rolled back and the execution that started
 * that (`link`, the rolled-back deployment's pipeline link when known). A failed or stopped deployment
 * without rollbackInfo gets `{}`: read, and no rollback, so it is not read again for it.
 */
export function observeDeploymentRollback(
  info: DeploymentReport,
  at: string,
  link: PipelineLink | undefined,
): RunObservation[] {
  if (!info.deploymentId) return [];
  const { rollbackDeploymentId, rollbackTriggeringDeploymentId, rollbackMessage } = info.rollbackInfo ?? {};
  const message = clipText(rollbackMessage || undefined);
  const execution = link && { pipeline: link.pipeline, executionId: link.executionId };
  const observe = (runId: string, rollback: RollbackLink): RunObservation => ({
    kind: 'deployment' as const,
    runId,
    at,
    rollback: withoutUndefined(rollback),
  });
  if (rollbackDeploymentId) {
    return [
      observe(info.deploymentId, { rolledBackBy: rollbackDeploymentId, message }),
      observe(rollbackDeploymentId, { rollsBack: info.deploymentId, execution, message }),
    ];
  }
  if (rollbackTriggeringDeploymentId) {
    return [observe(info.deploymentId, { rollsBack: rollbackTriggeringDeploymentId, message })];
  }
  // Only an ended failure can have been rolled back: a deployment still running may yet fail and roll back.
  const status = mapDeploymentStatus(info.status);
  return status === 'FAILURE' || status === 'STOP' ? [observe(info.deploymentId, {})] : [];
}
