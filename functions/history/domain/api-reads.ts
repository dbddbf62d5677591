/**
 * What the CodePipeline and CodeDeploy read APIs say, in the history's own terms: the fields the reconciler
 * uses, declared here so the domain does not depend on the SDK. The SDK's output types are structurally
 * assignable to these (its enums are strings), so adapters pass their answers through unchanged.
 */

/** One ListPipelineExecutions summary. */
export interface ExecutionSummary {
  pipelineExecutionId?: string;
  status?: string;
  startTime?: Date;
  lastUpdateTime?: Date;
  trigger?: { triggerType?: string; triggerDetail?: string };
  /** The reason given to StopPipelineExecution (the STOPPING event's `stop-execution-comments`). */
  stopTrigger?: { reason?: string };
}

/** One ListActionExecutions detail. */
export interface ActionExecutionReport {
  pipelineExecutionId?: string;
  actionExecutionId?: string;
  pipelineVersion?: number;
  stageName?: string;
  actionName?: string;
  startTime?: Date;
  lastUpdateTime?: Date;
  status?: string;
  input?: {
    actionTypeId?: { category?: string; owner?: string; provider?: string; version?: string };
    region?: string;
  };
  output?: {
    executionResult?: {
      externalExecutionId?: string;
      externalExecutionSummary?: string;
      externalExecutionUrl?: string;
      errorDetails?: { code?: string; message?: string };
    };
  };
}

/** One BatchGetDeployments deploymentInfo. */
export interface DeploymentReport {
  deploymentId?: string;
  applicationName?: string;
  deploymentGroupName?: string;
  status?: string;
  createTime?: Date;
  startTime?: Date;
  completeTime?: Date;
  /**
   * On a deployment CodeDeploy rolled back: the rollback's id. On the rollback: the deployment that
   * triggered it. (Deployment events say neither.)
   */
  rollbackInfo?: {
    rollbackDeploymentId?: string;
    rollbackTriggeringDeploymentId?: string;
    rollbackMessage?: string;
  };
}

/** One BatchGetBuildBatches buildBatch or BatchGetBuilds build (`batch` says which). */
export interface BuildReport {
  id?: string;
  batch: boolean;
  /** StatusType: IN_PROGRESS | SUCCEEDED | FAILED | FAULT | STOPPED | TIMED_OUT. */
  status?: string;
  projectName?: string;
  initiator?: string;
  startTime?: Date;
  endTime?: Date;
}
