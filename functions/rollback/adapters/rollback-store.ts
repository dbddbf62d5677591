import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryAllPages } from '#platform/dynamodb/query-partition';
import { INDEX, stripStorageAttributes } from '#platform/dynamodb/table-layout';
import type { IncidentStep, StepClaim, StoredIncident } from '#rollback/domain/incident-progress';
import type { IncidentKey, RollbackRecord } from '#rollback/domain/rollback-record';
import type { ActOutcome, CooldownClaim, RollbackStore } from '#rollback/ports';

export type { RollbackOutcome, RollbackRecord } from '#rollback/domain/rollback-record';
export type { RollbackStore } from '#rollback/ports';

/**
 * Rollback items (README "Data model"): one per (target, alarm incident) and one cooldown item per target.
 * Together they make duplicates, flapping alarms and several alarms on one target end in at most one rollback
 * per target per cooldown, and let any delivery of an incident finish what an earlier one started.
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

const incidentKey = (key: IncidentKey) =>
  rollbackKeys.incident(key.targetId, key.alarmName, key.alarmStateTime);

function incidentTimeIndex(record: IncidentKey) {
  return {
    gsi2pk: rollbackKeys.incidentsByMonth(record.alarmStateTime.slice(0, 7)),
    gsi2sk: `${record.alarmStateTime}#${record.targetId}#${record.alarmName}`,
  };
}

/** Sorts before any ISO time: a step lease set to it has expired for everyone. */
const EXPIRED = '1970-01-01T00:00:00.000Z';

/** Which attribute counts the invocations that claimed a step, and when it was first claimed. */
const STEP_ATTRIBUTES = {
  act: { attempts: 'actAttempts', first: 'firstActAt' },
  announce: { attempts: 'announceAttempts', first: 'firstAnnounceAt' },
} as const;

/** Bookkeeping of the claims: not part of the decision the read API shows. */
const CLAIM_ATTRIBUTES = [
  'decidedBy',
  'leaseBy',
  'leaseUntil',
  'actAttempts',
  'firstActAt',
  'announceAttempts',
  'firstAnnounceAt',
];

function publicRecord(item: Record<string, unknown>): RollbackRecord {
  const record = stripStorageAttributes<Record<string, unknown>>(item);
  for (const attribute of CLAIM_ATTRIBUTES) delete record[attribute];
  return record as unknown as RollbackRecord;
}

function storedIncident(item: Record<string, unknown>): StoredIncident {
  const record = stripStorageAttributes<StoredIncident & { actAttempts?: Set<string> }>(item);
  // Items written before incidents were driven step by step have no progress: they are finished.
  return {
    ...record,
    progress: (item.progress as IncidentStep | undefined) ?? 'done',
    actAttempts: [...((item.actAttempts as Set<string> | undefined) ?? [])],
    announced: (item.announced as Record<string, string> | undefined) ?? {},
  };
}

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

