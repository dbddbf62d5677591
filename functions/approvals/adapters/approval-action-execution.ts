import { type CodePipelineClient, paginateListActionExecutions } from '@aws-sdk/client-codepipeline';

/** Who ended an approval action outside Slack, when, and what they wrote, as far as CodePipeline records it. */
export interface ApprovalActionEnd {
  /** ARN of the principal that approved or rejected it (console, CLI), when CodePipeline has one. */
  by?: string;
  at?: string;
  /** The summary the approver typed (PutApprovalResult's `result.summary`). */
  summary?: string;
}

export interface ApprovalActionRef {
  pipeline: string;
  executionId: string;
  stage: string;
  action: string;
  actionExecutionId?: string;
}

/**
 * The approval action's execution details from ListActionExecutions (IAM `codepipeline:ListActionExecutions`
 * on the pipeline), filtered to the pipeline execution the event named: `updatedBy`, `lastUpdateTime` and
 * the output's `externalExecutionSummary`. Undefined when CodePipeline lists no such action execution.
 */
export async function findApprovalActionEnd(
  client: CodePipelineClient,
  ref: ApprovalActionRef,
): Promise<ApprovalActionEnd | undefined> {
  const pages = paginateListActionExecutions(
    { client },
    { pipelineName: ref.pipeline, filter: { pipelineExecutionId: ref.executionId } },
  );
  for await (const page of pages) {
    const detail = page.actionExecutionDetails?.find((candidate) =>
      ref.actionExecutionId
        ? candidate.actionExecutionId === ref.actionExecutionId
        : candidate.stageName === ref.stage && candidate.actionName === ref.action,
    );
    if (detail) {
      return {
        by: detail.updatedBy,
        at: detail.lastUpdateTime?.toISOString(),
        summary: detail.output?.executionResult?.externalExecutionSummary,
      };
    }
  }
  return undefined;
}
