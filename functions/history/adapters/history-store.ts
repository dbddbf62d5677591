import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ExecutionRecord } from '#history/domain/execution-record';
import { executionStartTime } from '#history/domain/merge-execution';
import type { RunKind, RunRecord } from '#history/domain/run-record';
import { decodeCursor, encodeCursor } from '#platform/dynamodb/cursor';
import { queryPartition } from '#platform/dynamodb/query-partition';
import { INDEX, stripStorageAttributes } from '#platform/dynamodb/table-layout';
import { BadRequestError } from '#platform/errors';
import { keys } from './history-keys';
import { type MergeResult, mergeItem } from './merge-item';

export interface HistoryStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Items expire (DynamoDB TTL on `expiresAt`) this many days after their last event. */
  retentionDays: number;
}

export interface ExecutionPage {
  items: ExecutionRecord[];
  nextCursor?: string;
}

export interface ExecutionQuery {
  limit?: number;
  cursor?: string;
  /** Inclusive bounds on the execution start time (ISO-8601). */
  from?: string;
  to?: string;
  status?: string;
}

export interface PipelineSummary {
  pipeline: string;
  lastExecutionAt: string;
  /** When the reconciler found the pipeline deleted (absent while it exists). */
  deletedAt?: string;
}

export type HistoryStore = ReturnType<typeof createHistoryStore>;

