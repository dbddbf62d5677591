import { randomUUID } from 'node:crypto';
import type { HistoryStore, Scope } from '#history/adapters/history-store';
import { mapDeploymentStatus } from '#history/domain/observe-api-deployment';
import type { RunRecord } from '#history/domain/run-record';
import { SpokeRoleUnavailableError } from '#platform/spoke-role-unavailable-error';
import { classifyActError } from '#rollback/domain/act-error';
import { chooseRollbackTarget } from '#rollback/domain/choose-rollback-target';
import {
  type AlarmIncident,
  type DeploymentSummary,
  decideRollback,
  type HistorySnapshot,
  isAutoScalingDeployment,
  type RollbackAction,
  type RollbackDecision,
} from '#rollback/domain/decide-rollback';
import { type DeploymentDetails, judgeDeploymentToStop } from '#rollback/domain/deployment-status';
import { explainRollbackError } from '#rollback/domain/explain-rollback-error';
import {
  type IncidentStep,
  MAX_ACT_ATTEMPTS,
  STEP_LEASE_SECONDS,
  type StoredIncident,
} from '#rollback/domain/incident-progress';
import { findOwnRedeploy, findOwnStageRollback, ownActWindowStart } from '#rollback/domain/own-earlier-act';
import {
  announcingSince,
  earlierAnnouncementSince,
  rollbackAnnouncement,
} from '#rollback/domain/rollback-announcement';
import {
  type RollbackConfig,
  type RollbackTarget,
  targetId,
  targetsForAlarm,
} from '#rollback/domain/rollback-config';
import type {
  IncidentKey,
  RollbackOutcome,
  RollbackPlan,
  RollbackRecord,
} from '#rollback/domain/rollback-record';
import type {
  ActOutcome,
  AnnouncementChannel,
  DeploymentGateway,
  PipelineGateway,
  RollbackStore,
} from '#rollback/ports';
import type { AlarmStateChangeEvent } from './alarm-event';

export interface RollbackDependencies {
  config: RollbackConfig;
  rollbacks: RollbackStore;
  history: Pick<HistoryStore, 'listExecutions' | 'listDeployments'>;
  deployments: DeploymentGateway;
  pipelines: PipelineGateway;
  /** Where decisions that act (or would act) are announced; empty when none is configured. */
  announcements: AnnouncementChannel[];
  warn: (message: string, context: Record<string, unknown>) => void;
  now: () => Date;
}

export interface TargetOutcome {
  targetId: string;
  action: RollbackDecision['action'];
  outcome: RollbackOutcome | 'duplicate' | 'unguarded';
  message: string;
}

/** A read the decision depends on failed: thrown before anything is claimed, so a retry decides afresh. */
export class HistoryLookupError extends Error {
  override name = 'HistoryLookupError';
}

/**
 * The act was throttled or got no answer and attempts remain: thrown so Lambda delivers the incident again, and
 * the next attempt reads the world before acting again.
 */
export class ActNotConfirmedError extends Error {
  override name = 'ActNotConfirmedError';
}

const ACTIVE_DEPLOYMENT_STATES = new Set(['START', 'READY']);
/** GetDeployment calls spent walking past Auto Scaling deployments to the newest change (the newest included). */
const MAX_CREATOR_LOOKUPS = 5;
/** Outcomes of a decision that did not act: the cooldown it took is given back. */
const DID_NOT_ACT: ReadonlySet<RollbackOutcome> = new Set(['failed', 'stood-down']);

const iso = (at: Date) => at.toISOString();
const errorName = (error: unknown) => (error as Error).name;

/**
 * One alarm state change: decide per guarded target, record the decision, then drive the incident through its
 * steps (act, announce), each claimed, performed and confirmed, so any later delivery of the same incident (Lambda
 * retry, EventBridge redelivery) finishes what an earlier one started and never acts twice. AWS refusals are
 * recorded and answered, never retried: a retry of a refused rollback is how storms start.
 */
