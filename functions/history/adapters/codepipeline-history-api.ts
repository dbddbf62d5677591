import {
  type CodePipelineClient,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
} from '@aws-sdk/client-codepipeline';
import type { ActionExecutionReport } from '#history/domain/api-reads';
import type { PipelineHistoryApi } from '#history/ports';
import { fetchExecutionDetails } from './fetch-execution-details';

// ListPipelineExecutions and ListActionExecutions maxResults: 1..100 (botocore).
const PAGE_SIZE = 100;

/** The reconciler's CodePipeline reads, through a retrying client (throttling slows a run, not fails it). */
export function codePipelineHistoryApi(client: CodePipelineClient): PipelineHistoryApi {
  return {
    async listExecutions(pipeline, nextToken) {
      const response = await client.send(
        new ListPipelineExecutionsCommand({ pipelineName: pipeline, maxResults: PAGE_SIZE, nextToken }),
      );
      return { summaries: response.pipelineExecutionSummaries ?? [], nextToken: response.nextToken };
    },
    async listActionExecutions(pipeline, executionId) {
      const details: ActionExecutionReport[] = [];
      let nextToken: string | undefined;
      do {
        const response = await client.send(
          new ListActionExecutionsCommand({
            pipelineName: pipeline,
            filter: { pipelineExecutionId: executionId },
            maxResults: PAGE_SIZE,
            nextToken,
          }),
        );
        details.push(...(response.actionExecutionDetails ?? []));
        nextToken = response.nextToken;
      } while (nextToken);
      return details;
    },
    fetchExecutionDetails: (pipeline, executionId, observedAt) =>
      fetchExecutionDetails(client, pipeline, executionId, observedAt),
  };
}
