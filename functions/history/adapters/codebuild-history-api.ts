import {
  BatchGetBuildBatchesCommand,
  BatchGetBuildsCommand,
  type CodeBuildClient,
} from '@aws-sdk/client-codebuild';
import type { BuildReport } from '#history/domain/api-reads';
import type { BuildHistoryApi } from '#history/ports';

// BatchGetBuildBatches and BatchGetBuilds take at most 100 ids per call.
const BUILD_BATCH = 100;

/**
 * The reconciler's CodeBuild reads, through a retrying client. A CodeBuild action's `external-execution-id`
 * does not say whether it names a build or a batch build (both are `<project>:<uuid>`), and CodeBuild sends
 * no event for a batch: the ids are asked as batches first, those not found as builds.
 */
export function codeBuildHistoryApi(client: CodeBuildClient): BuildHistoryApi {
  return {
    async getBuilds(ids) {
      const reports: BuildReport[] = [];
      for (let index = 0; index < ids.length; index += BUILD_BATCH) {
        const chunk = ids.slice(index, index + BUILD_BATCH);
        const batches = await client.send(new BatchGetBuildBatchesCommand({ ids: chunk }));
        for (const batch of batches.buildBatches ?? []) {
          reports.push(buildReport(batch, batch.buildBatchStatus, true));
        }
        const found = new Set(reports.map((report) => report.id));
        const rest = chunk.filter((id) => !found.has(id));
        if (rest.length === 0) continue;
        const builds = await client.send(new BatchGetBuildsCommand({ ids: rest }));
        for (const build of builds.builds ?? []) reports.push(buildReport(build, build.buildStatus, false));
      }
      return reports;
    },
  };
}

type BuildFields = Pick<BuildReport, 'id' | 'projectName' | 'initiator' | 'startTime' | 'endTime'>;

function buildReport(
  { id, projectName, initiator, startTime, endTime }: BuildFields,
  status: string | undefined,
  batch: boolean,
): BuildReport {
  return { id, batch, status, projectName, initiator, startTime, endTime };
}