export async function rollbackOnAlarm(
  event: AlarmStateChangeEvent,
  deps: RollbackDependencies,
): Promise<TargetOutcome[]> {
  const { detail } = event;
  if (detail.state.value !== 'ALARM') return [];
  const incident: AlarmIncident = {
    alarmName: detail.alarmName,
    alarmArn: event.resources[0],
    stateTime: detail.state.timestamp,
    reason: detail.state.reason,
  };
  const targets = targetsForAlarm(deps.config, incident.alarmName, {
    account: event.account,
    region: event.region,
  });
  if (targets.length === 0) {
    const decision = decideRollback(incident, undefined, undefined, deps.now());
    return [{ targetId: '(none)', action: 'none', outcome: 'unguarded', message: decision.reason }];
  }
  // Claims are made in the name of this invocation: an SDK retry of a claim is ours, a concurrent delivery's is not.
  const token = randomUUID();
  const outcomes: TargetOutcome[] = [];
  const scope = { account: event.account, region: event.region };
  for (const target of targets) outcomes.push(await handleTarget(incident, target, deps, token, scope));
  return outcomes;
}

async function handleTarget(
  incident: AlarmIncident,
  target: RollbackTarget,
  deps: RollbackDependencies,
  token: string,
  /** The alarm's account and region: where the target's history was recorded and where it is acted on. */
  scope: Scope,
): Promise<TargetOutcome> {
  const key: IncidentKey = {
    targetId: targetId(target),
    alarmName: incident.alarmName,
    alarmStateTime: incident.stateTime,
  };
  // A redelivery of a finished incident stops here, before any AWS read; an unfinished one carries on with the
  // recorded decision rather than deciding again from a history that has moved on.
  let stored = await deps.rollbacks.findIncident(key);
  if (stored?.progress === 'done') {
    await deps.rollbacks.noteDuplicate(key);
    return duplicate(stored, 'this incident was already decided for this target');
  }
  if (!stored) {
    const now = deps.now();
    const decision = decideRollback(incident, target, await loadHistory(target, deps, scope), now);
    // Reads the act depends on come before anything is claimed: one that fails is thrown and Lambda retries it,
    // where after a claim it could lose the rollback.
    const plan = await planAct(decision, target, deps);
    const record: RollbackRecord = {
      ...key,
      alarmArn: incident.alarmArn,
      decidedAt: iso(now),
      action: decision.action,
      reason: decision.reason,
      enforce: decision.enforce,
      outcome: decision.action === 'none' ? 'skipped' : 'pending',
      ...links(plan),
      plan,
    };
    stored = await deps.rollbacks.recordDecision(record, decision.action === 'none' ? 'done' : 'act', token);
    if (stored.progress === 'done') {
      return stored.decidedBy === token
        ? outcomeOf(stored)
        : duplicate(stored, 'this incident was already decided for this target');
    }
  }
  return drive(stored, target, deps, token);
}

async function drive(
  incident: StoredIncident,
  target: RollbackTarget,
  deps: RollbackDependencies,
  token: string,
): Promise<TargetOutcome> {
  let current = incident;
  if (current.progress === 'act') {
    const settled = await actStep(current, target, deps, token);
    if (!settled) return duplicate(current, 'another delivery of this incident is acting on it');
    current = {
      ...current,
      outcome: settled.outcome,
      outcomeMessage: settled.message,
      result: settled.result,
      progress: settled.next,
    };
  }
  if (current.progress === 'announce' && !(await announceStep(current, target, deps, token))) {
    return duplicate(current, 'another delivery of this incident is announcing it');
  }
  return outcomeOf(current);
}

/** Claims the act, settles it (reading the world first if an earlier attempt may have acted), confirms it. */
async function actStep(
  incident: StoredIncident,
  target: RollbackTarget,
  deps: RollbackDependencies,
  token: string,
): Promise<(ActOutcome & { next: IncidentStep }) | undefined> {
  const now = deps.now();
  const leaseUntil = new Date(now.getTime() + STEP_LEASE_SECONDS * 1000);
  const claim = await deps.rollbacks.claimStep(incident, 'act', token, iso(now), iso(leaseUntil));
  if (!claim.claimed) return undefined;
  const outcome = await settleAct(incident, target, deps, now, claim);
  // Given back before the outcome is confirmed: a crash in between leaves the act pending, and the next attempt
  // reaches the same outcome and gives it back again (only the incident that holds it can).
  if (DID_NOT_ACT.has(outcome.outcome))
    await deps.rollbacks.releaseCooldown(incident.targetId, owner(incident));
  const next: IncidentStep = outcome.outcome === 'suppressed' ? 'done' : 'announce';
  await deps.rollbacks.recordOutcome(incident, token, outcome, next);
  return { ...outcome, next };
}

