import type { ExecutionRecord } from '#history/domain/execution-record';
import {
  changeCreatedAt,
  type DeliveryOptions,
  type Deployment,
  deliveryTimeline,
} from './delivery-timeline';
import { blockedByGate } from './gate-block';
import { productionStageOf } from './production-stage';

export type DeliveryMetricName =
  | 'Deployments'
  | 'LeadTime'
  | 'ChangeFailures'
  | 'TimeToRestore'
  | 'FailedExecutions'
  | 'RollbackExecutions'
  | 'GateBlocks';

export interface DeliveryMetric {
  name: DeliveryMetricName;
  unit: 'Count' | 'Seconds';
  value: number;
}

/**
 * Whether a write from `previous` to `next` can change a delivery metric, so that the recorder reads the
 * pipeline's recent history (one Query) only then: when the execution ends, becomes a rollback, or a stage
 * first fails or turns out to have run actions after failing (a gate block becomes a failure), or, with a
 * known production stage, that stage changes. Most events cost nothing extra.
 */
export function mayChangeDeliveryMetrics(
  previous: ExecutionRecord | undefined,
  next: ExecutionRecord,
  knownStage: string | undefined,
): boolean {
  if (next.endTime && next.endTime !== previous?.endTime) return true;
  if (next.executionType === 'ROLLBACK' && previous?.executionType !== 'ROLLBACK') return true;
  const firstFailed = (name: string) =>
    next.stages[name]?.firstFailedAt !== previous?.stages[name]?.firstFailedAt ||
    blockedByGate(next.stages[name]) !== blockedByGate(previous?.stages[name]);
  const changed = (name: string) =>
    firstFailed(name) || next.stages[name]?.status?.status !== previous?.stages[name]?.status?.status;
  if (knownStage) return changed(knownStage);
  // A stage event delivered after its execution's end (EventBridge does not promise order) still counts.
  return Object.keys(next.stages).some(
    (name) => firstFailed(name) || (next.endTime !== undefined && changed(name)),
  );
}

/**
 * The EMF metrics one recorded write adds: the difference between the delivery timeline with the execution
 * as it was and as it is now, over the same recent history. Because the timeline is the one the read API
 * computes, the dashboard and GET /metrics/dora count the same deployments, failures and restores.
 * An unchanged write (a duplicate event) has no difference, so duplicates never count twice.
 */
