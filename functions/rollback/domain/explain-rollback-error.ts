import type { RollbackAction } from './decide-rollback';

/**
 * Turns a refused rollback call into a sentence an operator can act on. The call that acts is made once (no SDK
 * retries) and not retried: the incident and cooldown items already say it was attempted.
 */
export function explainRollbackError(error: unknown, decision: RollbackAction): string {
  const name = (error as Error | undefined)?.name ?? 'Error';
  const detail = (error as Error | undefined)?.message ?? String(error);
  switch (name) {
    case 'DeploymentAlreadyCompletedException':
      return `StopDeployment refused: the deployment had already completed, and GetDeployment did not say whether it succeeded, failed or was rolled back; check it in the console before acting. (${detail})`;
    case 'UnsupportedActionForDeploymentTypeException':
      return `StopDeployment refused: this deployment type cannot be stopped with a rollback. (${detail})`;
    case 'UnableToRollbackStageException':
      return `RollbackStage refused: the pipeline structure changed since the target execution, the stage is running, or the target is invalid. Roll back from the console after checking. (${detail})`;
    case 'PipelineExecutionOutdatedException':
      return `RollbackStage refused: target execution is outdated (older pipeline version); pick a newer successful execution. (${detail})`;
    // Redeploy (GetDeployment of the last good deployment, then CreateDeployment of its revision).
    case 'DeploymentLimitExceededException':
      return `CreateDeployment refused: the deployment group already has an active deployment (CodeDeploy allows one at a time per group) or the account's concurrent-deployment quota is reached. Not retried; once it finishes, check the alarm and redeploy the revision of ${lastGood(decision)} manually if still needed. (${detail})`;
    case 'RevisionDoesNotExistException':
    case 'InvalidRevisionException':
      return `CreateDeployment refused: the revision of ${lastGood(decision)} is no longer available (S3 object or version deleted, or not registered). Redeploy a revision that still exists. (${detail})`;
    case 'DeploymentGroupDoesNotExistException':
    case 'ApplicationDoesNotExistException':
      return `CreateDeployment refused: the application or deployment group named in ROLLBACK_CONFIG does not exist in this account and region; fix the target. (${detail})`;
    case 'DeploymentDoesNotExistException':
      return `GetDeployment refused: deployment ${lastGood(decision)} no longer exists, so its revision is unknown; redeploy the last good revision manually. (${detail})`;
    case 'DescriptionTooLongException':
      return `CreateDeployment refused the description as too long (limit 100 characters). (${detail})`;
    case 'ConflictException':
      return `RollbackStage refused: the pipeline is busy. Not retried, to avoid piling up rollbacks; retry manually once it is idle. (${detail})`;
    case 'ThrottlingException':
    case 'TooManyRequestsException':
    case 'ThrottledException':
      return `${decision.action} throttled by AWS; the call that acts is made once (a retry whose first response was lost could act twice) and not retried further to avoid a storm. Check the target and act manually. (${detail})`;
    case 'AccessDeniedException':
      return `${decision.action} denied: the rollback-on-alarm role lacks permission on this target (check template policies). (${detail})`;
    default:
      return `${decision.action} failed with ${name}: ${detail}`;
  }
}

const lastGood = (decision: RollbackAction) =>
  decision.action === 'redeploy' ? decision.lastGoodDeploymentId : 'the last good deployment';
