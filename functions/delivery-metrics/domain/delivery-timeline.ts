import type { ExecutionRecord } from '#history/domain/execution-record';
import { blockedByGate } from './gate-block';
import type { ExecutionMode } from './pipeline-structure';
import { productionStageOf } from './production-stage';

/** An alarm incident recorded by rollback-on-alarm, with the execution or deployment it was attributed to. */
export interface AlarmIncident {
  at: string;
  alarmName: string;
  executionId?: string;
  deploymentId?: string;
}

export type FailureCause = 'failed-execution' | 'rollback' | 'alarm';

export interface ChangeFailure {
  at: string;
  cause: FailureCause;
  /** The failed or rollback execution, or the alarm's name. */
  source: string;
}

/** One production deployment and what followed it (docs/dora-metrics.md has the definitions). */
export interface Deployment {
  pipeline: string;
  executionId: string;
  deployedAt: string;
  /** From the newest source revision's creation to the production success. */
  leadTimeMs?: number;
  changeFailure?: ChangeFailure;
  /** The next production success after the failure (a fix, a retry or a rollback). */
  restoredAt?: string;
  restoreMs?: number;
}

export interface DeliveryOptions {
  /**
   * The configured production stage, or (in the recorder) the declared last stage of the pipeline's version.
   * Undefined: each execution's own `productionStage`, else the inferred one (production-stage.ts).
   */
  productionStage?: string;
  /** The pipeline's execution mode, when the recorder read it; else each execution's own. */
  executionMode?: ExecutionMode;
  /** A failure this long or longer after a deployment is not attributed to it: the window is half-open. */
  failureWindowMs: number;
}

/** An execution as the timeline reads it: its record and, when known, what its pipeline version declared. */
export type DeliveryExecution = ExecutionRecord & {
  /** The production stage for this execution's pipeline version (configured, or its declared last stage). */
  productionStage?: string;
  executionMode?: ExecutionMode;
};

/** A production stage that an entry condition kept closed: a release held back, not a failed deployment. */
export interface GateBlock {
  executionId: string;
  at: string;
}

export interface DeliveryTimeline {
  pipeline: string;
  productionStage?: string;
  /** Oldest first. */
  deployments: Deployment[];
  /** Oldest first. */
  gateBlocks: GateBlock[];
}

/**
 * A pipeline's production deployments, each with its lead time, the first failure attributed to it and when
 * production was restored. Pure: the read API and the recorder's metrics both derive their numbers here
 * (docs/dora-metrics.md has the definitions table).
 *
 * A failure signal (a failed production stage whose actions ran, a rollback execution of the production
 * stage, an alarm incident) is attributed to the deployment live when it happened (the latest production
 * success before it) if it came within the failure window; an alarm incident linked to a specific execution or
 * CodeDeploy deployment goes to that one. In PARALLEL mode executions run side by side, so a failed
 * execution is charged only to a deployment whose execution started no later than it did: a later-started
 * execution that happened to finish first did not cause it.
 */