export function createRollbackStore(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  retentionDays: number;
}): RollbackStore {
  const { client, tableName, retentionDays } = options;
  const expiresAt = (at: string) => Math.floor(Date.parse(at) / 1000) + retentionDays * 86_400;

  /** An update made only by the holder of the incident's current step (an SDK retry holds it too). */
  async function asHolder(
    key: IncidentKey,
    token: string,
    update: string,
    values: Record<string, unknown>,
    names?: Record<string, string>,
  ) {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: incidentKey(key),
        UpdateExpression: update,
        ConditionExpression: 'leaseBy = :me',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ':me': token },
      }),
    );
  }

  return {
    async findIncident(key) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: incidentKey(key), ConsistentRead: true }),
      );
      return Item ? storedIncident(Item) : undefined;
    },

    async noteDuplicate(key) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: incidentKey(key),
          UpdateExpression: 'ADD duplicates :one',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
    },

    async recordDecision(record, progress, decidedBy) {
      // Every attribute only if absent: the first decision of an incident stands, and writing it again (an SDK
      // retry, a concurrent delivery) changes nothing and answers what is recorded.
      const attributes: Record<string, unknown> = {
        ...incidentTimeIndex(record),
        itemType: 'rollback',
        ...record,
        expiresAt: expiresAt(record.decidedAt),
        progress,
        decidedBy,
        announced: {},
      };
      const entries = Object.entries(attributes).filter(([, value]) => value !== undefined);
      const { Attributes } = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: incidentKey(record),
          UpdateExpression: `SET ${entries.map((_, i) => `#a${i} = if_not_exists(#a${i}, :a${i})`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#a${i}`, name])),
          ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:a${i}`, value])),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return storedIncident(Attributes ?? {});
    },

    async claimCooldown(targetId, incident, now, until): Promise<CooldownClaim> {
      const key = rollbackKeys.cooldown(targetId);
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression:
              'SET #until = :until, incident = :incident, itemType = :type, expiresAt = :expires',
            // The same incident's earlier claim is its own (an SDK retry whose first answer was lost, a later
            // delivery resuming it), not another incident's.
            ConditionExpression: 'attribute_not_exists(#until) OR #until <= :now OR incident = :incident',
            ExpressionAttributeNames: { '#until': 'until' },
            ExpressionAttributeValues: {
              ':until': until,
              ':now': now,
              ':incident': incident,
              ':type': 'rollback-cooldown',
              ':expires': expiresAt(until),
            },
          }),
        );
        return { claimed: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
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

    async releaseCooldown(targetId, incident) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: rollbackKeys.cooldown(targetId),
            UpdateExpression: 'SET #until = :expired',
            ConditionExpression: 'incident = :incident',
            ExpressionAttributeNames: { '#until': 'until' },
            ExpressionAttributeValues: { ':expired': EXPIRED, ':incident': incident },
          }),
        );
      } catch (error) {
        // Another incident holds it (ours expired and was taken): nothing of ours to give back.
        if (!isConditionFailure(error)) throw error;
      }
    },

    async claimStep(key, step, token, now, leaseUntil): Promise<StepClaim> {
      const { attempts, first } = STEP_ATTRIBUTES[step];
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: incidentKey(key),
            // A set of tokens, not a counter: an SDK retry of this write adds nothing.
            UpdateExpression:
              'SET leaseBy = :me, leaseUntil = :until, #first = if_not_exists(#first, :now) ADD #attempts :mine',
            ConditionExpression:
              'progress = :step AND (attribute_not_exists(leaseBy) OR leaseBy = :me OR leaseUntil <= :now)',
            ExpressionAttributeNames: { '#first': first, '#attempts': attempts },
            ExpressionAttributeValues: {
              ':me': token,
              ':until': leaseUntil,
              ':now': now,
              ':step': step,
              ':mine': new Set([token]),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        const claimedBy = (Attributes?.[attempts] as Set<string> | undefined) ?? new Set();
        return {
          claimed: true,
          earlierAttempts: [...claimedBy].filter((other) => other !== token).length,
          firstClaimedAt: (Attributes?.[first] as string | undefined) ?? now,
        };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return { claimed: false };
      }
    },

    async recordOutcome(key, token, { outcome, message, result }: ActOutcome, next) {
      // The lease ends (for everyone) but stays ours, so an SDK retry of this write still passes the condition.
      await asHolder(
        key,
        token,
        'SET outcome = :outcome, outcomeMessage = :message, #result = :result, progress = :next, leaseUntil = :expired',
        {
          ':outcome': outcome,
          ':message': message,
          ':result': result ?? {},
          ':next': next,
          ':expired': EXPIRED,
        },
        { '#result': 'result' },
      );
    },

    async recordAnnounced(key, token, channel, answer) {
      await asHolder(
        key,
        token,
        'SET announced.#channel = :answer',
        { ':answer': answer },
        { '#channel': channel },
      );
    },

    async finishIncident(key, token) {
      await asHolder(key, token, 'SET progress = :done, leaseUntil = :expired', {
        ':done': 'done',
        ':expired': EXPIRED,
      });
    },

    async listIncidents(targetId) {
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
        for (const item of page.Items ?? []) items.push(publicRecord(item));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return items;
    },

    async incidentsBetween(from, to) {
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
      return months.flat().map(publicRecord);
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
