import { BatchGetDeploymentsCommand, type CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { DeploymentReport } from '#history/domain/api-reads';
import type { DeploymentHistoryApi } from '#history/ports';

// BatchGetDeployments takes at most 25 ids per call.
const DEPLOYMENT_BATCH = 25;

/** The reconciler's CodeDeploy reads, through a retrying client. */
export function codeDeployHistoryApi(client: CodeDeployClient): DeploymentHistoryApi {
  return {
    async getDeployments(deploymentIds) {
      const reports: DeploymentReport[] = [];
      for (let index = 0; index < deploymentIds.length; index += DEPLOYMENT_BATCH) {
        const response = await client.send(
          new BatchGetDeploymentsCommand({
            deploymentIds: deploymentIds.slice(index, index + DEPLOYMENT_BATCH),
          }),
        );
        reports.push(...(response.deploymentsInfo ?? []));
      }
      return reports;
    },
  };
}