async function settleAct(
  incident: StoredIncident,
  target: RollbackTarget,
  deps: RollbackDependencies,
  now: Date,
  claim: { earlierAttempts: number; firstClaimedAt: string },
): Promise<ActOutcome> {
  const { plan } = incident;
  if (!plan || plan.action === 'none') return { outcome: 'skipped', message: incident.reason };
  if (incident.enforce && claim.earlierAttempts > 0) {
    const earlier = await earlierActSeen(plan, target, deps, claim.firstClaimedAt);
    if (earlier) return earlier;
  }
  // Neither takes the cooldown: a decision that cannot act must not spend it.
  if (incident.enforce && plan.refusal) return { outcome: 'failed', message: plan.refusal };
  if (incident.enforce && claim.earlierAttempts >= MAX_ACT_ATTEMPTS) {
    return {
      outcome: 'failed',
      message: `${plan.action} not confirmed after ${claim.earlierAttempts} attempts, and AWS shows no sign of it; act manually if the alarm still needs it`,
    };
  }
  const until = new Date(now.getTime() + target.cooldownMinutes * 60_000);
  const cooldown = await deps.rollbacks.claimCooldown(
    incident.targetId,
    owner(incident),
    iso(now),
    iso(until),
  );
  if (!cooldown.claimed) {
    return {
      outcome: 'suppressed',
      message: `cooldown: ${describeOwner(cooldown.heldBy)} already acted on ${incident.targetId} (until ${cooldown.until})`,
    };
  }
  if (!incident.enforce) return { outcome: 'observed', message: observedMessage(incident.reason, plan) };
  try {
    return await act(plan, target, deps);
  } catch (error) {
    const kind = classifyActError(error);
    if (kind === 'refused') return refusedOutcome(error, plan, deps);
    const message = explainRollbackError(error, plan);
    if (claim.earlierAttempts + 1 < MAX_ACT_ATTEMPTS) {
      throw new ActNotConfirmedError(`${message} The incident will be delivered again.`, { cause: error });
    }
    // The last attempt: an answer that never came is looked for once more, then the failure is final.
    const earlier =
      kind === 'unknown' ? await earlierActSeen(plan, target, deps, claim.firstClaimedAt) : undefined;
    deps.warn('Rollback call not confirmed', { error: errorName(error), explanation: message });
    return earlier ?? { outcome: 'failed', message };
  }
}

/** Makes the call that acts (once: no SDK retries). */
async function act(
  plan: RollbackPlan,
  target: RollbackTarget,
  deps: RollbackDependencies,
): Promise<ActOutcome> {
  switch (plan.action) {
    case 'stop-deployment': {
      const output = await deps.deployments.stopDeployment(plan.deploymentId);
      const status = output.status ?? 'Pending';
      return {
        outcome: 'succeeded',
        message:
          `StopDeployment ${plan.deploymentId} (autoRollbackEnabled): ${status} ${output.statusMessage ?? ''}`.trim(),
        result: { status },
      };
    }
    case 'rollback-stage': {
      if (target.kind !== 'pipeline') throw new Error('rollback-stage decided for a non-pipeline target');
      const output = await deps.pipelines.rollbackStage({
        pipeline: target.pipeline,
        stage: target.stage,
        targetExecutionId: plan.targetExecutionId,
      });
      return {
        outcome: 'succeeded',
        message: `RollbackStage ${target.pipeline}/${target.stage} to ${plan.targetExecutionId}: rollback execution ${output.rollbackExecutionId}`,
        result: {
          rollbackExecutionId: output.rollbackExecutionId ?? '',
          targetExecutionId: plan.targetExecutionId,
        },
      };
    }
    case 'redeploy': {
      if (target.kind !== 'codedeploy') throw new Error('redeploy decided for a non-CodeDeploy target');
      const output = await deps.deployments.createDeployment({
        application: target.application,
        deploymentGroup: target.deploymentGroup,
        revision: plan.revision ?? {},
        description: plan.description,
      });
      return redeployed(plan, output.deploymentId ?? '');
    }
    default:
      return { outcome: 'skipped', message: 'nothing to do' };
  }
}

