import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { INDEX, keys, stripStorageAttributes } from '#history/adapters/history-keys';
import type { RunRecord } from '#history/domain/run-record';
import { queryAllPages } from '#platform/dynamodb/query-partition';

/**
 * Rollback items (README "Data model"): one per (target, alarm incident), written once with a conditional
 * put, and one cooldown item per target. Together they make duplicates, flapping alarms and several alarms
 * on one target end in at most one rollback per target per cooldown.
 */
export const rollbackKeys = {
  incident: (targetId: string, alarmName: string, stateTime: string) => ({
    pk: `ROLLBACK#${targetId}`,
    sk: `INCIDENT#${alarmName}#${stateTime}`,
  }),
  cooldown: (targetId: string) => ({ pk: `ROLLBACK#${targetId}`, sk: 'COOLDOWN' }),
  /** GSI2 partition of every target's incidents by the month the alarm fired (read API, DORA metrics). */
  incidentsByMonth: (month: string) => `INCIDENTS#${month}`,
};

function incidentTimeIndex(record: RollbackRecord) {
  return {
    gsi2pk: rollbackKeys.incidentsByMonth(record.alarmStateTime.slice(0, 7)),
    gsi2sk: `${record.alarmStateTime}#${record.targetId}#${record.alarmName}`,
  };
}

export type RollbackOutcome =
  /** Decided `none`: nothing to do, with the reason. */
  | 'skipped'
  /** An action was decided and is about to be taken (the item stays so if the function dies mid-call). */
  | 'pending'
  | 'succeeded'
  | 'failed'
  /** Observe mode: decided and announced, nothing called. */
  | 'observed'
  /** Another incident already rolled this target back within its cooldown. */
  | 'suppressed'
  /** Only in items written before redeploys were automated: a redeploy decided and left to a human. */
  | 'not-automated';

export interface RollbackRecord {
  targetId: string;
  alarmName: string;
  alarmArn?: string;
  alarmStateTime: string;
  decidedAt: string;
  action: string;
  reason: string;
  enforce: boolean;
  outcome: RollbackOutcome;
  outcomeMessage?: string;
  /** Links to the history: the deployment or execution the decision is about, and what it rolls back to. */
  deploymentId?: string;
  executionId?: string;
  rollbackTo?: string;
  /** What the AWS call returned (new rollback execution id, StopDeployment status, redeploy's new deploymentId). */
  result?: Record<string, string>;
  /** Further deliveries of the same incident (EventBridge duplicates, Lambda retries). */
  duplicates?: number;
}

export type RollbackStore = ReturnType<typeof createRollbackStore>;

export function createRollbackStore(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  retentionDays: number;
}) {
  const { client, tableName, retentionDays } = options;
  const expiresAt = (at: string) => Math.floor(Date.parse(at) / 1000) + retentionDays * 86_400;

  return {
    /** Writes the incident's decision if this incident was never seen for this target. False: a duplicate. */
    async claimIncident(record: RollbackRecord): Promise<boolean> {
      const key = rollbackKeys.incident(record.targetId, record.alarmName, record.alarmStateTime);
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...key,
              ...incidentTimeIndex(record),
              itemType: 'rollback',
              ...record,
              expiresAt: expiresAt(record.decidedAt),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'ADD duplicates :one',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
      return false;
    },

    /** True (and counted) when this incident was already decided for this target. */
    async noteDuplicate(targetId: string, alarmName: string, stateTime: string): Promise<boolean> {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: rollbackKeys.incident(targetId, alarmName, stateTime),
            UpdateExpression: 'ADD duplicates :one',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':one': 1 },
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        return false;
      }
    },

    /**
     * Takes the target's cooldown until `until` unless another incident holds it past `now`. Returns the
     * holder when refused.
     */
    async claimCooldown(
      targetId: string,
      incidentSk: string,
      now: string,
      until: string,
    ): Promise<{ claimed: true } | { claimed: false; heldBy?: string; until?: string }> {
      const key = rollbackKeys.cooldown(targetId);
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression:
              'SET #until = :until, incident = :incident, itemType = :type, expiresAt = :expires',
            ConditionExpression: 'attribute_not_exists(#until) OR #until <= :now',
            ExpressionAttributeNames: { '#until': 'until' },
            ExpressionAttributeValues: {
              ':until': until,
              ':now': now,
              ':incident': incidentSk,
              ':type': 'rollback-cooldown',
              ':expires': expiresAt(until),
            },
          }),
        );
        return { claimed: true };
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
      );
      return {
        claimed: false,
        heldBy: Item?.incident as string | undefined,
        until: Item?.until as string | undefined,
      };
    },

    async recordOutcome(
      record: Pick<RollbackRecord, 'targetId' | 'alarmName' | 'alarmStateTime'>,
      outcome: RollbackOutcome,
      outcomeMessage: string,
      result?: Record<string, string>,
    ): Promise<void> {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: rollbackKeys.incident(record.targetId, record.alarmName, record.alarmStateTime),
          UpdateExpression: 'SET outcome = :outcome, outcomeMessage = :message, #result = :result',
          ExpressionAttributeNames: { '#result': 'result' },
          ExpressionAttributeValues: {
            ':outcome': outcome,
            ':message': outcomeMessage,
            ':result': result ?? {},
          },
        }),
      );
    },

    /** Every decision recorded for a target, oldest incident first by alarm name then time. */
    async listIncidents(targetId: string): Promise<RollbackRecord[]> {
      const items: RollbackRecord[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :incident)',
            ExpressionAttributeValues: { ':pk': `ROLLBACK#${targetId}`, ':incident': 'INCIDENT#' },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) items.push(stripStorageAttributes<RollbackRecord>(item));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return items;
    },

    /** Every target's incidents whose alarm fired in [from, to], oldest first: one GSI2 Query per month. */
    async incidentsBetween(from: string, to: string): Promise<RollbackRecord[]> {
      const months = await Promise.all(
        monthsBetween(from, to).map((month) =>
          queryAllPages(client, {
            TableName: tableName,
            IndexName: INDEX.byMonth,
            KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': rollbackKeys.incidentsByMonth(month),
              ':from': from,
              ':to': `${to}~`,
            },
          }),
        ),
      );
      return months.flat().map((item) => stripStorageAttributes<RollbackRecord>(item));
    },

    /** A deployment group's recorded deployments, newest first (GSI1, sorted by first event time). */
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
  };
}

/** `YYYY-MM` of every month from `from` to `to`, inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  const cursor = new Date(`${from.slice(0, 7)}-01T00:00:00.000Z`);
  while (cursor.toISOString().slice(0, 7) <= to.slice(0, 7)) {
    months.push(cursor.toISOString().slice(0, 7));
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return months;
}
