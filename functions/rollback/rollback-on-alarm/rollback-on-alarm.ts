import {
  type CodeDeployClient,
  CreateDeploymentCommand,
  type DeploymentInfo,
  GetDeploymentCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import {
  type CodePipelineClient,
  ListPipelineExecutionsCommand,
  RollbackStageCommand,
} from '@aws-sdk/client-codepipeline';
import type { SlackMessage } from '#approvals/adapters/approval-messages';
import type { HistoryStore } from '#history/adapters/history-store';
import type { RunRecord } from '#history/domain/run-record';
import {
  announcementSlackMessage,
  announcementText,
  rollbackAnnouncement,
} from '#rollback/adapters/rollback-announcement';
import {
  type RollbackOutcome,
  type RollbackRecord,
  type RollbackStore,
  rollbackKeys,
} from '#rollback/adapters/rollback-store';
import { chooseRollbackTarget } from '#rollback/domain/choose-rollback-target';
import {
  type AlarmIncident,
  type DeploymentSummary,
  decideRollback,
  type HistorySnapshot,
  isAutoScalingDeployment,
  type RollbackDecision,
} from '#rollback/domain/decide-rollback';
import { explainRollbackError } from '#rollback/domain/explain-rollback-error';
import {
  type RollbackConfig,
  type RollbackTarget,
  targetId,
  targetsForAlarm,
} from '#rollback/domain/rollback-config';
import type { AlarmStateChangeEvent } from './alarm-event';

export interface RollbackDependencies {
  config: RollbackConfig;
  rollbacks: RollbackStore;
  history: Pick<HistoryStore, 'listExecutions'>;
  /** Reads (GetDeployment, ListPipelineExecutions): with the SDK's retries, a throttle does not lose a rollback. */
  reads: { codeDeploy: CodeDeployClient; codePipeline: CodePipelineClient };
  /**
   * Calls that act (StopDeployment, RollbackStage, CreateDeployment): made once, since an SDK retry of an attempt
   * whose response was lost could act twice.
   */
  acts: { codeDeploy: CodeDeployClient; codePipeline: CodePipelineClient };
  /** Publishes a decision that acts (or would act); absent when no topic is configured. */
  announceOnTopic?: (subject: string, message: string) => Promise<void>;
  /** Posts the same announcement to the rollback Slack channel; absent when Slack announcements are off. */
  announceInSlack?: (message: SlackMessage) => Promise<void>;
  warn: (message: string, context: Record<string, unknown>) => void;
  now: () => Date;
}

export interface TargetOutcome {
  targetId: string;
  action: RollbackDecision['action'];
  outcome: RollbackOutcome | 'duplicate' | 'unguarded';
  message: string;
}

export class HistoryLookupError extends Error {
  override name = 'HistoryLookupError';
}

const ACTIVE_DEPLOYMENT_STATES = new Set(['START', 'READY']);
/** GetDeployment calls spent walking past Auto Scaling deployments to the newest change (the newest included). */
const MAX_CREATOR_LOOKUPS = 5;

/**
 * One alarm state change: decide per guarded target, claim the incident, respect the cooldown, act (or
 * only observe), record and announce. AWS API errors are recorded and answered, never thrown: a retry of a
 * refused rollback is how storms start (README "Correctness rules").
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
  const targets = targetsForAlarm(deps.config, incident.alarmName);
  if (targets.length === 0) {
    const decision = decideRollback(incident, undefined, undefined, deps.now());
    return [{ targetId: '(none)', action: 'none', outcome: 'unguarded', message: decision.reason }];
  }
  const outcomes: TargetOutcome[] = [];
  for (const target of targets) outcomes.push(await handleTarget(incident, target, deps));
  return outcomes;
}

async function handleTarget(
  incident: AlarmIncident,
  target: RollbackTarget,
  deps: RollbackDependencies,
): Promise<TargetOutcome> {
  const id = targetId(target);
  const now = deps.now();
  // Cheap early exit for redeliveries (no AWS reads); the conditional put below still decides races.
  if (await deps.rollbacks.noteDuplicate(id, incident.alarmName, incident.stateTime)) {
    return {
      targetId: id,
      action: 'none',
      outcome: 'duplicate',
      message: 'this incident was already decided for this target',
    };
  }
  const history = await loadHistory(target, deps, now);
  const decision = decideRollback(incident, target, history, now);
  // Read before the incident and cooldown are claimed: a read that fails then is retried by Lambda, where after
  // the claim it would lose the redeploy for the whole cooldown.
  const lastGood =
    decision.enforce && decision.action === 'redeploy' ? await readLastGood(decision, deps) : {};
  const record: RollbackRecord = {
    targetId: id,
    alarmName: incident.alarmName,
    alarmArn: incident.alarmArn,
    alarmStateTime: incident.stateTime,
    decidedAt: now.toISOString(),
    action: decision.action,
    reason: decision.reason,
    enforce: decision.enforce,
    outcome: decision.action === 'none' ? 'skipped' : 'pending',
    ...links(decision),
  };
  const done = (outcome: TargetOutcome['outcome'], message: string): TargetOutcome => ({
    targetId: id,
    action: decision.action,
    outcome,
    message,
  });

  if (!(await deps.rollbacks.claimIncident(record))) {
    return done('duplicate', 'this incident was already decided for this target');
  }
  if (decision.action === 'none') return done('skipped', decision.reason);

  const { sk } = rollbackKeys.incident(id, incident.alarmName, incident.stateTime);
  const until = new Date(now.getTime() + target.cooldownMinutes * 60_000).toISOString();
  const cooldown = await deps.rollbacks.claimCooldown(id, sk, now.toISOString(), until);
  if (!cooldown.claimed) {
    const message = `cooldown: ${cooldown.heldBy ?? 'another incident'} already acted on ${id} (until ${cooldown.until})`;
    await deps.rollbacks.recordOutcome(record, 'suppressed', message);
    return done('suppressed', message);
  }

  const { outcome, message, result } = decision.enforce
    ? await act(decision, target, deps, lastGood)
    : { outcome: 'observed' as const, message: observedMessage(decision), result: undefined };
  await deps.rollbacks.recordOutcome(record, outcome, message, result);
  await announce(deps, { ...record, result }, target, outcome, message);
  return done(outcome, message);
}

interface ActOutcome {
  outcome: RollbackOutcome;
  message: string;
  result?: Record<string, string>;
}

async function act(
  decision: RollbackDecision,
  target: RollbackTarget,
  deps: RollbackDependencies,
  lastGood: LastGoodRead,
): Promise<ActOutcome> {
  try {
    switch (decision.action) {
      case 'stop-deployment': {
        const output = await deps.acts.codeDeploy.send(
          new StopDeploymentCommand({ deploymentId: decision.deploymentId, autoRollbackEnabled: true }),
        );
        return {
          outcome: 'succeeded',
          message:
            `StopDeployment ${decision.deploymentId} (autoRollbackEnabled): ${output.status ?? 'Pending'} ${output.statusMessage ?? ''}`.trim(),
          result: { status: output.status ?? 'Pending' },
        };
      }
      case 'rollback-stage': {
        if (target.kind !== 'pipeline') throw new Error('rollback-stage decided for a non-pipeline target');
        const targetExecutionId = await confirmRollbackTarget(target, decision, deps);
        const output = await deps.acts.codePipeline.send(
          new RollbackStageCommand({
            pipelineName: target.pipeline,
            stageName: target.stage,
            targetPipelineExecutionId: targetExecutionId,
          }),
        );
        return {
          outcome: 'succeeded',
          message: `RollbackStage ${target.pipeline}/${target.stage} to ${targetExecutionId}: rollback execution ${output.pipelineExecutionId}`,
          result: { rollbackExecutionId: output.pipelineExecutionId ?? '', targetExecutionId },
        };
      }
      case 'redeploy': {
        if (target.kind !== 'codedeploy') throw new Error('redeploy decided for a non-CodeDeploy target');
        return await redeployLastGoodRevision(target, decision, deps, lastGood);
      }
      default:
        return { outcome: 'skipped', message: decision.reason };
    }
  } catch (error) {
    const message = explainRollbackError(error, decision);
    // `explanation`, not `message`: Powertools reserves `message` for the log line's text and drops the key.
    deps.warn('Rollback call refused', { error: (error as Error).name, explanation: message });
    return { outcome: 'failed', message };
  }
}

/** GetDeployment of the last good deployment, read before the claim; a refusal that a retry cannot fix is kept. */
type LastGoodRead = { info?: DeploymentInfo; refused?: unknown };

async function readLastGood(
  decision: Extract<RollbackDecision, { action: 'redeploy' }>,
  deps: RollbackDependencies,
): Promise<LastGoodRead> {
  try {
    const output = await deps.reads.codeDeploy.send(
      new GetDeploymentCommand({ deploymentId: decision.lastGoodDeploymentId }),
    );
    return { info: output?.deploymentInfo };
  } catch (error) {
    // The deployment is gone: recorded as a failed redeploy with what to do, like any refused call.
    if ((error as Error).name === 'DeploymentDoesNotExistException') return { refused: error };
    throw new HistoryLookupError(
      `GetDeployment ${decision.lastGoodDeploymentId} (the last good deployment) failed (${(error as Error).name}): its revision is unknown; the alarm event will be retried`,
      { cause: error },
    );
  }
}

/**
 * CodeDeploy's own rollback only follows a failed or stopped deployment; after a success, "roll back" means a new
 * deployment of the last good revision. The revision comes from GetDeployment (the history does not keep it),
 * read before the claim; the group's current deployment configuration applies, as in the console's "Redeploy".
 */
async function redeployLastGoodRevision(
  target: Extract<RollbackTarget, { kind: 'codedeploy' }>,
  decision: Extract<RollbackDecision, { action: 'redeploy' }>,
  deps: RollbackDependencies,
  { info: lastGood, refused }: LastGoodRead,
): Promise<ActOutcome> {
  if (refused) throw refused;
  const elsewhere =
    (lastGood?.applicationName && lastGood.applicationName !== target.application) ||
    (lastGood?.deploymentGroupName && lastGood.deploymentGroupName !== target.deploymentGroup);
  if (!lastGood?.revision || elsewhere) {
    return {
      outcome: 'failed',
      message: elsewhere
        ? `GetDeployment ${decision.lastGoodDeploymentId} belongs to ${lastGood?.applicationName}/${lastGood?.deploymentGroupName}, not ${target.application}/${target.deploymentGroup}; not redeploying it. Redeploy the last good revision manually.`
        : `GetDeployment ${decision.lastGoodDeploymentId} returned no revision to redeploy; redeploy the last good revision manually (console "Redeploy" or aws deploy create-deployment).`,
    };
  }
  const output = await deps.acts.codeDeploy.send(
    new CreateDeploymentCommand({
      applicationName: target.application,
      deploymentGroupName: target.deploymentGroup,
      revision: lastGood.revision,
      description: decision.description,
    }),
  );
  const deploymentId = output?.deploymentId ?? '';
  return {
    outcome: 'succeeded',
    message: `CreateDeployment of the revision of ${decision.lastGoodDeploymentId} over ${decision.badDeploymentId}: new deployment ${deploymentId || '(no id returned)'}`,
    result: { deploymentId, revisionOf: decision.lastGoodDeploymentId },
  };
}

/**
 * Recorded history may miss events or predate a pipeline structure change; CodePipeline's own list of
 * executions that succeeded in the stage (current pipeline version) has the last word when it answers.
 */
async function confirmRollbackTarget(
  target: Extract<RollbackTarget, { kind: 'pipeline' }>,
  decision: Extract<RollbackDecision, { action: 'rollback-stage' }>,
  deps: RollbackDependencies,
): Promise<string> {
  try {
    const output = await deps.reads.codePipeline.send(
      new ListPipelineExecutionsCommand({
        pipelineName: target.pipeline,
        maxResults: 50,
        filter: { succeededInStage: { stageName: target.stage } },
      }),
    );
    return (
      chooseRollbackTarget(output?.pipelineExecutionSummaries ?? [], decision.badExecutionId) ??
      decision.targetExecutionId
    );
  } catch (error) {
    deps.warn('ListPipelineExecutions failed; rolling back to the target found in the recorded history', {
      pipeline: target.pipeline,
      error: (error as Error).name,
    });
    return decision.targetExecutionId;
  }
}

/** Observe mode says exactly what enforce mode would call, so a target can be proven before it acts. */
function observedMessage(decision: RollbackDecision): string {
  if (decision.action !== 'redeploy') return decision.reason;
  return `${decision.reason}. Would call GetDeployment ${decision.lastGoodDeploymentId} for its revision, then CreateDeployment with it (description "${decision.description}")`;
}

function links(decision: RollbackDecision): Partial<RollbackRecord> {
  switch (decision.action) {
    case 'stop-deployment':
      return { deploymentId: decision.deploymentId };
    case 'redeploy':
      return { deploymentId: decision.badDeploymentId, rollbackTo: decision.lastGoodDeploymentId };
    case 'rollback-stage':
      return { executionId: decision.badExecutionId, rollbackTo: decision.targetExecutionId };
    default:
      return {};
  }
}

async function loadHistory(
  target: RollbackTarget,
  deps: RollbackDependencies,
  now: Date,
): Promise<HistorySnapshot> {
  if (target.kind === 'pipeline') {
    // The `to` bound is not needed for the logic: listExecutions without a time bound sends an unused
    // `#sk` attribute name, which DynamoDB (and dynalite) reject with ValidationException.
    const { items } = await deps.history.listExecutions(target.pipeline, {
      limit: 25,
      to: now.toISOString(),
    });
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
  const records = await deps.rollbacks.listDeployments(target.application, target.deploymentGroup);
  // Deployment events say neither who created a deployment nor its description: CodeDeploy's own rollbacks
  // have creator codeDeployRollback, Auto Scaling's autoscaling(Termination), ours a description starting
  // OWN_REDEPLOY_PREFIX (DeploymentInfo). Ask only where it changes the decision: the active deployments, and
  // newest first until the newest one that is not Auto Scaling's (the change the decision judges).
  const deployments = await Promise.all(
    records.map((record, index) =>
      index === 0 || ACTIVE_DEPLOYMENT_STATES.has(record.status?.status ?? '')
        ? withCreatorAndDescription(record, deps)
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
        ? await withCreatorAndDescription(record, deps)
        : summarise(record, { creator: 'unknown' });
    lookups++;
  }
  return { kind: 'codedeploy', deployments };
}

function summarise(
  record: RunRecord,
  details: Pick<DeploymentSummary, 'creator' | 'description'> = {},
): DeploymentSummary {
  return {
    deploymentId: record.runId,
    state: record.status?.status,
    startedAt: record.firstEventAt,
    endedAt: record.endTime,
    ...details,
  };
}

async function withCreatorAndDescription(
  record: RunRecord,
  deps: RollbackDependencies,
): Promise<DeploymentSummary> {
  try {
    const output = await deps.reads.codeDeploy.send(new GetDeploymentCommand({ deploymentId: record.runId }));
    // `?.` on the output too: local mode's outbox answers unscripted calls with nothing.
    const info = output?.deploymentInfo;
    return summarise(record, { creator: info?.creator ?? 'unknown', description: info?.description });
  } catch (error) {
    // Thrown before the incident is claimed, so Lambda's retries (2) can still decide it; a read is not
    // what storms are made of. Deciding `none` here would close the incident on a transient error.
    throw new HistoryLookupError(
      `GetDeployment ${record.runId} failed (${(error as Error).name}): cannot tell whether it is a CodeDeploy rollback; the alarm event will be retried`,
      { cause: error },
    );
  }
}

async function announce(
  deps: RollbackDependencies,
  record: RollbackRecord,
  target: RollbackTarget,
  outcome: RollbackOutcome,
  message: string,
): Promise<void> {
  const announcement = rollbackAnnouncement(record, target, outcome, message);
  // The rollback is recorded; a lost announcement must not trigger a retry that re-decides, and one channel
  // failing must not silence the other.
  const { announceOnTopic, announceInSlack } = deps;
  const channels = [
    {
      name: 'SNS',
      send: announceOnTopic && (() => announceOnTopic(announcement.subject, announcementText(announcement))),
    },
    {
      name: 'Slack',
      send: announceInSlack && (() => announceInSlack(announcementSlackMessage(announcement))),
    },
  ];
  for (const channel of channels) {
    if (!channel.send) continue;
    try {
      await channel.send();
    } catch (error) {
      deps.warn(`${channel.name} announcement failed`, {
        error: (error as Error).name,
        detail: (error as Error).message,
        targetId: record.targetId,
      });
    }
  }
}