export function deliveryTimeline(
  pipeline: string,
  executions: readonly DeliveryExecution[],
  incidents: readonly AlarmIncident[],
  options: DeliveryOptions,
): DeliveryTimeline {
  const inferred = options.productionStage
    ? undefined
    : productionStageOf(executions.filter((execution) => !execution.productionStage));
  const stageOf = (execution: DeliveryExecution) =>
    options.productionStage ?? execution.productionStage ?? inferred;
  const productionOf = (execution: DeliveryExecution) => {
    const stage = stageOf(execution);
    return stage ? execution.stages[stage] : undefined;
  };
  const startOf = (execution: DeliveryExecution) => execution.startTime ?? execution.firstEventAt;

  // SUCCEEDED only: an entry condition's SKIP leaves the stage SKIPPED, which deployed nothing.
  const successAt = (execution: DeliveryExecution) => {
    const status = productionOf(execution)?.status;
    return status?.status === 'SUCCEEDED' ? status.statusAt : undefined;
  };
  // Every production success restores service, rollbacks included; only forward changes are deployments.
  const restorations = executions
    .map(successAt)
    .filter((at): at is string => at !== undefined)
    .sort();
  const deployed = executions
    .filter((execution) => execution.executionType !== 'ROLLBACK' && successAt(execution))
    .map((execution) => ({ execution, deployedAt: successAt(execution) as string }))
    .sort(
      (a, b) =>
        a.deployedAt.localeCompare(b.deployedAt) ||
        a.execution.executionId.localeCompare(b.execution.executionId),
    );

  const failures = new Map<string, ChangeFailure>();
  const attribute = (
    executionId: string | undefined,
    signal: ChangeFailure,
    startedBy?: DeliveryExecution,
  ) => {
    const parallel = startedBy && (startedBy.executionMode ?? options.executionMode) === 'PARALLEL';
    const target = executionId
      ? deployed.find((d) => d.execution.executionId === executionId)
      : deployed
          .filter((d) => d.deployedAt <= signal.at)
          .filter((d) => !parallel || startOf(d.execution) <= startOf(startedBy))
          .at(-1);
    if (!target) return;
    // Only a signal linked to the deployment by name can precede it (an alarm during a later action of the
    // production stage): it counts as a failure from the moment the deployment finished.
    const failure = signal.at < target.deployedAt ? { ...signal, at: target.deployedAt } : signal;
    if (Date.parse(failure.at) - Date.parse(target.deployedAt) >= options.failureWindowMs) return;
    const id = target.execution.executionId;
    const earlier = failures.get(id);
    if (!earlier || failure.at < earlier.at) failures.set(id, failure);
  };

  const gateBlocks: GateBlock[] = [];
  for (const execution of executions) {
    const production = productionOf(execution);
    const failedAt = production?.firstFailedAt;
    if (failedAt && blockedByGate(production)) {
      gateBlocks.push({ executionId: execution.executionId, at: failedAt });
    } else if (failedAt) {
      const signal = { at: failedAt, cause: 'failed-execution' as const, source: execution.executionId };
      attribute(undefined, signal, execution);
    }
    // A rollback of another stage (Beta) says nothing about production.
    if (execution.executionType === 'ROLLBACK' && production) {
      attribute(undefined, { at: startOf(execution), cause: 'rollback', source: execution.executionId });
    }
  }
  for (const incident of incidents) {
    const linkedTo = (execution: DeliveryExecution) =>
      incident.executionId
        ? execution.executionId === incident.executionId
        : Boolean(incident.deploymentId && execution.deploymentIds?.includes(incident.deploymentId));
    const signal: ChangeFailure = { at: incident.at, cause: 'alarm', source: incident.alarmName };
    const linkedDeployment = deployed.find((d) => linkedTo(d.execution));
    if (linkedDeployment) attribute(linkedDeployment.execution.executionId, signal);
    // Linked to an execution of this pipeline that did not deploy (its production stage then failed): the
    // alarm still fired on production, which the deployment live at the time was running.
    else if (executions.some(linkedTo)) attribute(undefined, signal);
    else if (!incident.executionId && !incident.deploymentId) attribute(undefined, signal);
    // Otherwise it is linked to another pipeline's execution or deployment.
  }

  const deployments = deployed.map(({ execution, deployedAt }): Deployment => {
    const deployment: Deployment = { pipeline, executionId: execution.executionId, deployedAt };
    const committedAt = changeCreatedAt(execution);
    if (committedAt && committedAt <= deployedAt) {
      deployment.leadTimeMs = Date.parse(deployedAt) - Date.parse(committedAt);
    }
    const failure = failures.get(execution.executionId);
    if (failure) {
      deployment.changeFailure = failure;
      const restoredAt = restorations.find((at) => at > failure.at);
      if (restoredAt) {
        deployment.restoredAt = restoredAt;
        deployment.restoreMs = Date.parse(restoredAt) - Date.parse(failure.at);
      }
    }
    return deployment;
  });
  gateBlocks.sort((a, b) => a.at.localeCompare(b.at) || a.executionId.localeCompare(b.executionId));
  const productionStage = newestProductionStage(executions, stageOf);
  return { pipeline, ...(productionStage ? { productionStage } : {}), deployments, gateBlocks };
}

/** The stage the report names: the one the newest execution's production stage is (stable per version). */
function newestProductionStage(
  executions: readonly DeliveryExecution[],
  stageOf: (execution: DeliveryExecution) => string | undefined,
): string | undefined {
  const newest = [...executions]
    .filter((execution) => stageOf(execution))
    .sort(
      (a, b) =>
        (b.startTime ?? b.firstEventAt).localeCompare(a.startTime ?? a.firstEventAt) ||
        b.executionId.localeCompare(a.executionId),
    )[0];
  return newest ? stageOf(newest) : undefined;
}

/** When the change was made: the newest source revision's creation time, else the trigger's commit date. */
export function changeCreatedAt(execution: ExecutionRecord): string | undefined {
  const created = (execution.sourceRevisions ?? [])
    .map((revision) => revision.createdAt)
    .filter((at): at is string => Boolean(at))
    .map((at) => new Date(at).toISOString())
    .sort();
  const authorDate = execution.trigger?.authorDate;
  return created.at(-1) ?? (authorDate ? new Date(authorDate).toISOString() : undefined);
}
