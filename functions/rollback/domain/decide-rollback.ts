import type { RollbackTarget } from './rollback-config';

/** One alarm incident: an alarm entering ALARM at a given time. Its identity is (alarm, stateTime). */
export interface AlarmIncident {
  alarmName: string;
  alarmArn?: string;
  /** When the alarm entered ALARM (detail.state.timestamp), UTC ISO-8601. */
  stateTime: string;
  reason?: string;
}

/** A CodeDeploy deployment of the target's deployment group, as recorded (plus its creator when asked). */
export interface DeploymentSummary {
  deploymentId: string;
  /** CodeDeploy event state: START, READY, SUCCESS, FAILURE, STOP; undefined if only the link is known. */
  state?: string;
  startedAt: string;
  endedAt?: string;
  /** GetDeployment `creator` (user, autoscaling, codeDeployRollback, ...); 'unknown' when it was not returned. */
  creator?: string;
  /**
   * GetDeployment `description`. Deployment events do not carry it, so the recorded history cannot tell our own
   * redeploys apart: the adapter reads it with the creator, where it changes the decision.
   */
  description?: string;
  /** GetDeployment `rollbackInfo.rollbackDeploymentId`: CodeDeploy already rolls this deployment back. */
  rollbackDeploymentId?: string;
}

/** A pipeline execution that reached the target's stage, as recorded. */
export interface ExecutionSummary {
  executionId: string;
  executionType: 'STANDARD' | 'ROLLBACK';
  startedAt: string;
  /** The target stage's state (STARTED, SUCCEEDED, FAILED, ...) and when it was reached. */
  stageState?: string;
  stageStateAt?: string;
  /** For a ROLLBACK execution: the execution it rolled the stage back to (GetPipelineExecution rollbackMetadata). */
  rollbackTargetExecutionId?: string;
}

/** Newest first. */
export type HistorySnapshot =
  | { kind: 'codedeploy'; deployments: DeploymentSummary[] }
  | { kind: 'pipeline'; executions: ExecutionSummary[] };

export type RollbackAction =
  | { action: 'stop-deployment'; deploymentId: string }
  | { action: 'rollback-stage'; badExecutionId: string; targetExecutionId: string }
  | {
      action: 'redeploy';
      badDeploymentId: string;
      lastGoodDeploymentId: string;
      /** The CreateDeployment description, which is also what the loop guard recognises. */
      description: string;
    }
  | { action: 'none' };

export type RollbackDecision = RollbackAction & {
  reason: string;
  /** False in observe mode: the decision is recorded and announced, nothing is called. */
  enforce: boolean;
};

const CODEDEPLOY_ACTIVE_STATES = new Set(['START', 'READY']);
const ROLLBACK_CREATOR = 'codeDeployRollback';
/**
 * GetDeployment creators of the deployments Auto Scaling makes (scale-out, and termination lifecycle hooks). They
 * deploy the group's current revision to instances: not a change to judge or to roll back.
 */
export const AUTO_SCALING_CREATORS: ReadonlySet<string> = new Set(['autoscaling', 'autoscalingTermination']);

export const isAutoScalingDeployment = (deployment: Pick<DeploymentSummary, 'creator'>) =>
  AUTO_SCALING_CREATORS.has(deployment.creator ?? '');

/** How our own redeploys are recognised (their creator is just `user`): the start of their description. */
export const OWN_REDEPLOY_PREFIX = 'pipeline-control-plane rollback';
// CodeDeploy quotas: "Maximum number of characters in a deployment description: 100" (DescriptionTooLongException).
const DEPLOYMENT_DESCRIPTION_MAX = 100;

/** The CreateDeployment description of a redeploy; the alarm name is shortened to fit CodeDeploy's limit. */
export function redeployDescription(badDeploymentId: string, alarmName: string): string {
  const head = `${OWN_REDEPLOY_PREFIX} of ${badDeploymentId} (alarm `;
  const room = DEPLOYMENT_DESCRIPTION_MAX - head.length - 1;
  const alarm = alarmName.length <= room ? alarmName : `${alarmName.slice(0, Math.max(0, room - 1))}…`;
  return `${head}${alarm})`.slice(0, DEPLOYMENT_DESCRIPTION_MAX);
}

const isOwnRedeploy = (deployment: DeploymentSummary) =>
  deployment.description?.startsWith(OWN_REDEPLOY_PREFIX) ?? false;

/**
 * What to do about one alarm incident for one target, from the recorded history. Pure: the caller gathers
 * the snapshot, claims the incident and makes the call.
 */
export function decideRollback(
  incident: AlarmIncident,
  target: RollbackTarget | undefined,
  history: HistorySnapshot | undefined,
  now: Date,
): RollbackDecision {
  if (!target) {
    return {
      action: 'none',
      enforce: false,
      reason: `no target is configured for alarm ${incident.alarmName}`,
    };
  }
  const enforce = target.mode === 'enforce';
  const decision =
    target.kind === 'codedeploy'
      ? decideForDeploymentGroup(incident, target.bakeMinutes, history, now)
      : decideForPipelineStage(incident, target.bakeMinutes, history, now);
  if (decision.action === 'none' || enforce) return { ...decision, enforce };
  return { ...decision, enforce, reason: `observe mode, would act: ${decision.reason}` };
}

