import type { ListedExecution } from './choose-rollback-target';
import type { DeploymentDetails } from './deployment-status';

/**
 * CreateDeployment and RollbackStage take no idempotency token, so after an attempt whose answer was lost the
 * world is read for the act itself before acting again. The window starts a little before our first claim: AWS
 * stamps its own clock, not ours.
 */
export const OWN_ACT_CLOCK_SKEW_MS = 5 * 60_000;

export const ownActWindowStart = (firstClaimedAt: string) =>
  new Date(Date.parse(firstClaimedAt) - OWN_ACT_CLOCK_SKEW_MS).toISOString();

/** Our redeploy among the group's recent deployments: the description names the bad deployment and the alarm. */
export function findOwnRedeploy(
  deployments: readonly DeploymentDetails[],
  description: string,
): DeploymentDetails | undefined {
  return deployments.find((deployment) => deployment.description === description);
}

/** Our stage rollback among the pipeline's executions: a ROLLBACK execution to our target, started in the window. */
export function findOwnStageRollback(
  listed: readonly ListedExecution[],
  targetExecutionId: string,
  windowStart: string,
): ListedExecution | undefined {
  return listed.find(
    (execution) =>
      execution.executionType === 'ROLLBACK' &&
      execution.rollbackMetadata?.rollbackTargetPipelineExecutionId === targetExecutionId &&
      (!execution.startTime || execution.startTime.toISOString() >= windowStart),
  );
}
