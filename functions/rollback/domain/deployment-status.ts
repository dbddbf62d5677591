import type { DeploymentRevision, RollbackOutcome } from './rollback-record';

/** What GetDeployment says about one deployment (the fields the decisions use). */
export interface DeploymentDetails {
  deploymentId: string;
  /** Created, Queued, InProgress, Baking, Ready, Succeeded, Failed, Stopped (DeploymentStatus). */
  status?: string;
  creator?: string;
  description?: string;
  applicationName?: string;
  deploymentGroupName?: string;
  revision?: DeploymentRevision;
  createTime?: string;
  completeTime?: string;
  /** rollbackInfo.rollbackDeploymentId: the deployment CodeDeploy made to roll this one back. */
  rollbackDeploymentId?: string;
  rollbackMessage?: string;
}

const STILL_RUNNING = new Set(['Created', 'Queued', 'InProgress', 'Baking', 'Ready']);

export type StopJudgement =
  /** The deployment still runs: StopDeployment is (still) the thing to do. */
  | { verdict: 'stop' }
  /** GetDeployment cannot say (no answer): the caller keeps the incident pending or records the refusal. */
  | { verdict: 'unknown' }
  | {
      verdict: 'final';
      outcome: Extract<RollbackOutcome, 'succeeded' | 'stood-down' | 'failed'>;
      message: string;
    };

/**
 * What to make of a deployment we set out to stop, from GetDeployment. `ourStopMayHaveApplied` is true when an
 * earlier StopDeployment's answer was lost (so a `Stopped` deployment is our doing) and false after CodeDeploy
 * said the deployment had already completed (so it was not).
 */
export function judgeDeploymentToStop(
  details: DeploymentDetails | undefined,
  ourStopMayHaveApplied: boolean,
): StopJudgement {
  if (!details?.status) return { verdict: 'unknown' };
  const id = details.deploymentId;
  const rolledBackBy = details.rollbackDeploymentId
    ? ` CodeDeploy rolls it back with deployment ${details.rollbackDeploymentId}.`
    : '';
  if (STILL_RUNNING.has(details.status)) return { verdict: 'stop' };
  switch (details.status) {
    case 'Stopped':
      return ourStopMayHaveApplied
        ? {
            verdict: 'final',
            outcome: 'succeeded',
            message: `StopDeployment ${id} (autoRollbackEnabled): confirmed by GetDeployment (Stopped) after an attempt whose answer was lost.${rolledBackBy}`,
          }
        : {
            verdict: 'final',
            outcome: 'stood-down',
            message: `deployment ${id} was already stopped (by CodeDeploy's alarm monitoring or a person) before StopDeployment; nothing to do.${rolledBackBy}`,
          };
    case 'Failed':
      return {
        verdict: 'final',
        outcome: 'stood-down',
        message: details.rollbackDeploymentId
          ? `deployment ${id} already failed and CodeDeploy rolls it back with deployment ${details.rollbackDeploymentId}; standing down.`
          : `deployment ${id} already failed on its own; its deployment group's rollback settings apply, standing down.`,
      };
    case 'Succeeded':
      return {
        verdict: 'final',
        outcome: 'failed',
        message: `deployment ${id} succeeded before it could be stopped, so StopDeployment cannot roll it back. If the alarm is still in ALARM, redeploy the last good revision (console "Redeploy"); the cooldown was not spent.`,
      };
    default:
      return { verdict: 'unknown' };
  }
}