type Undecorated = RollbackAction & { reason: string };

function decideForDeploymentGroup(
  incident: AlarmIncident,
  bakeMinutes: number,
  history: HistorySnapshot | undefined,
  now: Date,
): Undecorated {
  const deployments = history?.kind === 'codedeploy' ? history.deployments : [];
  if (!deployments[0]) return { action: 'none', reason: 'no deployment recorded for this deployment group' };

  const active = deployments.filter((d) => d.state === undefined || CODEDEPLOY_ACTIVE_STATES.has(d.state));
  const rollback = active.find((d) => d.creator === ROLLBACK_CREATOR);
  if (rollback) {
    return {
      action: 'none',
      reason: `CodeDeploy rollback deployment ${rollback.deploymentId} is already in progress`,
    };
  }
  // Stopping our own redeploy with autoRollbackEnabled would make CodeDeploy roll back to the bad revision.
  const ownRedeploy = active.find(isOwnRedeploy);
  if (ownRedeploy) {
    return {
      action: 'none',
      reason: `deployment ${ownRedeploy.deploymentId} is our own rollback redeploy ("${ownRedeploy.description}"), still in progress; standing down so a rollback never rolls back a rollback`,
    };
  }
  // Stopping an Auto Scaling deployment rolls nothing back: it only fails the new instance's launch.
  const running = active.find((d) => d.state !== undefined && !isAutoScalingDeployment(d));
  if (running) {
    if (running.creator === 'unknown') {
      return {
        action: 'none',
        reason: `could not confirm deployment ${running.deploymentId} is not itself a rollback (GetDeployment returned no creator); not stopping it`,
      };
    }
    if (incident.stateTime < running.startedAt) {
      return {
        action: 'none',
        reason: `alarm was already in ALARM (since ${incident.stateTime}) before deployment ${running.deploymentId} started (${running.startedAt})`,
      };
    }
    return {
      action: 'stop-deployment',
      deploymentId: running.deploymentId,
      reason: `deployment ${running.deploymentId} is in progress (${running.state}); stop it and let CodeDeploy roll back`,
    };
  }

  // The change to judge is the newest deployment made by a person, a pipeline or CloudFormation: Auto Scaling
  // deployments after it only copy its revision to new instances, so taking one as "the change" would make the
  // change itself the "last good" deployment.
  const latestIndex = deployments.findIndex((d) => !isAutoScalingDeployment(d));
  const latest = deployments[latestIndex];
  if (!latest) {
    return {
      action: 'none',
      reason: `only Auto Scaling deployments are recorded for this deployment group (newest ${deployments[0].deploymentId}); nothing to roll back`,
    };
  }
  const skipped = deployments.slice(0, latestIndex).map((d) => d.deploymentId);
  const afterAutoScaling = skipped.length
    ? ` (newer deployment${skipped.length > 1 ? 's' : ''} ${skipped.join(', ')} made by Auto Scaling, not a change)`
    : '';
  if (latest.creator === ROLLBACK_CREATOR) {
    return {
      action: 'none',
      reason: `latest deployment ${latest.deploymentId} is already a CodeDeploy rollback`,
    };
  }
  if (isOwnRedeploy(latest)) {
    return {
      action: 'none',
      reason: `latest deployment ${latest.deploymentId} is our own rollback redeploy ("${latest.description}"); standing down so redeploys cannot loop`,
    };
  }
  if (latest.rollbackDeploymentId) {
    return {
      action: 'none',
      reason: `latest deployment ${latest.deploymentId} ended ${latest.state ?? 'unknown'} and CodeDeploy already rolled it back (deployment ${latest.rollbackDeploymentId}); standing down`,
    };
  }
  if (latest.state !== 'SUCCESS' || !latest.endedAt) {
    return {
      action: 'none',
      reason: `latest deployment ${latest.deploymentId} ended ${latest.state ?? 'unknown'}, nothing succeeded recently to roll back`,
    };
  }
  if (incident.stateTime < latest.startedAt) {
    return {
      action: 'none',
      reason: `alarm was already in ALARM (since ${incident.stateTime}) before deployment ${latest.deploymentId} started (${latest.startedAt})`,
    };
  }
  if (!withinBake(latest.endedAt, incident, bakeMinutes, now)) {
    return {
      action: 'none',
      reason: `latest deployment ${latest.deploymentId} succeeded at ${latest.endedAt}, outside the ${bakeMinutes}-minute bake window`,
    };
  }
  if (latest.creator === 'unknown') {
    return {
      action: 'none',
      reason: `could not confirm deployment ${latest.deploymentId} is not itself a rollback (GetDeployment returned nothing); not redeploying over it`,
    };
  }
  const lastGood = deployments
    .slice(latestIndex + 1)
    .find((d) => d.state === 'SUCCESS' && d.creator !== ROLLBACK_CREATOR && d.startedAt < latest.startedAt);
  if (!lastGood) {
    return {
      action: 'none',
      reason: `deployment ${latest.deploymentId} succeeded within the bake window but no earlier successful deployment is recorded to redeploy`,
    };
  }
  return {
    action: 'redeploy',
    badDeploymentId: latest.deploymentId,
    lastGoodDeploymentId: lastGood.deploymentId,
    description: redeployDescription(latest.deploymentId, incident.alarmName),
    reason: `deployment ${latest.deploymentId}${afterAutoScaling} succeeded at ${latest.endedAt}, within the ${bakeMinutes}-minute bake window; redeploy the revision of ${lastGood.deploymentId}`,
  };
}