const redeployed = (
  plan: Extract<RollbackPlan, { action: 'redeploy' }>,
  deploymentId: string,
): ActOutcome => ({
  outcome: 'succeeded',
  message: `CreateDeployment of the revision of ${plan.lastGoodDeploymentId} over ${plan.badDeploymentId}: new deployment ${deploymentId || '(no id returned)'}`,
  result: { deploymentId, revisionOf: plan.lastGoodDeploymentId },
});

/**
 * Whether an earlier attempt (or AWS itself) already did what the plan says, from the world: GetDeployment for a
 * stop, the group's recent deployments for a redeploy, the pipeline's executions for a stage rollback. Undefined
 * when the act is still to be done.
 */
async function earlierActSeen(
  plan: RollbackPlan,
  target: RollbackTarget,
  deps: RollbackDependencies,
  firstClaimedAt: string,
): Promise<ActOutcome | undefined> {
  const windowStart = ownActWindowStart(firstClaimedAt);
  switch (plan.action) {
    case 'stop-deployment': {
      const judgement = judgeDeploymentToStop(await deps.deployments.getDeployment(plan.deploymentId), true);
      // Still running, or GetDeployment cannot say: stopping (again) is what the incident needs.
      return judgement.verdict === 'final' ? judgement : undefined;
    }
    case 'redeploy': {
      if (target.kind !== 'codedeploy') return undefined;
      const recent = await deps.deployments.deploymentsCreatedSince(
        target.application,
        target.deploymentGroup,
        windowStart,
      );
      const own = findOwnRedeploy(recent, plan.description);
      return own ? confirmed(redeployed(plan, own.deploymentId)) : undefined;
    }
    case 'rollback-stage': {
      if (target.kind !== 'pipeline') return undefined;
      const own = findOwnStageRollback(
        await deps.pipelines.listExecutions(target.pipeline),
        plan.targetExecutionId,
        windowStart,
      );
      if (!own) return undefined;
      return confirmed({
        outcome: 'succeeded',
        message: `RollbackStage ${target.pipeline}/${target.stage} to ${plan.targetExecutionId}: rollback execution ${own.pipelineExecutionId}`,
        result: {
          rollbackExecutionId: own.pipelineExecutionId ?? '',
          targetExecutionId: plan.targetExecutionId,
        },
      });
    }
    default:
      return undefined;
  }
}

const confirmed = (outcome: ActOutcome): ActOutcome => ({
  ...outcome,
  message: `${outcome.message} (found by reading AWS after an attempt whose answer was lost)`,
});

/**
 * A refusal is final. StopDeployment's "already completed" says only that the deployment ended: GetDeployment says
 * how (CodeDeploy's own rollback, a failure, a success too early to stop), so the record says what really happened.
 */
async function refusedOutcome(
  error: unknown,
  plan: RollbackPlan,
  deps: RollbackDependencies,
): Promise<ActOutcome> {
  const message = explainRollbackError(error, plan);
  // `explanation`, not `message`: Powertools reserves `message` for the log line's text and drops the key.
  deps.warn('Rollback call refused', { error: errorName(error), explanation: message });
  if (plan.action === 'stop-deployment' && errorName(error) === 'DeploymentAlreadyCompletedException') {
    const judgement = judgeDeploymentToStop(await deps.deployments.getDeployment(plan.deploymentId), false);
    if (judgement.verdict === 'final') return judgement;
  }
  return { outcome: 'failed', message };
}

