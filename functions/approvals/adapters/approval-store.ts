import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApprovalEnding, ApprovalRecord } from '#approvals/domain/approval-record';
import type { ApprovalState, ApprovalStatus } from '#approvals/domain/decide-approval';
import type { ApprovalActionPlace, ApprovalStore } from '#approvals/ports';
import { queryAllPages } from '#platform/dynamodb/query-partition';
import { INDEX, stripStorageAttributes } from '#platform/dynamodb/table-layout';
import { type HubScope, hubScopeFromEnvironment } from '#platform/hub-scope';

export type { ApprovalRecord, ApprovalStore };

const approvalKey = (id: string) => ({ pk: `APPROVAL#${id}`, sk: 'APPROVAL' });
/**
 * OwnerTime index partition of one approval action's requests, newest last: found by outside-Slack completion
 * events and an execution's view. Named by account and region too, so same-named pipelines of two spokes never
 * share one.
 */
export const approvalActionKey = (place: Required<ApprovalActionPlace>) =>
  `APPROVALS#${place.account}#${place.region}#${place.pipeline}#${place.stage}#${place.action}`;

/** The partition before account and region were in it: the hub's own requests, read until they expire. */
const legacyApprovalActionKey = ({ pipeline, stage, action }: ApprovalActionPlace) =>
  `APPROVALS#${pipeline}#${stage}#${action}`;

const APPROVALS_BY_DEADLINE = 'APPROVALS#BY_DEADLINE';
/**
 * GSI2 partition of decided approvals CodePipeline has not confirmed yet, by when they were decided (or
 * last sent again). An approval moves here when its decision is recorded and back to the deadline
 * partition once CodePipeline answered, so the partition holds only the few in flight or stuck (a Lambda
 * that died between the two writes): the reminders schedule queries it to send them again.
 */
const APPROVALS_UNCONFIRMED = 'APPROVALS#UNCONFIRMED';

/**
 * GSI2 partition of final approvals whose message is not yet confirmed to show their final state (a
 * chat.update failed, or the invocation died before it): the reminders schedule updates them again.
 * Once the message shows it the approval leaves GSI2; nothing else is owed.
 */
const APPROVALS_MESSAGE_STALE = 'APPROVALS#MESSAGE_STALE';
const toStaleMessages = (id: string, at: string) => ({
  ':stalePk': APPROVALS_MESSAGE_STALE,
  ':staleSk': `${at}#${id}`,
});
const INTO_STALE_MESSAGES = 'gsi2pk = :stalePk, gsi2sk = :staleSk';

const byDeadline = (record: Pick<ApprovalRecord, 'id' | 'deadline'>) => ({
  ':deadlinePk': APPROVALS_BY_DEADLINE,
  ':deadlineSk': `${new Date(record.deadline).toISOString()}#${record.id}`,
});

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

