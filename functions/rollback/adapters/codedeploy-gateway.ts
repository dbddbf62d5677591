import {
  CodeDeployClient,
  CreateDeploymentCommand,
  type DeploymentInfo,
  GetDeploymentCommand,
  ListDeploymentsCommand,
  type RevisionLocation,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { type AwsClientFactory, type ClientScope, SINGLE_ATTEMPT } from '#platform/aws-clients';
import type { DeploymentDetails } from '#rollback/domain/deployment-status';
import type { DeploymentRevision } from '#rollback/domain/rollback-record';
import type { DeploymentGateway } from '#rollback/ports';

// Enough for the few minutes since our first claim: a group runs one deployment at a time.
const RECENT_DEPLOYMENTS_MAX = 10;

/**
 * CodeDeploy for the rollback wing: reads through the factory's retrying client, calls that act through a client
 * that makes one attempt (a retry of an attempt whose answer was lost could stop or redeploy twice).
 */
export function codeDeployGateway(clients: AwsClientFactory, scope: ClientScope = {}): DeploymentGateway {
  const reads = clients.client(CodeDeployClient, scope);
  const acts = clients.client(CodeDeployClient, { ...scope, overrides: SINGLE_ATTEMPT });

  async function getDeployment(deploymentId: string) {
    const output = await reads.send(new GetDeploymentCommand({ deploymentId }));
    // `?.` on the output too: local mode's outbox answers unscripted calls with nothing.
    return output?.deploymentInfo ? details(deploymentId, output.deploymentInfo) : undefined;
  }

  return {
    getDeployment,

    async deploymentsCreatedSince(application, deploymentGroup, since) {
      const output = await reads.send(
        new ListDeploymentsCommand({
          applicationName: application,
          deploymentGroupName: deploymentGroup,
          createTimeRange: { start: new Date(since) },
        }),
      );
      const ids = (output?.deployments ?? []).slice(0, RECENT_DEPLOYMENTS_MAX);
      const found = await Promise.all(ids.map(getDeployment));
      return found.filter((deployment): deployment is DeploymentDetails => deployment !== undefined);
    },

    async stopDeployment(deploymentId) {
      const output = await acts.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }));
      return { status: output?.status, statusMessage: output?.statusMessage };
    },

    async createDeployment({ application, deploymentGroup, revision, description }) {
      const output = await acts.send(
        new CreateDeploymentCommand({
          applicationName: application,
          deploymentGroupName: deploymentGroup,
          revision: revision as RevisionLocation,
          description,
        }),
      );
      return { deploymentId: output?.deploymentId };
    },
  };
}

function details(deploymentId: string, info: DeploymentInfo): DeploymentDetails {
  return {
    deploymentId: info.deploymentId ?? deploymentId,
    status: info.status,
    creator: info.creator,
    description: info.description,
    applicationName: info.applicationName,
    deploymentGroupName: info.deploymentGroupName,
    revision: info.revision as DeploymentRevision | undefined,
    createTime: info.createTime?.toISOString(),
    completeTime: info.completeTime?.toISOString(),
    rollbackDeploymentId: info.rollbackInfo?.rollbackDeploymentId,
    rollbackMessage: info.rollbackInfo?.rollbackMessage,
  };
}
