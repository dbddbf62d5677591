import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryPartition } from '#platform/dynamodb/query-partition';

export interface ReconcileCheckpoint {
  pipeline: string;
  /** Low-water mark: executions that started before it are settled and match the API. */
  checkpoint: string;
  lastRunAt: string;
  lastRepaired: number;
  /** Records repaired for this pipeline since the checkpoint item was created (the "records repaired" figure). */
  repairedTotal: number;
}

export const reconcileKeys = {
  checkpoint: (pipeline: string) => ({ pk: 'RECONCILE', sk: `PIPELINE#${pipeline}` }),
};

export type CheckpointStore = ReturnType<typeof createCheckpointStore>;

export function createCheckpointStore({
  client,
  tableName,
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
}) {
  return {
    async get(pipeline: string): Promise<ReconcileCheckpoint | undefined> {
      const { Item } = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: reconcileKeys.checkpoint(pipeline),
          ConsistentRead: true,
        }),
      );
      return Item ? toCheckpoint(Item) : undefined;
    },

    /** Every pipeline's checkpoint (one Query on the `RECONCILE` partition): the read API's repair figures. */
    async list(): Promise<ReconcileCheckpoint[]> {
      return (await queryPartition(client, tableName, reconcileKeys.checkpoint('').pk)).map(toCheckpoint);
    },

    /**
     * Moves the checkpoint forward (or keeps it), never back: a slower concurrent run that read older pages
     * must not make the next run re-read them all. Returns false when another run had already moved further.
     */
    async advance(pipeline: string, checkpoint: string, runAt: string, repaired: number): Promise<boolean> {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: reconcileKeys.checkpoint(pipeline),
            UpdateExpression:
              'SET pipeline = :pipeline, checkpoint = :checkpoint, lastRunAt = :runAt, lastRepaired = :repaired, itemType = :type ADD repairedTotal :repaired',
            ConditionExpression: 'attribute_not_exists(checkpoint) OR checkpoint <= :checkpoint',
            ExpressionAttributeValues: {
              ':pipeline': pipeline,
              ':checkpoint': checkpoint,
              ':runAt': runAt,
              ':repaired': repaired,
              ':type': 'reconcile-checkpoint',
            },
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        return false;
      }
    },
  };
}

function toCheckpoint(item: Record<string, unknown>): ReconcileCheckpoint {
  return {
    pipeline: String(item.pipeline),
    checkpoint: String(item.checkpoint),
    lastRunAt: String(item.lastRunAt),
    lastRepaired: Number(item.lastRepaired ?? 0),
    repairedTotal: Number(item.repairedTotal ?? 0),
  };
}
