import type { RunKind } from '#history/domain/run-record';

/**
 * Single-table key layout (README "Data model"). GSI1 orders items in time within one owner (a pipeline's
 * executions, a deployment group's deployments); GSI2 orders every pipeline's executions in time, one
 * partition per month so no partition grows without bound.
 */
export const keys = {
  execution: (pipeline: string, executionId: string) => ({
    pk: `PIPELINE#${pipeline}`,
    sk: `EXEC#${executionId}`,
  }),
  executionsByTime: (pipeline: string) => `PIPELINE#${pipeline}`,
  executionsByMonth: (month: string) => `EXECUTIONS#${month}`,
  executionTimeKey: (startTime: string, executionId: string) => `${startTime}#${executionId}`,
  run: (kind: RunKind, runId: string) => ({ pk: `${RUN_PREFIX[kind]}#${runId}`, sk: RUN_PREFIX[kind] }),
  deploymentGroup: (application: string, group: string) => `DEPLOYGROUP#${application}#${group}`,
  buildProject: (project: string) => `BUILDPROJECT#${project}`,
  pipelineCatalog: () => ({ pk: 'PIPELINES' }),
  pipelineEntry: (pipeline: string) => ({ pk: 'PIPELINES', sk: `PIPELINE#${pipeline}` }),
};

const RUN_PREFIX: Record<RunKind, string> = { deployment: 'DEPLOYMENT', build: 'BUILD' };
