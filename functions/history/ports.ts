import type {
  ActionExecutionReport,
  BuildReport,
  DeploymentReport,
  ExecutionSummary,
} from '#history/domain/api-reads';
import type { ExecutionObservation } from '#history/domain/merge-execution';

export type DetailsObservation = Extract<ExecutionObservation, { kind: 'details' }>;

/** What the reconciler reads from CodePipeline: executions, their actions, their source revisions. */
export interface PipelineHistoryApi {
  /** One page of a pipeline's executions, newest first, and the token of the next page. */
  listExecutions(
    pipeline: string,
    nextToken?: string,
  ): Promise<{ summaries: ExecutionSummary[]; nextToken?: string }>;
  /** Every action execution of one pipeline execution (all pages). */
  listActionExecutions(pipeline: string, executionId: string): Promise<ActionExecutionReport[]>;
  /** The execution's source revisions, as a details observation made at `observedAt`. */
  fetchExecutionDetails(
    pipeline: string,
    executionId: string,
    observedAt: string,
  ): Promise<DetailsObservation>;
}

/** What the reconciler reads from CodeDeploy. */
export interface DeploymentHistoryApi {
  /** The deployments with these ids (any number; the adapter batches). */
  getDeployments(deploymentIds: readonly string[]): Promise<DeploymentReport[]>;
}

/** What the reconciler reads from CodeBuild: builds and batch builds (CodeBuild sends no batch events). */
export interface BuildHistoryApi {
  /** The builds or batch builds with these ids (any number; the adapter batches). */
  getBuilds(ids: readonly string[]): Promise<BuildReport[]>;
}