export function createApprovalStore({
  client,
  tableName,
  hub = hubScopeFromEnvironment(),
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** The hub's own account and region: where a request without an account (and every pre-upgrade one) is. */
  hub?: HubScope;
}): ApprovalStore {
  const placed = (place: ApprovalActionPlace): Required<ApprovalActionPlace> => ({
    ...place,
    account: place.account ?? hub.account,
    region: place.region ?? hub.region,
  });
  const isHub = (place: Required<ApprovalActionPlace>) =>
    place.account === hub.account && place.region === hub.region;
  const queryAction = async (
    gsi1pk: string,
    range: { from: string; to: string } | { newest: number },
  ): Promise<ApprovalRecord[]> => {
    const between = 'newest' in range ? undefined : range;
    const { Items = [] } = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: INDEX.byOwnerTime,
        KeyConditionExpression: between ? 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to' : 'gsi1pk = :pk',
        ExpressionAttributeValues: between
          ? { ':pk': gsi1pk, ':from': between.from, ':to': `${between.to}#~` }
          : { ':pk': gsi1pk },
        ...('newest' in range ? { ScanIndexForward: false, Limit: range.newest } : {}),
      }),
    );
    // The index carries keys and ids only, so a decision costs it nothing: each request is read whole.
    const requests = await Promise.all(
      Items.map(
        async ({ pk, sk }) =>
          (await client.send(new GetCommand({ TableName: tableName, Key: { pk, sk } }))).Item,
      ),
    );
    return requests.flatMap((item) => (item ? [toRecord(item)] : []));
  };
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
              gsi1pk: approvalActionKey(placed(record)),
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

    async claimPost(id, owner, at, leaseUntil) {
      try {
        const { Attributes: old = {} } = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: approvalKey(id),
            UpdateExpression:
              'SET postClaimedBy = :owner, postLeaseUntil = :lease, firstPostClaimedAt = if_not_exists(firstPostClaimedAt, :at)',
            // An SDK retry of this very claim (its answer lost) finds its own owner and goes through.
            ConditionExpression:
              'attribute_exists(pk) AND attribute_not_exists(messageTs) AND #status = :pending AND ' +
              '(attribute_not_exists(postLeaseUntil) OR postLeaseUntil < :at OR postClaimedBy = :owner)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':owner': owner,
              ':lease': leaseUntil,
              ':at': at,
              ':pending': 'PENDING',
            },
            ReturnValues: 'ALL_OLD',
          }),
        );
        const first = old.firstPostClaimedAt as string | undefined;
        // Our own earlier write of this claim (an SDK retry) is no earlier attempt.
        const ownRetry = old.postClaimedBy === owner && first === at;
        return first && !ownRetry ? { claimed: true, earlierSince: first } : { claimed: true };
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return { claimed: false };
        throw error;
      }
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
              decidedAt
                ? ', decidedAt = :decidedAt, sendAttempts = :zero, gsi2pk = :unconfirmedPk, gsi2sk = :unconfirmedSk'
                : ''
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
                    // Counted from here: an unconfirmed approval without the counter was decided by a
                    // version that called CodePipeline inline, so its request may have arrived.
                    ':zero': 0,
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
     * Records that CodePipeline accepted the decision; false if already recorded or closed meanwhile. The
     * message still shows buttons or progress, so the approval waits among the stale messages.
     */
    async confirmResult(record: ApprovalRecord, at: string): Promise<boolean> {
      return conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: approvalKey(record.id),
            UpdateExpression: `SET resultSentAt = :at, #rev = #rev + :one, ${INTO_STALE_MESSAGES}`,
            ConditionExpression: '#status = :decided AND attribute_not_exists(resultSentAt)',
            ExpressionAttributeNames: { '#status': 'status', '#rev': 'rev' },
            ExpressionAttributeValues: {
              ':at': at,
              ':one': 1,
              ':decided': record.status,
              ...toStaleMessages(record.id, at),
            },
          }),
        ),
      );
    },

    /**
     * Records how the approval ended (a CodePipeline answer, an outside completion, expiry) and what its
     * message is to say (`ending`); the approval then waits among the stale messages until it says so.
     */
    async close(
      record: Pick<ApprovalRecord, 'id'>,
      status: ApprovalStatus,
      reason: string,
      onlyFrom: readonly ApprovalStatus[],
      ending?: ApprovalEnding,
      at = new Date().toISOString(),
    ): Promise<boolean> {
      const allowed = Object.fromEntries(onlyFrom.map((s, i) => [`:from${i}`, s]));
      return conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: approvalKey(record.id),
            UpdateExpression: `SET #status = :status, closedReason = :reason, #rev = #rev + :one, ${INTO_STALE_MESSAGES}${
              ending ? ', ending = :ending' : ''
            }`,
            // Never once CodePipeline's acceptance is recorded: a late resend or end event cannot undo it.
            ConditionExpression: `#status IN (${Object.keys(allowed).join(', ')}) AND attribute_not_exists(resultSentAt)`,
            ExpressionAttributeNames: { '#status': 'status', '#rev': 'rev' },
            ExpressionAttributeValues: {
              ':status': status,
              ':reason': reason,
              ':one': 1,
              ...allowed,
              ...toStaleMessages(record.id, at),
              ...(ending ? { ':ending': ending } : {}),
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
     * Claims sending the decision of an unconfirmed approval (read at `record.rev`) for `owner`, counts the
     * attempt and restarts its clock: of two overlapping senders only one sends, and one that dies mid-call
     * leaves a claim that turns stale and is taken over (see planSettlement).
     */
    async claimSend(record: ApprovalRecord, owner: string, at: string): Promise<boolean> {
      return conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: approvalKey(record.id),
            UpdateExpression:
              'SET sendClaimedBy = :owner, sendClaimedAt = :at, sendAttempts = if_not_exists(sendAttempts, :zero) + :one, gsi2sk = :sk, #rev = :nextRev',
            ConditionExpression: '#rev = :rev AND gsi2pk = :unconfirmedPk',
            ExpressionAttributeNames: { '#rev': 'rev' },
            ExpressionAttributeValues: {
              ':owner': owner,
              ':at': at,
              ':zero': 0,
              ':one': 1,
              ':sk': `${at}#${record.id}`,
              ':rev': record.rev,
              ':nextRev': record.rev + 1,
              ':unconfirmedPk': APPROVALS_UNCONFIRMED,
            },
          }),
        ),
      );
    },

    /**
     * Gives up a claim (made at `record.rev`) whose PutApprovalResult ended without an answer to record:
     * the call is over, so the next attempt sends at once instead of waiting for the claim to turn stale.
     */
    async releaseSend(record: ApprovalRecord): Promise<boolean> {
      return conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: approvalKey(record.id),
            UpdateExpression: 'REMOVE sendClaimedBy, sendClaimedAt',
            ConditionExpression: '#rev = :rev AND sendClaimedBy = :owner',
            ExpressionAttributeNames: { '#rev': 'rev' },
            ExpressionAttributeValues: { ':rev': record.rev, ':owner': record.sendClaimedBy },
          }),
        ),
      );
    },

    /**
     * Records that the message shows the approval's final state (read at `record.rev`), which takes it out
     * of GSI2: nothing more is owed. False when the approval changed meanwhile (its new state is shown next).
     */
    async markMessageShown(record: ApprovalRecord): Promise<boolean> {
      return conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: approvalKey(record.id),
            UpdateExpression: 'SET messageShows = #status REMOVE gsi2pk, gsi2sk',
            ConditionExpression: '#rev = :rev AND #status = :status',
            ExpressionAttributeNames: { '#rev': 'rev', '#status': 'status' },
            ExpressionAttributeValues: { ':rev': record.rev, ':status': record.status },
          }),
        ),
      );
    },

    /** Final approvals whose message is not confirmed to show it, marked stale at or before `cutoff`. */
    async staleMessagesSince(cutoff: Date): Promise<ApprovalRecord[]> {
      const items = await queryAllPages(client, {
        TableName: tableName,
        IndexName: INDEX.byMonth,
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :cutoff',
        // `~` sorts after `#`: an approval marked stale at `cutoff` itself is included.
        ExpressionAttributeValues: { ':pk': APPROVALS_MESSAGE_STALE, ':cutoff': `${cutoff.toISOString()}~` },
      });
      return items.map(toRecord);
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

    /** Requests of one approval action created in [from, to] (the OwnerTime index): an execution's approvals. */
    async forActionBetween(action: ApprovalActionPlace, from: string, to: string): Promise<ApprovalRecord[]> {
      const place = placed(action);
      const records = await queryAction(approvalActionKey(place), { from, to });
      if (!isHub(place)) return records;
      return [...(await queryAction(legacyApprovalActionKey(place), { from, to })), ...records];
    },

    /** The newest approval requests of one approval action (the OwnerTime index, newest first). */
    async latestForAction(action: ApprovalActionPlace, limit = 5): Promise<ApprovalRecord[]> {
      const place = placed(action);
      const records = await queryAction(approvalActionKey(place), { newest: limit });
      // Requests made before the key named account and region are all older than those after it.
      if (records.length >= limit || !isHub(place)) return records;
      return [
        ...records,
        ...(await queryAction(legacyApprovalActionKey(place), { newest: limit - records.length })),
      ];
    },
  };
}
