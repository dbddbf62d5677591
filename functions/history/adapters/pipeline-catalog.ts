import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryPartition } from '#platform/dynamodb/query-partition';
import { keys, type Scope } from './history-keys';

export interface PipelineSummary extends Scope {
  pipeline: string;
  lastExecutionAt: string;
  /** When the reconciler found the pipeline deleted (absent while it exists). */
  deletedAt?: string;
}

/**
 * Every known pipeline with its account and region; entries made before the upgrade are the hub's own. Apart
 * from the history store so a function that only needs the list (the DORA packer) carries nothing else.
 */
export async function listCatalogPipelines(
  client: DynamoDBDocumentClient,
  tableName: string,
  hub: Scope,
): Promise<PipelineSummary[]> {
  const items = await queryPartition(client, tableName, keys.pipelineCatalog().pk);
  const byIdentity = new Map<string, PipelineSummary>();
  for (const item of items) {
    const summary: PipelineSummary = {
      account: String(item.account ?? hub.account),
      region: String(item.region ?? hub.region),
      pipeline: String(item.pipeline),
      lastExecutionAt: String(item.lastExecutionAt),
      ...(item.deletedAt ? { deletedAt: String(item.deletedAt) } : {}),
    };
    const identity = `${summary.account}#${summary.region}#${summary.pipeline}`;
    const known = byIdentity.get(identity);
    if (!known || known.lastExecutionAt < summary.lastExecutionAt) byIdentity.set(identity, summary);
  }
  return [...byIdentity.values()];
}
