import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryPartition } from '#platform/dynamodb/query-partition';
import { withoutUndefined } from '#platform/without-undefined';
import type { ScopedPipeline } from './history-keys';

export interface ReconcileCheckpoint {
  /** Absent on checkpoints written before they were keyed by account and region. */
  account?: string;
  region?: string;
  pipeline: string;
  /** Low-water mark: executions that started before it are settled and match the API. */
  checkpoint: string;
  /**
   * Executions started in [reviewedFrom, reviewedThrough) were listed, settled and given their one settled
   * look by a run whose listing the page limit cut short (so `checkpoint` could not move past them).
   */
  reviewedFrom?: string;
  reviewedThrough?: string;
  /** The stages and actions successful standard executions of each pipeline version ran (missing-parts). */
  shapes?: Record<string, string[]>;
  lastRunAt: string;
  lastRepaired: number;
  /** Records repaired for this pipeline since the checkpoint item was created (the "records repaired" figure). */
  repairedTotal: number;
}

export interface CheckpointAdvance {
  checkpoint: string;
  reviewedFrom?: string;
  reviewedThrough?: string;
  shapes?: Record<string, string[]>;
  runAt: string;
  repaired: number;
}

export const reconcileKeys = {
  checkpoint: ({ account, region, pipeline }: ScopedPipeline) => ({
    pk: 'RECONCILE',
    sk: `PIPELINE#${account}#${region}#${pipeline}`,
  }),
  /** Before checkpoints were keyed by account and region: the hub's own pipelines, by name alone. */
  legacyCheckpoint: (pipeline: string) => ({ pk: 'RECONCILE', sk: `PIPELINE#${pipeline}` }),
};

export type CheckpointStore = ReturnType<typeof createCheckpointStore>;

export function createCheckpointStore({
  client,
  tableName,
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
}) {
  const read = async (key: Record<string, string>) => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    );
    return Item ? toCheckpoint(Item) : undefined;
  };

  return {
    /**
     * The pipeline's checkpoint. `readLegacy` (the hub's own pipelines): a checkpoint written before the key
     * held account and region is read until the first run writes the new one, so an upgrade neither re-reads
     * the initial lookback nor skips a window the old checkpoint had not yet passed.
     */
    async get(ref: ScopedPipeline, { readLegacy = false } = {}): Promise<ReconcileCheckpoint | undefined> {
      const current = await read(reconcileKeys.checkpoint(ref));
      if (current || !readLegacy) return current;
      const legacy = await read(reconcileKeys.legacyCheckpoint(ref.pipeline));
      return legacy && { ...legacy, reviewedFrom: undefined, reviewedThrough: undefined };
    },

    /** Every pipeline's checkpoint (one Query on the `RECONCILE` partition): the read API's repair figures. */
    async list(): Promise<ReconcileCheckpoint[]> {
      return (await queryPartition(client, tableName, 'RECONCILE')).map(toCheckpoint);
    },

    /**
     * Moves the checkpoint forward (or keeps it), never back: a slower concurrent run that read older pages
     * must not make the next run re-read them all. Returns false when another run had already moved further.
     */
    async advance(ref: ScopedPipeline, next: CheckpointAdvance): Promise<boolean> {
      const reviewed =
        next.reviewedFrom && next.reviewedThrough
          ? 'reviewedFrom = :reviewedFrom, reviewedThrough = :reviewedThrough'
          : undefined;
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: reconcileKeys.checkpoint(ref),
            UpdateExpression: `SET account = :account, #region = :region, pipeline = :pipeline, checkpoint = :checkpoint, lastRunAt = :runAt, lastRepaired = :repaired, itemType = :type${reviewed ? `, ${reviewed}` : ''}${next.shapes ? ', shapes = :shapes' : ''} ADD repairedTotal :repaired${reviewed ? '' : ' REMOVE reviewedFrom, reviewedThrough'}`,
            ConditionExpression: 'attribute_not_exists(checkpoint) OR checkpoint <= :checkpoint',
            ExpressionAttributeNames: { '#region': 'region' },
            ExpressionAttributeValues: {
              ':account': ref.account,
              ':region': ref.region,
              ':pipeline': ref.pipeline,
              ':checkpoint': next.checkpoint,
              ':runAt': next.runAt,
              ':repaired': next.repaired,
              ':type': 'reconcile-checkpoint',
              ...(next.shapes ? { ':shapes': next.shapes } : {}),
              ...(reviewed
                ? { ':reviewedFrom': next.reviewedFrom, ':reviewedThrough': next.reviewedThrough }
                : {}),
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
  const optional = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return withoutUndefined({
    account: optional(item.account),
    region: optional(item.region),
    pipeline: String(item.pipeline),
    checkpoint: String(item.checkpoint),
    reviewedFrom: optional(item.reviewedFrom),
    reviewedThrough: optional(item.reviewedThrough),
    shapes:
      item.shapes && typeof item.shapes === 'object' ? (item.shapes as Record<string, string[]>) : undefined,
    lastRunAt: String(item.lastRunAt),
    lastRepaired: Number(item.lastRepaired ?? 0),
    repairedTotal: Number(item.repairedTotal ?? 0),
  });
}
