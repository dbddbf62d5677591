import type { RollbackAction } from './decide-rollback';

export type RollbackOutcome =
  /** Decided `none`: nothing to do, with the reason. */
  | 'skipped'
  /** An action was decided and is being taken; the next delivery of the incident drives it to an outcome. */
  | 'pending'
  | 'succeeded'
  | 'failed'
  /** AWS had already acted (CodeDeploy's own rollback, a deployment that failed or was stopped): nothing called. */
  | 'stood-down'
  /** Observe mode: decided and announced, nothing called. */
  | 'observed'
  /** Another incident already rolled this target back within its cooldown. */
  | 'suppressed'
  /** Only in items written before redeploys were automated: a redeploy decided and left to a human. */
  | 'not-automated';

/**
 * A deployment revision exactly as GetDeployment returned it (S3, GitHub or AppSpec content). The domain never
 * looks inside: it is handed back to CreateDeployment unchanged.
 */
export type DeploymentRevision = Readonly<Record<string, unknown>>;

/**
 * What the decision will do, kept on the incident so a later delivery acts on the same decision instead of
 * deciding again from a history that has moved on.
 */
export type RollbackPlan = RollbackAction & {
  /** For a redeploy: the last good revision, read before anything was claimed. */
  revision?: DeploymentRevision;
  /** For a redeploy that cannot be made (the last good deployment is gone, has no revision…): why. */
  refusal?: string;
};

/** The decision about one alarm incident for one target, as recorded (README "Data model"). */
export interface RollbackRecord {
  targetId: string;
  alarmName: string;
  alarmArn?: string;
  alarmStateTime: string;
  decidedAt: string;
  action: string;
  reason: string;
  enforce: boolean;
  outcome: RollbackOutcome;
  outcomeMessage?: string;
  /** Links to the history: the deployment or execution the decision is about, and what it rolls back to. */
  deploymentId?: string;
  executionId?: string;
  rollbackTo?: string;
  /** What the AWS call returned (new rollback execution id, StopDeployment status, redeploy's new deploymentId). */
  result?: Record<string, string>;
  /** Further deliveries of the same incident (EventBridge duplicates, Lambda retries). */
  duplicates?: number;
  plan?: RollbackPlan;
}

/** Identity of an incident item: one alarm entering ALARM at one time, for one target. */
export type IncidentKey = Pick<RollbackRecord, 'targetId' | 'alarmName' | 'alarmStateTime'>;