function decideForPipelineStage(
  incident: AlarmIncident,
  bakeMinutes: number,
  history: HistorySnapshot | undefined,
  now: Date,
): Undecorated {
  const executions = (history?.kind === 'pipeline' ? history.executions : []).filter((e) => e.stageState);
  const latest = executions[0];
  if (!latest) return { action: 'none', reason: 'no execution recorded that reached this stage' };

  if (latest.executionType === 'ROLLBACK') {
    return {
      action: 'none',
      reason: `latest execution ${latest.executionId} in this stage is already a ROLLBACK execution (${latest.stageState})`,
    };
  }
  if (latest.stageState !== 'SUCCEEDED' || !latest.stageStateAt) {
    // RollbackStage refuses a running stage (UnableToRollbackStageException); a failed stage is the
    // pipeline's own onFailure business.
    return {
      action: 'none',
      reason: `latest execution ${latest.executionId} is ${latest.stageState} in this stage, not a recent success`,
    };
  }
  if (incident.stateTime < latest.startedAt) {
    return {
      action: 'none',
      reason: `alarm was already in ALARM (since ${incident.stateTime}) before execution ${latest.executionId} started (${latest.startedAt})`,
    };
  }
  if (!withinBake(latest.stageStateAt, incident, bakeMinutes, now)) {
    return {
      action: 'none',
      reason: `latest execution ${latest.executionId} succeeded in this stage at ${latest.stageStateAt}, outside the ${bakeMinutes}-minute bake window`,
    };
  }
  // The stage's state just before the bad execution is what its newest earlier success put there. If that was a
  // ROLLBACK execution, the stage runs what it restored (RollbackStage cannot target a rollback execution anyway,
  // CodePipeline "stage-rollback" considerations); skipping it would return to the change it rolled back.
  const previous = newestBySuccess(
    executions
      .slice(1)
      .filter((e) => e.stageState === 'SUCCEEDED' && e.stageStateAt && e.startedAt < latest.startedAt),
  );
  if (!previous) {
    return {
      action: 'none',
      reason: `execution ${latest.executionId} succeeded within the bake window but no earlier successful execution of this stage is recorded to roll back to`,
    };
  }
  const bakeClause = `execution ${latest.executionId} succeeded in this stage at ${latest.stageStateAt}, within the ${bakeMinutes}-minute bake window`;
  if (previous.executionType === 'ROLLBACK') {
    if (!previous.rollbackTargetExecutionId) {
      return {
        action: 'none',
        reason: `${bakeClause}, but the stage's previous success is ROLLBACK execution ${previous.executionId}, which has not recorded what it restored; not guessing (the execution before it may be the change it rolled back)`,
      };
    }
    return {
      action: 'rollback-stage',
      badExecutionId: latest.executionId,
      targetExecutionId: previous.rollbackTargetExecutionId,
      reason: `${bakeClause}; roll back to ${previous.rollbackTargetExecutionId}, the execution restored by ROLLBACK execution ${previous.executionId} before it`,
    };
  }
  return {
    action: 'rollback-stage',
    badExecutionId: latest.executionId,
    targetExecutionId: previous.executionId,
    reason: `${bakeClause}; roll back to ${previous.executionId}`,
  };
}

/** The execution whose success in the stage is newest (the first listed on a tie). */
function newestBySuccess(executions: readonly ExecutionSummary[]): ExecutionSummary | undefined {
  return executions.reduce<ExecutionSummary | undefined>(
    (newest, e) => (!newest || (e.stageStateAt ?? '') > (newest.stageStateAt ?? '') ? e : newest),
    undefined,
  );
}

/** The alarm fired within `bakeMinutes` after the success, and the success is not in the future. */
function withinBake(succeededAt: string, incident: AlarmIncident, bakeMinutes: number, now: Date): boolean {
  const alarmAt = Date.parse(incident.stateTime);
  const successAt = Date.parse(succeededAt);
  const bakeEnd = successAt + bakeMinutes * 60_000;
  return alarmAt <= bakeEnd && successAt <= now.getTime();
}