export function deliveryMetricsFor(
  previous: ExecutionRecord | undefined,
  next: ExecutionRecord,
  recent: readonly ExecutionRecord[],
  options: DeliveryOptions,
): DeliveryMetric[] {
  const others = recent.filter((execution) => execution.executionId !== next.executionId);
  // The production stage is read off earlier executions first: an execution whose events arrive out of order
  // may not show its last stage yet, and must not make an earlier stage "production". Only a pipeline's first
  // execution has nothing else to go by; then each timeline infers it (deliveryTimeline does) from the execution
  // as it was, so a deployment already counted under the stage it seemed to end at is the same deployment, not
  // a second one.
  const stageOptions = { ...options, productionStage: options.productionStage ?? productionStageOf(others) };
  // Without a known stage (configured or declared), production is "the last stage", inferred once the execution has ended:
  // until then a stage's success counts for nothing (it is counted when the execution ends). Failures
  // count at once, and stay counted through a retry.
  // The same holds for the other executions: one still running counts for nothing yet, in both timelines, or a
  // failure charged to it now would be charged again once its own end makes it a deployment.
  const untilEnded = (execution: ExecutionRecord) =>
    !options.productionStage && !execution.endTime ? withoutStageStatuses(execution) : execution;
  const othersSoFar = others.map(untilEnded);
  const seen = previous && untilEnded(previous);
  const beforeTimeline = deliveryTimeline(
    next.pipeline,
    seen ? [...othersSoFar, seen] : othersSoFar,
    [],
    stageOptions,
  );
  const before = byExecution(beforeTimeline.deployments);
  const afterTimeline = deliveryTimeline(next.pipeline, [...othersSoFar, untilEnded(next)], [], stageOptions);
  const after = afterTimeline.deployments;

  const metrics: DeliveryMetric[] = [];
  // Without a known stage the deployment is the execution's success, counted on the one write that makes
  // it SUCCEEDED: "the last stage" is only inferred from the stages recorded so far, and counting its success
  // from the timelines' difference would count twice when a late stage event moves it (out-of-order delivery).
  const countOnSuccess = !options.productionStage;
  const inferredStage = stageOptions.productionStage;
  const skipped = inferredStage && next.stages[inferredStage]?.status?.status === 'SKIPPED';
  if (countOnSuccess && isForwardSuccess(previous, next) && !skipped) {
    metrics.push({ name: 'Deployments', unit: 'Count', value: 1 });
    const leadTimeMs =
      after.find((d) => d.executionId === next.executionId)?.leadTimeMs ?? leadTimeToEnd(next);
    if (leadTimeMs !== undefined) metrics.push(seconds('LeadTime', leadTimeMs));
  }
  for (const deployment of after) {
    const earlier = before.get(deployment.executionId);
    if (!earlier && !countOnSuccess) {
      metrics.push({ name: 'Deployments', unit: 'Count', value: 1 });
      if (deployment.leadTimeMs !== undefined) metrics.push(seconds('LeadTime', deployment.leadTimeMs));
    }
    if (deployment.restoreMs !== undefined && earlier?.restoreMs === undefined) {
      metrics.push(seconds('TimeToRestore', deployment.restoreMs));
    }
  }
  // Counted as "more deployments failed than before", not per deployment: a late event can move a failure from
  // one deployment to another (a success delivered after the failure that follows it), which is no new failure.
  const failedDeployments = (deployments: Iterable<Deployment>) =>
    [...deployments].filter((deployment) => deployment.changeFailure).length;
  const newFailures = failedDeployments(after) - failedDeployments(before.values());
  if (newFailures > 0) metrics.push({ name: 'ChangeFailures', unit: 'Count', value: newFailures });
  const newGateBlocks = afterTimeline.gateBlocks.length - beforeTimeline.gateBlocks.length;
  if (newGateBlocks > 0) metrics.push({ name: 'GateBlocks', unit: 'Count', value: newGateBlocks });
  if (next.status?.status === 'FAILED' && previous?.status?.status !== 'FAILED') {
    metrics.push({ name: 'FailedExecutions', unit: 'Count', value: 1 });
  }
  if (next.executionType === 'ROLLBACK' && previous?.executionType !== 'ROLLBACK') {
    metrics.push({ name: 'RollbackExecutions', unit: 'Count', value: 1 });
  }
  return metrics;
}

/** A forward (non-rollback) execution's first write as SUCCEEDED; SUCCEEDED is final, so this happens once. */
function isForwardSuccess(previous: ExecutionRecord | undefined, next: ExecutionRecord): boolean {
  return (
    next.executionType !== 'ROLLBACK' &&
    next.status?.status === 'SUCCEEDED' &&
    previous?.status?.status !== 'SUCCEEDED'
  );
}

/** Lead time to the execution's end, for a success whose last stage's own event has not arrived yet. */
function leadTimeToEnd(execution: ExecutionRecord): number | undefined {
  const committedAt = changeCreatedAt(execution);
  const endedAt = execution.endTime ?? execution.status?.statusAt;
  if (!committedAt || !endedAt || committedAt > endedAt) return undefined;
  return Date.parse(endedAt) - Date.parse(committedAt);
}

function withoutStageStatuses(execution: ExecutionRecord): ExecutionRecord {
  const stages = Object.fromEntries(
    Object.entries(execution.stages).map(([name, { status: _status, ...stage }]) => [name, stage]),
  );
  return { ...execution, stages };
}

function byExecution(deployments: readonly Deployment[]): Map<string, Deployment> {
  return new Map(deployments.map((deployment) => [deployment.executionId, deployment]));
}

function seconds(name: DeliveryMetricName, millis: number): DeliveryMetric {
  return { name, unit: 'Seconds', value: Math.round(millis / 1000) };
}