/** Announces the outcome on every channel not yet told, recording each answer, then closes the incident. */
async function announceStep(
  incident: StoredIncident,
  target: RollbackTarget,
  deps: RollbackDependencies,
  token: string,
): Promise<boolean> {
  const now = deps.now();
  const leaseUntil = new Date(now.getTime() + STEP_LEASE_SECONDS * 1000);
  const claim = await deps.rollbacks.claimStep(incident, 'announce', token, iso(now), iso(leaseUntil));
  if (!claim.claimed) return false;
  const announcement = rollbackAnnouncement(
    incident,
    target,
    incident.outcome,
    incident.outcomeMessage ?? '',
  );
  const lastAttempt = claim.earlierAttempts + 1 >= MAX_ACT_ATTEMPTS;
  let unconfirmed: string | undefined;
  for (const channel of deps.announcements) {
    const recorded = incident.announced[channel.name];
    const earlierSince = earlierAnnouncementSince(recorded);
    if (recorded && !earlierSince) continue;
    // Recorded before the call: a later attempt then knows this one may have announced, and looks first where
    // the channel lets it (Slack's history; an SNS FIFO topic deduplicates by itself).
    if (!earlierSince)
      await deps.rollbacks.recordAnnounced(incident, token, channel.name, announcingSince(iso(now)));
    let answer: string | undefined = 'sent';
    try {
      const { targetId, alarmName, alarmStateTime } = incident;
      await channel.announce(announcement, {
        incident: { targetId, alarmName, alarmStateTime },
        ...(earlierSince ? { earlierSince } : {}),
      });
    } catch (error) {
      deps.warn(`${channel.name} announcement failed`, {
        error: errorName(error),
        detail: (error as Error).message,
        targetId: incident.targetId,
      });
      // A refusal (not_in_channel, a bad topic) will not change: recorded. A throttle or a post without an answer
      // is tried again by the next delivery: a rollback must not go unannounced, even at the price of publishing
      // twice to a standard SNS topic when the first publish's answer was lost (it takes no idempotency key; Slack
      // is looked up and a FIFO topic deduplicates). One channel failing does not silence the other.
      answer =
        classifyActError(error) === 'refused' || lastAttempt ? `failed: ${errorName(error)}` : undefined;
      if (!answer) unconfirmed ??= `${channel.name} announcement failed (${errorName(error)})`;
    }
    if (answer) await deps.rollbacks.recordAnnounced(incident, token, channel.name, answer);
  }
  if (unconfirmed) throw new ActNotConfirmedError(`${unconfirmed}; the incident will be delivered again`);
  await deps.rollbacks.finishIncident(incident, token);
  return true;
}

/** The cooldown's owner is the incident itself: every delivery of it, and every SDK retry, is the same owner. */
const owner = (incident: IncidentKey) => `INCIDENT#${incident.alarmName}#${incident.alarmStateTime}`;

/** An owner as a person reads it ("alarm checkout-5xx in ALARM at …"): the stored key is not for messages. */
function describeOwner(heldBy: string | undefined): string {
  const match = heldBy === undefined ? null : /^INCIDENT#(.+)#([^#]+)$/.exec(heldBy);
  if (!match) return 'another incident';
  return `alarm ${match[1]} in ALARM at ${match[2]}`;
}

const outcomeOf = (incident: StoredIncident): TargetOutcome => ({
  targetId: incident.targetId,
  action: incident.action as RollbackDecision['action'],
  outcome: incident.outcome,
  message: incident.outcomeMessage ?? incident.reason,
});

const duplicate = (incident: StoredIncident, message: string): TargetOutcome => ({
  targetId: incident.targetId,
  action: 'none',
  outcome: 'duplicate',
  message,
});

/** Turns the decision into what will be done, with the reads it needs made now, before anything is claimed. */
async function planAct(
  decision: RollbackDecision,
  target: RollbackTarget,
  deps: RollbackDependencies,
): Promise<RollbackPlan> {
  const { reason: _reason, enforce, ...action } = decision;
  if (!enforce) return action;
  try {
    if (action.action === 'redeploy' && target.kind === 'codedeploy')
      return await planRedeploy(action, target, deps);
    if (action.action === 'rollback-stage' && target.kind === 'pipeline') {
      return { ...action, targetExecutionId: await confirmRollbackTarget(target, action, deps) };
    }
  } catch (error) {
    // The alarm's account cannot be reached (no spoke role, or it does not trust the hub): recorded as a failure
    // and announced, rather than retried into the dead-letter queue or acted on in another account.
    if (error instanceof SpokeRoleUnavailableError) return { ...action, refusal: error.message };
    throw error;
  }
  return action;
}

