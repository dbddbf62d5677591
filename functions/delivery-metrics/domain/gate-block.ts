import type { StageRecord } from '#history/domain/execution-record';

/**
 * Whether a stage's failure was a gate saying no rather than a deployment failing: the stage FAILED and not
 * one of its actions ever ran. CodePipeline fails a stage that way when an entry condition (a
 * `DeploymentWindow`, a `CloudWatchAlarm` rule in `beforeEntry`) fails: nothing reached production, so it is
 * no change failure. A stage whose actions ran and then failed (or whose on-success condition failed after
 * them) did change production.
 */
export function blockedByGate(stage: StageRecord | undefined): boolean {
  if (!stage?.firstFailedAt) return false;
  return Object.keys(stage.actions ?? {}).length === 0;
}
