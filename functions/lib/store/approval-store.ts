import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApprovalView } from '#lib/approvals/approval-messages';
import type { ApprovalState, ApprovalStatus } from '#lib/approvals/decide-approval';
import { INDEX, stripStorageAttributes } from '#lib/store/keys';
import { queryAllPages } from '#lib/store/query-partition';

/** One approval request. The token stays here: Slack only ever sees `id`. */
export interface ApprovalRecord extends ApprovalView, ApprovalState {
  token: string;
  channel: string;
  /** The Slack message's `ts`, once posted. */
  messageTs?: string;
  createdAt: string;
  remindedAt?: string;
  /** What CodePipeline answered to PutApprovalResult, or why the approval closed without one. */
  closedReason?: string;
  /** Optimistic-concurrency counter: every decision is a conditional write on it. */
  rev: number;
}

const approvalKey = (id: string) => ({ pk: `APPROVAL#${id}`, sk: 'APPROVAL' });
/** GSI1 partition of one approval action's requests, newest last: found by outside-Slack completion events. */
export const approvalActionKey = (pipeline: string, stage: string, action: string) =>
  `APPROVALS#${pipeline}#${stage}#${action}`;

const APPROVALS_BY_DEADLINE = 'APPROVALS#BY_DEADLINE';

// Kept 30 days past the approval's own expiry, for the audit of who decided.
const RETENTION_AFTER_EXPIRY_SECONDS = 30 * 86_400;

export type ApprovalStore = ReturnType<typeof createApprovalStore>;

export function createApprovalStore({
  client,
  tableName,
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
}) {
  return {
    async create(record: Omit<ApprovalRecord, 'rev'>): Promise<void> {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...record,
            ...approvalKey(record.id),
            rev: 0,
            itemType: 'approval',
            gsi1pk: approvalActionKey(record.pipeline, record.stage, record.action),
            gsi1sk: `${record.createdAt}#${record.id}`,
            // Every approval by deadline (sparse GSI2 partition): the reminder/expiry schedule's work list.
            gsi2pk: APPROVALS_BY_DEADLINE,
            gsi2sk: `${new Date(record.deadline).toISOString()}#${record.id}`,
            expiresAt: Math.floor(record.deadline / 1000) + RETENTION_AFTER_EXPIRY_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async get(id: string): Promise<ApprovalRecord | undefined> {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: approvalKey(id), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      return { ...stripStorageAttributes<ApprovalRecord>(Item), rev: Item.rev as number };
    },

    async setMessage(id: string, channel: string, messageTs: string): Promise<void> {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: approvalKey(id),
          UpdateExpression: 'SET channel = :channel, messageTs = :ts',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':channel': channel, ':ts': messageTs },
        }),
      );
    },

    /**
     * Writes the next decision state only if nobody changed the approval since it was read at `rev` and it
     * is still PENDING. Returns false when another click won: the caller re-reads and decides again. This
     * is what makes a double click, two approvers at once or a Slack retry produce one PutApprovalResult.
     */
    async applyDecision(
      id: string,
      rev: number,
      next: ApprovalState,
      from: ApprovalStatus = 'PENDING',
    ): Promise<boolean> {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: approvalKey(id),
            UpdateExpression: 'SET #status = :next, decisions = :decisions, #rev = :nextRev',
            ConditionExpression: '#status = :pending AND #rev = :rev',
            ExpressionAttributeNames: { '#status': 'status', '#rev': 'rev' },
            ExpressionAttributeValues: {
              ':next': next.status,
              ':decisions': next.decisions,
              ':pending': from,
              ':rev': rev,
              ':nextRev': rev + 1,
            },
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },

    /** Records how the approval ended (a CodePipeline answer, an outside completion, expiry). */
    async close(
      id: string,
      status: ApprovalStatus,
      reason: string,
      onlyFrom: readonly ApprovalStatus[],
    ): Promise<boolean> {
      const allowed = Object.fromEntries(onlyFrom.map((s, i) => [`:from${i}`, s]));
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: approvalKey(id),
            UpdateExpression: 'SET #status = :status, closedReason = :reason, #rev = #rev + :one',
            ConditionExpression: `#status IN (${Object.keys(allowed).join(', ')})`,
            ExpressionAttributeNames: { '#status': 'status', '#rev': 'rev' },
            ExpressionAttributeValues: { ':status': status, ':reason': reason, ':one': 1, ...allowed },
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },

    /** PENDING approvals whose deadline lies in [from, to] (GSI2), earliest first. */
    async pendingByDeadline(from: Date, to: Date): Promise<ApprovalRecord[]> {
      const items = await queryAllPages(client, {
        TableName: tableName,
        IndexName: INDEX.byMonth,
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
        FilterExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':pk': APPROVALS_BY_DEADLINE,
          ':from': from.toISOString(),
          ':to': `${to.toISOString()}#~`,
          ':pending': 'PENDING',
        },
      });
      return items.map((item) => ({
        ...stripStorageAttributes<ApprovalRecord>(item),
        rev: item.rev as number,
      }));
    },

    /** Marks the reminder sent; false when another run (or a decision) got there first. */
    async markReminded(id: string, at: string): Promise<boolean> {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: approvalKey(id),
            UpdateExpression: 'SET remindedAt = :at',
            ConditionExpression: 'attribute_not_exists(remindedAt) AND #status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':at': at, ':pending': 'PENDING' },
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },

    /** Requests of one approval action created in [from, to] (GSI1): an execution's approvals. */
    async forActionBetween(
      pipeline: string,
      stage: string,
      action: string,
      from: string,
      to: string,
    ): Promise<ApprovalRecord[]> {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: INDEX.byOwnerTime,
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': approvalActionKey(pipeline, stage, action),
            ':from': from,
            ':to': `${to}#~`,
          },
        }),
      );
      return Items.map((item) => ({
        ...stripStorageAttributes<ApprovalRecord>(item),
        rev: item.rev as number,
      }));
    },

    /** The newest approval requests of one approval action (GSI1, newest first). */
    async latestForAction(
      pipeline: string,
      stage: string,
      action: string,
      limit = 5,
    ): Promise<ApprovalRecord[]> {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: INDEX.byOwnerTime,
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': approvalActionKey(pipeline, stage, action) },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return Items.map((item) => ({
        ...stripStorageAttributes<ApprovalRecord>(item),
        rev: item.rev as number,
      }));
    },
  };
}
