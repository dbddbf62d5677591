import type { ListedExecution } from './domain/choose-rollback-target';
import type { DeploymentDetails } from './domain/deployment-status';
import type { IncidentStep, StepClaim, StoredIncident } from './domain/incident-progress';
import type { RollbackAnnouncement } from './domain/rollback-announcement';
import type {
  DeploymentRevision,
  IncidentKey,
  RollbackOutcome,
  RollbackRecord,
} from './domain/rollback-record';

/**
 * CodeDeploy as the rollback wing uses it. Reads retry (a throttle must not lose a rollback); calls that act are
 * made once (a retry of an attempt whose answer was lost could act twice).
 */
export interface DeploymentGateway {
  /** Undefined when AWS answers without the deployment. Throws `DeploymentDoesNotExistException` for an unknown id. */
  getDeployment(deploymentId: string): Promise<DeploymentDetails | undefined>;
  /** The group's deployments created at or after `since`, with their details: where our own redeploy is looked for. */
  deploymentsCreatedSince(
    application: string,
    deploymentGroup: string,
    since: string,
  ): Promise<DeploymentDetails[]>;
  /** StopDeployment with autoRollbackEnabled: CodeDeploy then redeploys the last good revision itself. */
  stopDeployment(deploymentId: string): Promise<{ status?: string; statusMessage?: string }>;
  createDeployment(request: {
    application: string;
    deploymentGroup: string;
    revision: DeploymentRevision;
    description: string;
  }): Promise<{ deploymentId?: string }>;
}

/** CodePipeline as the rollback wing uses it; same retry rules as the DeploymentGateway. */
export interface PipelineGateway {
  /** Newest first; with `succeededInStage`, only executions that succeeded in that stage (current pipeline version). */
  listExecutions(pipeline: string, options?: { succeededInStage?: string }): Promise<ListedExecution[]>;
  rollbackStage(request: {
    pipeline: string;
    stage: string;
    targetExecutionId: string;
  }): Promise<{ rollbackExecutionId?: string }>;
}

/** Which incident an announcement is about, and whether an earlier attempt may have made it already. */
export interface AnnouncementAttempt {
  incident: IncidentKey;
  /**
   * Set when an earlier attempt started announcing on this channel and recorded no answer (its answer was lost,
   * or it died): from then on the announcement may be out already, so a channel that can look first does.
   */
  earlierSince?: string;
}

/** One place a decision is announced (SNS topic, Slack channel). */
export interface AnnouncementChannel {
  /** Stable name, also the key under which the incident records that this channel was told. */
  name: string;
  announce(announcement: RollbackAnnouncement, attempt: AnnouncementAttempt): Promise<void>;
}

export type CooldownClaim = { claimed: true } | { claimed: false; heldBy?: string; until?: string };

export interface ActOutcome {
  outcome: RollbackOutcome;
  message: string;
  result?: Record<string, string>;
}

/**
 * Incidents and cooldowns. Every write that claims something recognises its own earlier write (the same
 * invocation token, or the same incident for the cooldown), so an SDK retry of a write whose answer was lost is
 * not mistaken for someone else's.
 */
export interface RollbackStore {
  findIncident(key: IncidentKey): Promise<StoredIncident | undefined>;
  /** Counts a delivery of an incident that is already done. */
  noteDuplicate(key: IncidentKey): Promise<void>;
  /** Records the decision unless one is recorded already; answers the recorded one (first decision wins). */
  recordDecision(record: RollbackRecord, progress: IncidentStep, decidedBy: string): Promise<StoredIncident>;
  /** Takes the target's cooldown for `incident` (an incident's own earlier claim counts as taken). */
  claimCooldown(targetId: string, incident: string, now: string, until: string): Promise<CooldownClaim>;
  /** Gives the cooldown back when the incident it was taken for did not act. */
  releaseCooldown(targetId: string, incident: string): Promise<void>;
  /** Claims a step for `token` until `leaseUntil`, unless it moved on or a live invocation holds it. */
  claimStep(
    key: IncidentKey,
    step: Exclude<IncidentStep, 'done'>,
    token: string,
    now: string,
    leaseUntil: string,
  ): Promise<StepClaim>;
  /** Confirms the act's outcome and moves the incident to `next`, as the holder of the step. */
  recordOutcome(key: IncidentKey, token: string, outcome: ActOutcome, next: IncidentStep): Promise<void>;
  /** Records what one channel answered, as the holder of the announce step. */
  recordAnnounced(key: IncidentKey, token: string, channel: string, answer: string): Promise<void>;
  /** Closes the incident, as the holder of the announce step. */
  finishIncident(key: IncidentKey, token: string): Promise<void>;
  /** Every decision recorded for a target. */
  listIncidents(targetId: string): Promise<RollbackRecord[]>;
  /** Every target's incidents whose alarm fired in [from, to], oldest first. */
  incidentsBetween(from: string, to: string): Promise<RollbackRecord[]>;
}
