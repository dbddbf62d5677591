import type { RunKind } from '#history/domain/run-record';

/**
 * The history's keys (docs/data-model.md). Every owner is named by account, region and name, so two
 * spokes' pipelines called "orders" never share an item. An execution is one partition: a small header, one
 * item per stage and one per action; the OwnerTime index (keys `gsi1pk`/`gsi1sk`) orders a pipeline's
 * execution headers (and a deployment group's deployments) in time.
 */
export interface Scope {
  account: string;
  region: string;
}

/** A pipeline named by its account and region; a bare name means the hub's own account and region. */
export type PipelineRef = string | (Scope & { pipeline: string });

export interface ScopedPipeline extends Scope {
  pipeline: string;
}

export function scopedPipeline(ref: PipelineRef, hub: Scope): ScopedPipeline {
  return typeof ref === 'string' ? { ...hub, pipeline: ref } : ref;
}

const owner = ({ account, region }: Scope, name: string) => `${account}#${region}#${name}`;

export const keys = {
  executionPartition: (ref: ScopedPipeline, executionId: string) =>
    `EXECUTION#${owner(ref, ref.pipeline)}#${executionId}`,
  executionHeader: 'HEADER',
  /**
   * The execution's GetPipelineExecution claim and answer, beside the header (which held both before 0.2.0,
   * and is still read for them).
   */
  executionDetails: 'DETAILS',
  stageItem: (stage: string) => `STAGE#${stage}`,
  actionItem: (stage: string, action: string) => `ACTION#${stage}#${action}`,
  executionsByTime: (ref: ScopedPipeline) => `PIPELINE#${owner(ref, ref.pipeline)}`,
  executionTimeKey: (startTime: string, executionId: string) => `${startTime}#${executionId}`,
  run: (kind: RunKind, scope: Scope, runId: string) => ({
    pk: `${RUN_PREFIX[kind]}#${owner(scope, runId)}`,
    sk: RUN_PREFIX[kind],
  }),
  deploymentGroup: (application: string, group: string, scope: Scope) =>
    `DEPLOYGROUP#${owner(scope, application)}#${group}`,
  pipelineCatalog: () => ({ pk: 'PIPELINES' }),
  pipelineEntry: (ref: ScopedPipeline) => ({ pk: 'PIPELINES', sk: `PIPELINE#${owner(ref, ref.pipeline)}` }),
};

/**
 * Keys written before account and region were part of the identity: read as the hub's own account and
 * region, so recorded history stays readable without a migration (CHANGELOG).
 */
export const legacyKeys = {
  execution: (pipeline: string, executionId: string) => ({
    pk: `PIPELINE#${pipeline}`,
    sk: `EXEC#${executionId}`,
  }),
  executionsByTime: (pipeline: string) => `PIPELINE#${pipeline}`,
  run: (kind: RunKind, runId: string) => ({ pk: `${RUN_PREFIX[kind]}#${runId}`, sk: RUN_PREFIX[kind] }),
  deploymentGroup: (application: string, group: string) => `DEPLOYGROUP#${application}#${group}`,
  pipelineEntryPrefix: 'PIPELINE#',
};

const RUN_PREFIX: Record<RunKind, string> = { deployment: 'DEPLOYMENT', build: 'BUILD' };
