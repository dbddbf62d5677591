import {
  CodePipelineClient,
  ListPipelineExecutionsCommand,
  RollbackStageCommand,
} from '@aws-sdk/client-codepipeline';
import { type AwsClientFactory, type ClientScope, SINGLE_ATTEMPT } from '#platform/aws-clients';
import type { PipelineGateway } from '#rollback/ports';

// One page is enough both to confirm a rollback target and to find our own rollback execution of the last minutes.
const EXECUTIONS_PAGE = 50;

/** CodePipeline for the rollback wing: reads retry, RollbackStage is made once (same reasons as CodeDeploy). */
export function codePipelineGateway(clients: AwsClientFactory, scope: ClientScope = {}): PipelineGateway {
  const reads = clients.client(CodePipelineClient, scope);
  const acts = clients.client(CodePipelineClient, { ...scope, overrides: SINGLE_ATTEMPT });
  return {
    async listExecutions(pipeline, { succeededInStage } = {}) {
      const output = await reads.send(
        new ListPipelineExecutionsCommand({
          pipelineName: pipeline,
          maxResults: EXECUTIONS_PAGE,
          ...(succeededInStage ? { filter: { succeededInStage: { stageName: succeededInStage } } } : {}),
        }),
      );
      return output?.pipelineExecutionSummaries ?? [];
    },

    async rollbackStage({ pipeline, stage, targetExecutionId }) {
      const output = await acts.send(
        new RollbackStageCommand({
          pipelineName: pipeline,
          stageName: stage,
          targetPipelineExecutionId: targetExecutionId,
        }),
      );
      return { rollbackExecutionId: output?.pipelineExecutionId };
    },
  };
}
