import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApprovalState, ApprovalStatus } from '#approvals/domain/decide-approval';
import { queryAllPages } from '#platform/dynamodb/query-partition';
import { INDEX, stripStorageAttributes } from '#platform/dynamodb/table-layout';
import type { ApprovalView } from './approval-messages';

/** One approval request. The token stays here: Slack only ever sees `id`. */
export interface ApprovalRecord extends ApprovalView, ApprovalState {
  token: string;
  channel: string;
  /** The Slack message's `ts`, once posted. */
  messageTs?: string;
  createdAt: string;
  remindedAt?: string;
  /** When the decision that completed the approval was recorded (APPROVED/REJECTED), before CodePipeline knew. */
  decidedAt?: string;
  /** When CodePipeline accepted the decision. A decided approval without it is unconfirmed (see below). */
  resultSentAt?: string;
  /** When the reminders schedule last sent an unconfirmed decision to CodePipeline again. */
  redrivenAt?: string;
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
/**
 * GSI2 partition of decided approvals CodePipeline has not confirmed yet, by when they were decided (or
 * last sent again). An approval moves here when its decision is recorded and back to the deadline
 * partition once CodePipeline answered, so the partition holds only the few in flight or stuck (a Lambda
 * that died between the two writes): the reminders schedule queries it to send them again.
 */
const APPROVALS_UNCONFIRMED = 'APPROVALS#UNCONFIRMED';

const byDeadline = (record: Pick<ApprovalRecord, 'id' | 'deadline'>) => ({
  ':deadlinePk': APPROVALS_BY_DEADLINE,
  ':deadlineSk': `${new Date(record.deadline).toISOString()}#${record.id}`,
});
const BACK_TO_DEADLINE = 'gsi2pk = :deadlinePk, gsi2sk = :deadlineSk';

/** True when the write happened, false when its condition failed (somebody else changed the item first). */
async function conditionalWrite(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

const toRecord = (item: Record<string, unknown>): ApprovalRecord => ({
  ...stripStorageAttributes<ApprovalRecord>(item),
  rev: item.rev as number,
});

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
    /** False when an approval with this id exists already (a redelivered request). */
    async create(record: Omit<ApprovalRecord, 'rev'>): Promise<boolean> {
      return conditionalWrite(() =>
        client.send(
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
              gsi2pk: byDeadline(record)[':deadlinePk'],
              gsi2sk: byDeadline(record)[':deadlineSk'],
              expiresAt: Math.floor(record.deadline / 1000) + RETENTION_AFTER_EXPIRY_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },

    async get(id: string): Promise<ApprovalRecord | undefined> {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: approvalKey(id), ConsistentRead: true }),
      );
      return Item ? toRecord(Item) : undefined;
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
     * A completing decision (APPROVED/REJECTED) also makes the approval unconfirmed, stamped with the
     * decision's time, until `confirmResult` or `close`.
     */
    async applyDecision(id: string, rev: number, next: ApprovalState): Promise<boolean> {
      const decidedAt = next.status === 'PENDING' ? undefined : next.decisions.at(-1)?.at;
      return conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: approvalKey(id),
            UpdateExpression: `SET #status = :next, decisions = :decisions, #rev = :nextRev${
              decidedAt ? ', decidedAt = :decidedAt, gsi2pk = :unconfirmedPk, gsi2sk = :unconfirmedSk' : ''
            }`,
            ConditionExpression: '#status = :pending AND #rev = :rev',
            ExpressionAttributeNames: { '#status': 'status', '#rev': 'rev' },
            ExpressionAttributeValues: {
              ':next': next.status,
              ':decisions': next.decisions,
              ':pending': 'PENDING',
              ':rev': rev,
              ':nextRev': rev + 1,
              ...(decidedAt
                ? {
                    ':decidedAt': decidedAt,
                    ':unconfirmedPk': APPROVALS_UNCONFIRMED,
                    ':unconfirmedSk': `${decidedAt}#${id}`,
                  }
                : {}),
            },
          }),
        ),
      );
    },

    /**
     * Undoes the completing decision of `record` (as written by applyDecision, at `record.rev`) when
     * CodePipeline certainly did not take it, so the approver can click again.
     */
    async reopen(record: ApprovalRecord): Promise<boolean> {
      return conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: approvalKey(record.id),
            UpdateExpression: `SET #status = :pending, decisions = :decisions, #rev = :nextRev, ${BACK_TO_DEADLINE} REMOVE decidedAt`,
            ConditionExpression: '#status = :decided AND #rev = :rev AND attribute_not_exists(resultSentAt)',
            ExpressionAttributeNames: { '#status': 'status', '#rev': 'rev' },
            ExpressionAttributeValues: {
              ':pending': 'PENDING',
              ':decisions': record.decisions.slice(0, -1),
              ':decided': record.status,
              ':rev': record.rev,
              ':nextRev': record.rev + 1,
              ...byDeadline(record),
            },
          }),
        ),
      );
    },

    /** Records that CodePipeline accepted the decision; false if already recorded or closed meanwhile. */
    async confirmResult(record: ApprovalRecord, at: string): Promise<boolean> {
      return conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: approvalKey(record.id),
            UpdateExpression: `SET resultSentAt = :at, #rev = #rev + :one, ${BACK_TO_DEADLINE}`,
            ConditionExpression: '#status = :decided AND attribute_not_exists(resultSentAt)',
            ExpressionAttributeNames: { '#status': 'status', '#rev': 'rev' },
            ExpressionAttributeValues: {
              ':at': at,
              ':one': 1,
              ':decided': record.status,
              ...byDeadline(record),
            },
          }),
        ),
      );
    },

    /** Records how the approval ended (a CodePipeline answer, an outside completion, expiry). */
    async close(
      record: Pick<ApprovalRecord, 'id' | 'deadline'>,
      status: ApprovalStatus,
      reason: string,
      onlyFrom: readonly ApprovalStatus[],
    ): Promise<boolean> {
      const allowed = Object.fromEntries(onlyFrom.map((s, i) => [`:from${i}`, s]));
      return conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: approvalKey(record.id),
            UpdateExpression: `SET #status = :status, closedReason = :reason, #rev = #rev + :one, ${BACK_TO_DEADLINE}`,
            // Never once CodePipeline's acceptance is recorded: a late resend or end event cannot undo it.
            ConditionExpression: `#status IN (${Object.keys(allowed).join(', ')}) AND attribute_not_exists(resultSentAt)`,
            ExpressionAttributeNames: { '#status': 'status', '#rev': 'rev' },
            ExpressionAttributeValues: {
              ':status': status,
              ':reason': reason,
              ':one': 1,
              ...allowed,
              ...byDeadline(record),
            },
          }),
        ),
      );
    },

    /** Decided approvals CodePipeline has not confirmed, decided (or last sent again) before `cutoff`. */
    async unconfirmedSince(cutoff: Date): Promise<ApprovalRecord[]> {
      const items = await queryAllPages(client, {
        TableName: tableName,
        IndexName: INDEX.byMonth,
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :cutoff',
        ExpressionAttributeValues: { ':pk': APPROVALS_UNCONFIRMED, ':cutoff': cutoff.toISOString() },
      });
      return items.map(toRecord);
    },

    /**
     * Claims an unconfirmed approval (read at `record.rev`) for sending it again, and restarts its clock:
     * of two overlapping schedule runs only one sends, and a run that dies mid-call is retried later.
     */
    async claimRedrive(record: ApprovalRecord, at: string): Promise<boolean> {
      return conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: approvalKey(record.id),
            UpdateExpression: 'SET redrivenAt = :at, gsi2sk = :sk, #rev = :nextRev',
            ConditionExpression: '#rev = :rev AND gsi2pk = :unconfirmedPk',
            ExpressionAttributeNames: { '#rev': 'rev' },
            ExpressionAttributeValues: {
              ':at': at,
              ':sk': `${at}#${record.id}`,
              ':rev': record.rev,
              ':nextRev': record.rev + 1,
              ':unconfirmedPk': APPROVALS_UNCONFIRMED,
            },
          }),
        ),
      );
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
      return items.map(toRecord);
    },

    /** Marks the reminder sent; false when another run (or a decision) got there first. */
    async markReminded(id: string, at: string): Promise<boolean> {
      return conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: approvalKey(id),
            UpdateExpression: 'SET remindedAt = :at',
            ConditionExpression: 'attribute_not_exists(remindedAt) AND #status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':at': at, ':pending': 'PENDING' },
          }),
        ),
      );
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
      return Items.map(toRecord);
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
      return Items.map(toRecord);
    },
  };
}