/**
 * CodeDeploy's own rollback only follows a failed or stopped deployment; after a success, "roll back" means a new
 * deployment of the last good revision. The revision comes from GetDeployment (the history does not keep it); the
 * group's current deployment configuration applies, as in the console's "Redeploy".
 */
async function planRedeploy(
  action: Extract<RollbackAction, { action: 'redeploy' }>,
  target: Extract<RollbackTarget, { kind: 'codedeploy' }>,
  deps: RollbackDependencies,
): Promise<RollbackPlan> {
  let lastGood: DeploymentDetails | undefined;
  try {
    lastGood = await deps.deployments.getDeployment(action.lastGoodDeploymentId);
  } catch (error) {
    // The deployment is gone: recorded as a failed redeploy with what to do, like any refused call.
    if (errorName(error) === 'DeploymentDoesNotExistException') {
      return { ...action, refusal: explainRollbackError(error, action) };
    }
    throw new HistoryLookupError(
      `GetDeployment ${action.lastGoodDeploymentId} (the last good deployment) failed (${errorName(error)}): its revision is unknown; the alarm event will be retried`,
      { cause: error },
    );
  }
  const elsewhere =
    (lastGood?.applicationName && lastGood.applicationName !== target.application) ||
    (lastGood?.deploymentGroupName && lastGood.deploymentGroupName !== target.deploymentGroup);
  if (elsewhere) {
    return {
      ...action,
      refusal: `GetDeployment ${action.lastGoodDeploymentId} belongs to ${lastGood?.applicationName}/${lastGood?.deploymentGroupName}, not ${target.application}/${target.deploymentGroup}; not redeploying it. Redeploy the last good revision manually.`,
    };
  }
  if (!lastGood?.revision) {
    return {
      ...action,
      refusal: `GetDeployment ${action.lastGoodDeploymentId} returned no revision to redeploy; redeploy the last good revision manually (console "Redeploy" or aws deploy create-deployment).`,
    };
  }
  return { ...action, revision: lastGood.revision };
}

/**
 * Recorded history may miss events or predate a pipeline structure change; CodePipeline's own list of
 * executions that succeeded in the stage (current pipeline version) has the last word when it answers.
 */
async function confirmRollbackTarget(
  target: Extract<RollbackTarget, { kind: 'pipeline' }>,
  action: Extract<RollbackAction, { action: 'rollback-stage' }>,
  deps: RollbackDependencies,
): Promise<string> {
  try {
    const listed = await deps.pipelines.listExecutions(target.pipeline, { succeededInStage: target.stage });
    return chooseRollbackTarget(listed, action.badExecutionId) ?? action.targetExecutionId;
  } catch (error) {
    deps.warn('ListPipelineExecutions failed; rolling back to the target found in the recorded history', {
      pipeline: target.pipeline,
      error: errorName(error),
    });
    return action.targetExecutionId;
  }
}

/** Observe mode says exactly what enforce mode would call, so a target can be proven before it acts. */
function observedMessage(reason: string, plan: RollbackPlan): string {
  if (plan.action !== 'redeploy') return reason;
  return `${reason}. Would call GetDeployment ${plan.lastGoodDeploymentId} for its revision, then CreateDeployment with it (description "${plan.description}")`;
}

function links(plan: RollbackPlan): Partial<RollbackRecord> {
  switch (plan.action) {
    case 'stop-deployment':
      return { deploymentId: plan.deploymentId };
    case 'redeploy':
      return { deploymentId: plan.badDeploymentId, rollbackTo: plan.lastGoodDeploymentId };
    case 'rollback-stage':
      return { executionId: plan.badExecutionId, rollbackTo: plan.targetExecutionId };
    default:
      return {};
  }
}

