import type { GetPipelineStateCommandOutput } from '@aws-sdk/client-codepipeline';
import type { PendingApprovalQuery, PendingApprovals } from '#approvals/ports';
import type { AwsClientFactory } from '#platform/aws-clients';
import { SpokeRoleUnavailableError } from '#platform/spoke-role-unavailable-error';
import { BOUNDED_READ_CLIENT } from './bounded-read-client';

/**
 * GetPipelineState in the approval's own account and region, through its spoke role: the open approval's token is
 * shown there (and only there) while it waits. The client is imported on first use: only an organisation's
 * unlisted accounts are confirmed, so other hubs never load it.
 */
export function createPendingApprovals(clients: AwsClientFactory): PendingApprovals {
  return {
    async confirm(query) {
      const { CodePipelineClient, GetPipelineStateCommand } = await import('@aws-sdk/client-codepipeline');
      const client = clients.client(CodePipelineClient, {
        account: query.account,
        region: query.region,
        overrides: BOUNDED_READ_CLIENT,
      });
      let state: GetPipelineStateCommandOutput;
      try {
        state = await client.send(new GetPipelineStateCommand({ name: query.pipeline }));
      } catch (error) {
        const reason = lastingRefusal(error, query);
        if (reason) return { pending: false, reason };
        throw error;
      }
      const latest = state.stageStates
        ?.find((stage) => stage.stageName === query.stage)
        ?.actionStates?.find((action) => action.actionName === query.action)?.latestExecution;
      if (latest?.status === 'InProgress' && latest.token === query.token) return { pending: true };
      return {
        pending: false,
        reason: `no approval with this token is waiting at ${placeOf(query)}`,
      };
    },
  };
}

const placeOf = (query: PendingApprovalQuery) =>
  `${query.pipeline}/${query.stage}/${query.action} in account ${query.account} (${query.region})`;

/**
 * Refusals that no retry changes: the hub may not assume a role there (not an organisation's account, or no spoke
 * stack), the spoke role may not read the pipeline (a spoke stack older than this check), or no such pipeline.
 * Anything else (throttling, a timeout, STS unreachable) is thrown, so the notification is delivered again.
 */
function lastingRefusal(error: unknown, query: PendingApprovalQuery): string | undefined {
  if (error instanceof SpokeRoleUnavailableError) {
    const causeName = (error.cause as Error | undefined)?.name;
    return error.roleArn === undefined || causeName === 'AccessDenied' ? error.message : undefined;
  }
  const name = (error as Error | undefined)?.name;
  if (name === 'PipelineNotFoundException')
    return `no pipeline ${query.pipeline} in account ${query.account}`;
  if (name === 'AccessDeniedException')
    return `the spoke role in account ${query.account} may not call GetPipelineState: update its spoke stack`;
  return undefined;
}
