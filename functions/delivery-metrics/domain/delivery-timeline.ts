import type { ExecutionRecord } from '#history/domain/execution-record';
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

/** One production deployment and what followed it (README "Delivery metrics" has the definitions). */
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
  /** Undefined: the pipeline's last stage (production-stage.ts). */
  productionStage?: string;
  /** A failure this long or longer after a deployment is not attributed to it. */
  failureWindowMs: number;
}

export interface DeliveryTimeline {
  pipeline: string;
  productionStage?: string;
  /** Oldest first. */
  deployments: Deployment[];
}

/**
 * A pipeline's production deployments, each with its lead time, the first failure attributed to it and when
 * production was restored. Pure: the read API and the recorder's metrics both derive their numbers here.
 *
 * A failure signal (a failed production stage, a rollback execution, an alarm incident) is attributed to the
 * deployment live when it happened (the latest production success before it) if it came within the failure
 * window; an alarm incident linked to a specific execution or CodeDeploy deployment goes to that one.
 */
export function deliveryTimeline(
  pipeline: string,
  executions: readonly ExecutionRecord[],
  incidents: readonly AlarmIncident[],
  options: DeliveryOptions,
): DeliveryTimeline {
  const productionStage = productionStageOf(executions, options.productionStage);
  if (!productionStage) return { pipeline, deployments: [] };

  const successAt = (execution: ExecutionRecord) => {
    const status = execution.stages[productionStage]?.status;
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
  const attribute = (executionId: string | undefined, signal: ChangeFailure) => {
    const target = executionId
      ? deployed.find((d) => d.execution.executionId === executionId)
      : deployed.filter((d) => d.deployedAt <= signal.at).at(-1);
    if (!target) return;
    // Only a signal linked to the deployment by name can precede it (an alarm during a later action of the
    // production stage): it counts as a failure from the moment the deployment finished.
    const failure = signal.at < target.deployedAt ? { ...signal, at: target.deployedAt } : signal;
    if (Date.parse(failure.at) - Date.parse(target.deployedAt) >= options.failureWindowMs) return;
    const id = target.execution.executionId;
    const earlier = failures.get(id);
    if (!earlier || failure.at < earlier.at) failures.set(id, failure);
  };

  for (const execution of executions) {
    const failedAt = execution.stages[productionStage]?.firstFailedAt;
    if (failedAt)
      attribute(undefined, { at: failedAt, cause: 'failed-execution', source: execution.executionId });
    if (execution.executionType === 'ROLLBACK') {
      const at = execution.startTime ?? execution.firstEventAt;
      attribute(undefined, { at, cause: 'rollback', source: execution.executionId });
    }
  }
  for (const incident of incidents) {
    const linked =
      incident.executionId ??
      deployed.find(
        (d) => incident.deploymentId && d.execution.deploymentIds?.includes(incident.deploymentId),
      )?.execution.executionId;
    if (!linked && (incident.executionId || incident.deploymentId)) continue; // linked to another pipeline
    attribute(linked, { at: incident.at, cause: 'alarm', source: incident.alarmName });
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
  return { pipeline, productionStage, deployments };
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