async function loadHistory(
  target: RollbackTarget,
  deps: RollbackDependencies,
  scope: Scope,
): Promise<HistorySnapshot> {
  if (target.kind === 'pipeline') {
    const { items } = await deps.history.listExecutions(
      { ...scope, pipeline: target.pipeline },
      { limit: 25 },
    );
    return {
      kind: 'pipeline',
      executions: items.map((execution) => {
        const stage = execution.stages[target.stage]?.status;
        return {
          executionId: execution.executionId,
          executionType: execution.executionType ?? 'STANDARD',
          startedAt: execution.startTime ?? execution.firstEventAt,
          stageState: stage?.status,
          stageStateAt: stage?.statusAt,
          rollbackTargetExecutionId: execution.rollbackTargetExecutionId,
        };
      }),
    };
  }
  const records = await deps.history.listDeployments(target.application, target.deploymentGroup, scope);
  // Deployment events say neither who created a deployment nor its description: CodeDeploy's own rollbacks
  // have creator codeDeployRollback, Auto Scaling's autoscaling(Termination), ours a description starting
  // OWN_REDEPLOY_PREFIX (DeploymentInfo). Ask only where it changes the decision: the active deployments, and
  // newest first until the newest one that is not Auto Scaling's (the change the decision judges).
  const deployments = await Promise.all(
    records.map((record, index) =>
      index === 0 || ACTIVE_DEPLOYMENT_STATES.has(record.status?.status ?? '')
        ? withDetails(record, deps)
        : summarise(record),
    ),
  );
  let lookups = 1;
  for (let index = 0; index + 1 < deployments.length; index++) {
    if (!isAutoScalingDeployment(deployments[index] as DeploymentSummary)) break;
    const next = index + 1;
    if ((deployments[next] as DeploymentSummary).creator !== undefined) continue;
    const record = records[next] as RunRecord;
    // Past the bound the creator stays unknown, and the decision does not act on a deployment it cannot judge.
    deployments[next] =
      lookups < MAX_CREATOR_LOOKUPS
        ? await withDetails(record, deps)
        : summarise(record, { creator: 'unknown' });
    lookups++;
  }
  return { kind: 'codedeploy', deployments };
}

function summarise(record: RunRecord, details: Partial<DeploymentSummary> = {}): DeploymentSummary {
  return {
    deploymentId: record.runId,
    state: record.status?.status,
    startedAt: record.firstEventAt,
    endedAt: record.endTime,
    ...details,
  };
}

/**
 * The recorded deployment corrected by GetDeployment: who made it, its description, and its status, which wins
 * over the recorded one (a lost SUCCESS or STOP event must not make a finished deployment look running).
 */
async function withDetails(record: RunRecord, deps: RollbackDependencies): Promise<DeploymentSummary> {
  let details: DeploymentDetails | undefined;
  try {
    details = await deps.deployments.getDeployment(record.runId);
  } catch (error) {
    // The target's account cannot be reached at all: decided from the history alone, so the act meets the same
    // error and the incident is recorded and announced as failed, naming the account and role, not retried away.
    if (error instanceof SpokeRoleUnavailableError) return summarise(record);
    // Thrown before the incident is claimed, so Lambda's retries (2) can still decide it; a read is not
    // what storms are made of. Deciding `none` here would close the incident on a transient error.
    throw new HistoryLookupError(
      `GetDeployment ${record.runId} failed (${errorName(error)}): cannot tell whether it is a CodeDeploy rollback; the alarm event will be retried`,
      { cause: error },
    );
  }
  // GetDeployment's status wins over the recorded state: a lost SUCCESS event must not leave a day-old deployment
  // looking like it is still running.
  const state = mapDeploymentStatus(details?.status);
  return summarise(record, {
    creator: details?.creator ?? 'unknown',
    description: details?.description,
    rollbackDeploymentId: details?.rollbackDeploymentId,
    ...(state ? { state } : {}),
    ...(state && details?.completeTime ? { endedAt: details.completeTime } : {}),
  });
}