export function createHistoryStore({ client, tableName, retentionDays }: HistoryStoreOptions) {
  const expiresAt = (lastEventAt: string) =>
    Math.floor(Date.parse(lastEventAt) / 1000) + retentionDays * 86_400;

  /** One conditional update of a pipeline's catalog entry: false when its condition did not hold. */
  async function updateCatalogEntry(
    pipeline: string,
    update: { expression: string; condition: string; values: Record<string, unknown> },
  ): Promise<boolean> {
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.pipelineEntry(pipeline),
          UpdateExpression: update.expression,
          ConditionExpression: update.condition,
          ExpressionAttributeValues: update.values,
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      return false;
    }
  }

  async function notePipeline(pipeline: string, executionStart: string): Promise<void> {
    await updateCatalogEntry(pipeline, {
      // A new execution brings back a pipeline marked deleted (re-created under the same name).
      expression: 'SET pipeline = :pipeline, lastExecutionAt = :at, itemType = :type REMOVE deletedAt',
      condition: 'attribute_not_exists(lastExecutionAt) OR lastExecutionAt < :at',
      values: { ':pipeline': pipeline, ':at': executionStart, ':type': 'pipeline' },
    });
  }

  /**
   * Marks a catalog entry whose pipeline CodePipeline no longer knows (PipelineNotFoundException), so the
   * reconciler skips it from then on; its history stays readable. False when it is not in the catalog.
   */
  function markPipelineDeleted(pipeline: string, at: string): Promise<boolean> {
    return updateCatalogEntry(pipeline, {
      expression: 'SET deletedAt = :at',
      condition: 'attribute_exists(lastExecutionAt)',
      values: { ':at': at },
    });
  }

  return {
    markPipelineDeleted,

    /** Merges into one execution's item; the write that creates it first adds its pipeline to the catalog. */
    mergeExecution(
      pipeline: string,
      executionId: string,
      merge: (current: ExecutionRecord | undefined) => ExecutionRecord | Promise<ExecutionRecord>,
    ): Promise<MergeResult<ExecutionRecord>> {
      return mergeItem({
        client,
        tableName,
        key: keys.execution(pipeline, executionId),
        // The catalog entry is written *before* the write that creates the execution: if it fails, the
        // execution is not created either, so the retried event (or the next run) is again a creating write
        // and notes the pipeline again. Noting after the write lost the entry for good when only the note
        // failed (the retry saw `created: false`). Still one extra write per new execution, none per event.
        merge: async (current) => {
          const next = await merge(current);
          if (!current) await notePipeline(pipeline, executionStartTime(next));
          return next;
        },
        storageAttributes: (record) => {
          const start = executionStartTime(record);
          return {
            itemType: 'execution',
            gsi1pk: keys.executionsByTime(record.pipeline),
            gsi1sk: keys.executionTimeKey(start, record.executionId),
            gsi2pk: keys.executionsByMonth(start.slice(0, 7)),
            gsi2sk: `${start}#${record.pipeline}#${record.executionId}`,
            expiresAt: expiresAt(record.lastEventAt),
          };
        },
      });
    },

    mergeRun(
      kind: RunKind,
      runId: string,
      merge: (current: RunRecord | undefined) => RunRecord,
    ): Promise<MergeResult<RunRecord>> {
      return mergeItem({
        client,
        tableName,
        key: keys.run(kind, runId),
        merge,
        storageAttributes: (record) => ({
          itemType: kind,
          ...runOwnerIndex(record),
          expiresAt: expiresAt(record.lastEventAt),
        }),
      });
    },

    /** Adds the pipeline to the catalog, or moves its last-execution time forward (never back). */
    notePipeline,

    async getExecution(pipeline: string, executionId: string): Promise<ExecutionRecord | undefined> {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.execution(pipeline, executionId) }),
      );
      return Item ? stripStorageAttributes<ExecutionRecord>(Item) : undefined;
    },

    /** A deployment group's recorded deployments, newest first. */
    async listDeployments(application: string, deploymentGroup: string, limit = 10): Promise<RunRecord[]> {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: INDEX.byOwnerTime,
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.deploymentGroup(application, deploymentGroup) },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return (page.Items ?? []).map((item) => stripStorageAttributes<RunRecord>(item));
    },

    async getRun(kind: RunKind, runId: string): Promise<RunRecord | undefined> {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.run(kind, runId) }),
      );
      return Item ? stripStorageAttributes<RunRecord>(Item) : undefined;
    },

    async listPipelines(): Promise<PipelineSummary[]> {
      const items = await queryPartition(client, tableName, keys.pipelineCatalog().pk);
      return items.map((item) => ({
        pipeline: String(item.pipeline),
        lastExecutionAt: String(item.lastExecutionAt),
        ...(item.deletedAt ? { deletedAt: String(item.deletedAt) } : {}),
      }));
    },

    /** Every execution of a pipeline that started in [from, to], following pages to the end (DORA reads). */
    async executionsStartedBetween(pipeline: string, from: string, to: string): Promise<ExecutionRecord[]> {
      const executions: ExecutionRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.listExecutions(pipeline, { from, to, cursor, limit: 1000 });
        executions.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return executions;
    },

    /** A pipeline's executions, newest first, from GSI1: a Query, never a Scan. */
    async listExecutions(pipeline: string, query: ExecutionQuery = {}): Promise<ExecutionPage> {
      const names: Record<string, string> = { '#pk': 'gsi1pk' };
      const values: Record<string, unknown> = { ':pk': keys.executionsByTime(pipeline) };
      let keyCondition = '#pk = :pk';
      if (query.from || query.to) {
        // Sort keys are `<start>#<id>`: '#' < any id character and '~' > any, so these bound whole times.
        values[':from'] = query.from ?? '0000';
        values[':to'] = `${query.to ?? '9999'}~`;
        names['#sk'] = 'gsi1sk';
        keyCondition += ' AND #sk BETWEEN :from AND :to';
      }
      let filter: string | undefined;
      if (query.status) {
        names['#status'] = 'status';
        values[':status'] = query.status;
        filter = '#status.#status = :status';
      }
      const exclusiveStartKey = query.cursor
        ? decodeCursor(query.cursor, {
            keys: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
            partition: { gsi1pk: values[':pk'] as string },
          })
        : undefined;
      const page = await client
        .send(
          new QueryCommand({
            TableName: tableName,
            IndexName: INDEX.byOwnerTime,
            KeyConditionExpression: keyCondition,
            FilterExpression: filter,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ScanIndexForward: false,
            Limit: query.limit ?? 25,
            ExclusiveStartKey: exclusiveStartKey,
          }),
        )
        .catch((error: Error) => {
          // A cursor from the same pipeline but another time range is outside the query's bounds.
          if (exclusiveStartKey && error.name === 'ValidationException') {
            throw new BadRequestError('cursor is not one this API returned for this query');
          }
          throw error;
        });
      return {
        items: (page.Items ?? []).map((item) => stripStorageAttributes<ExecutionRecord>(item)),
        nextCursor: page.LastEvaluatedKey ? encodeCursor(page.LastEvaluatedKey) : undefined,
      };
    },
  };
}

function runOwnerIndex(record: RunRecord): Record<string, string> {
  const attributes = record.attributes ?? {};
  const sortKey = `${record.firstEventAt}#${record.runId}`;
  if (record.kind === 'deployment' && attributes.application && attributes.deploymentGroup) {
    return {
      gsi1pk: keys.deploymentGroup(attributes.application, attributes.deploymentGroup),
      gsi1sk: sortKey,
    };
  }
  if (record.kind === 'build' && attributes.project) {
    return { gsi1pk: keys.buildProject(attributes.project), gsi1sk: sortKey };
  }
  return {};
}
