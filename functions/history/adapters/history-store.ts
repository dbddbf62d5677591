import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ExecutionRecord } from '#history/domain/execution-record';
import type { ExecutionObservation } from '#history/domain/merge-execution';
import { observationsOf } from '#history/domain/record-observations';
import {
  joinRuns,
  mergeRun,
  type RunKind,
  type RunObservation,
  type RunRecord,
  runRecordOf,
} from '#history/domain/run-record';
import { canonicalJson } from '#history/domain/status-register';
import { decodeCursor, encodeCursor } from '#platform/dynamodb/cursor';
import { queryAllPages } from '#platform/dynamodb/query-partition';
import { INDEX, stripStorageAttributes } from '#platform/dynamodb/table-layout';
import { BadRequestError } from '#platform/errors';
import { hubScopeFromEnvironment } from '#platform/hub-scope';
import { assembleExecution, type ItemWrite, itemWriteFor } from './execution-items';
import {
  keys,
  legacyKeys,
  type PipelineRef,
  type Scope,
  type ScopedPipeline,
  scopedPipeline,
} from './history-keys';
import { listCatalogPipelines, type PipelineSummary } from './pipeline-catalog';
import { runFactsOfItem, runItemFacts, runOwnerIndex, withRunItemFacts } from './run-items';

export type { PipelineRef, Scope, ScopedPipeline } from './history-keys';
export type { PipelineSummary } from './pipeline-catalog';

export interface HistoryStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Items expire (DynamoDB TTL on `expiresAt`) this many days after their last event. */
  retentionDays: number;
  /** The hub's own account and region: what a bare pipeline name (and every pre-upgrade item) means. */
  hub?: Scope;
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

/** What one observation did: whether it changed the history, and the execution header as it stood. */
export interface RecordedObservation {
  changed: boolean;
  /** True when this observation's register won (an older or repeated one only adds its facts). */
  advanced: boolean;
  /** The execution header before this write (undefined when this write created it). */
  header?: Record<string, unknown>;
}

export interface MergeResult<T> {
  record: T;
  /** The record as it was just before this write (undefined when the write created it). */
  previous?: T;
  /** False when the write changed nothing the record shows (a duplicate or an already-superseded event). */
  changed: boolean;
  created: boolean;
}

export type HistoryStore = ReturnType<typeof createHistoryStore>;

export function createHistoryStore({
  client,
  tableName,
  retentionDays,
  hub = hubScopeFromEnvironment(),
}: HistoryStoreOptions) {
  const expiresAt = (at: string) => Math.floor(Date.parse(at) / 1000) + retentionDays * 86_400;
  const scoped = (ref: PipelineRef) => scopedPipeline(ref, hub);
  const isHub = (ref: ScopedPipeline) => ref.account === hub.account && ref.region === hub.region;

  async function update(input: {
    key: { pk: string; sk: string };
    expression: string;
    condition?: string;
    names?: Record<string, string>;
    values?: Record<string, unknown>;
    returnValues?: 'ALL_OLD' | 'UPDATED_OLD' | 'NONE';
  }): Promise<{ applied: boolean; attributes?: Record<string, unknown> }> {
    try {
      const output = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: input.key,
          UpdateExpression: input.expression,
          ConditionExpression: input.condition,
          ExpressionAttributeNames: input.names,
          ExpressionAttributeValues: input.values,
          ReturnValues: input.returnValues ?? 'NONE',
        }),
      );
      return { applied: true, attributes: output.Attributes };
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      return { applied: false };
    }
  }

  /** One conditional update of a pipeline's catalog entry: false when its condition did not hold. */
  async function updateCatalogEntry(
    ref: ScopedPipeline,
    change: { expression: string; condition: string; values: Record<string, unknown> },
  ): Promise<boolean> {
    const { applied } = await update({
      key: keys.pipelineEntry(ref),
      expression: change.expression,
      condition: change.condition,
      names: change.expression.includes('#region') ? { '#region': 'region' } : undefined,
      values: change.values,
    });
    return applied;
  }

  async function notePipeline(pipeline: PipelineRef, executionStart: string): Promise<void> {
    const ref = scoped(pipeline);
    await updateCatalogEntry(ref, {
      // A new execution brings back a pipeline marked deleted (re-created under the same name).
      expression:
        'SET pipeline = :pipeline, account = :account, #region = :region, lastExecutionAt = :at, itemType = :type REMOVE deletedAt',
      condition: 'attribute_not_exists(lastExecutionAt) OR lastExecutionAt < :at',
      values: {
        ':pipeline': ref.pipeline,
        ':account': ref.account,
        ':region': ref.region,
        ':at': executionStart,
        ':type': 'pipeline',
      },
    });
  }

  /**
   * The header's identity: what its key fixes (set as it is), and what the first write decides (its time on
   * the OwnerTime index and its expiry, set once). The index carries none of what later writes change.
   */
  function headerIdentity(ref: ScopedPipeline, executionId: string, start: string, at: string) {
    return {
      fixed: {
        itemType: 'execution',
        account: ref.account,
        region: ref.region,
        pipeline: ref.pipeline,
        executionId,
        gsi1pk: keys.executionsByTime(ref),
      },
      once: { gsi1sk: keys.executionTimeKey(start, executionId), expiresAt: expiresAt(at) },
    };
  }

  /**
   * One UpdateItem: the item's register advances only if the incoming order key is greater (a stale or
   * duplicate observation fails the condition and changes nothing there), and the facts are unioned. `once`
   * is set by the item's first write only. The item as it was comes back only when `previous` asks for it (the
   * header's status and claims); otherwise an advance returns nothing and a facts write only the old sets it
   * added to, which is all "changed" needs: less for the engine to send and the SDK to read on every event.
   */
  async function writeItem(
    pk: string,
    write: ItemWrite,
    once: Record<string, unknown>,
    previous: 'previous' | 'changed only',
  ): Promise<{ changed: boolean; advanced: boolean; previous?: Record<string, unknown> }> {
    const whole = previous === 'previous';
    const { clauses: sets, names, values } = setClauses(write.identity, once, 'i');
    const adds: string[] = [];
    let index = 0;
    for (const [name, value] of Object.entries(write.facts)) {
      names[`#f${index}`] = name;
      values[`:f${index}`] = value;
      adds.push(`#f${index} :f${index}`);
      index++;
    }
    const factsOnly = () => ({
      expression: [sets.length ? `SET ${sets.join(', ')}` : '', adds.length ? `ADD ${adds.join(', ')}` : '']
        .filter(Boolean)
        .join(' '),
      names,
      values,
    });
    const key = { pk, sk: write.sk };
    if (write.order !== undefined) {
      const register = setClauses(write.withRegister, {}, 'r');
      const registerSets = [...sets, '#order = :order', ...register.clauses];
      const registerNames = { ...names, '#order': 'order', ...register.names };
      const registerValues = { ...values, ':order': write.order, ...register.values };
      const advanced = await update({
        key,
        expression: `SET ${registerSets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
        condition: 'attribute_not_exists(#order) OR #order < :order',
        names: registerNames,
        values: registerValues,
        returnValues: whole ? 'ALL_OLD' : 'NONE',
      });
      if (advanced.applied) return { changed: true, advanced: true, previous: advanced.attributes };
    }
    // An older (or repeated) observation still brings its facts: its time, a run id, a failure time.
    const facts = factsOnly();
    const { attributes } = await update({ key, ...facts, returnValues: whole ? 'ALL_OLD' : 'UPDATED_OLD' });
    return {
      changed: !attributes || addsSomething(attributes, write.facts),
      advanced: false,
      previous: attributes,
    };
  }

  /**
   * One execution's items. Strongly consistent unless `consistent` is false: a reader that merges into the
   * execution, or reads the write it just made, must see every write before it; a listing (the read API's,
   * the delivery metrics' other recent executions) may lag a write by DynamoDB's usual second at half the
   * read units.
   */
  async function executionItems(ref: ScopedPipeline, executionId: string, consistent = true) {
    return queryAllPages(client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.executionPartition(ref, executionId) },
      ConsistentRead: consistent,
    });
  }

  async function getExecution(
    pipeline: PipelineRef,
    executionId: string,
  ): Promise<ExecutionRecord | undefined> {
    const ref = scoped(pipeline);
    const items = await executionItems(ref, executionId);
    if (items.length) return assembleExecution({ ...ref, executionId }, items);
    if (!isHub(ref)) return undefined;
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: legacyKeys.execution(ref.pipeline, executionId) }),
    );
    return Item ? stripStorageAttributes<ExecutionRecord>(Item) : undefined;
  }

  async function listExecutions(pipeline: PipelineRef, query: ExecutionQuery = {}): Promise<ExecutionPage> {
    const ref = scoped(pipeline);
    const legacyPhase = query.cursor?.startsWith(LEGACY_CURSOR) ?? false;
    const partition = legacyPhase ? legacyKeys.executionsByTime(ref.pipeline) : keys.executionsByTime(ref);
    const cursor = legacyPhase ? query.cursor?.slice(LEGACY_CURSOR.length) : query.cursor;
    const names: Record<string, string> = { '#pk': 'gsi1pk' };
    const values: Record<string, unknown> = { ':pk': partition };
    let keyCondition = '#pk = :pk';
    if (query.from || query.to) {
      // Sort keys are `<start>#<id>`: '#' < any id character and '~' > any, so these bound whole times.
      values[':from'] = query.from ?? '0000';
      values[':to'] = `${query.to ?? '9999'}~`;
      names['#sk'] = 'gsi1sk';
      keyCondition += ' AND #sk BETWEEN :from AND :to';
    }
    const limit = query.limit ?? 25;
    const exclusiveStartKey = cursor
      ? decodeCursor(cursor, { keys: ['pk', 'sk', 'gsi1pk', 'gsi1sk'], partition: { gsi1pk: partition } })
      : undefined;
    const page = await client
      .send(
        new QueryCommand({
          TableName: tableName,
          IndexName: INDEX.byOwnerTime,
          KeyConditionExpression: keyCondition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: limit,
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
    // The index carries keys and ids only: each execution is read from the table (a Query of its partition, or
    // the whole record before 0.2.0), and the status filter applies to what was read, as a FilterExpression
    // would (after the page's limit).
    const headers = page.Items ?? [];
    const read = await Promise.all(
      headers.map(async (header) => {
        if (!legacyPhase) {
          const executionId = String(header.executionId);
          return assembleExecution({ ...ref, executionId }, await executionItems(ref, executionId, false));
        }
        const { Item } = await client.send(
          new GetCommand({ TableName: tableName, Key: { pk: header.pk, sk: header.sk } }),
        );
        return Item ? stripStorageAttributes<ExecutionRecord>(Item) : undefined;
      }),
    );
    const items = read.filter(
      (record): record is ExecutionRecord =>
        record !== undefined && (!query.status || record.status?.status === query.status),
    );
    if (page.LastEvaluatedKey) {
      const next = encodeCursor(page.LastEvaluatedKey);
      return { items, nextCursor: legacyPhase ? `${LEGACY_CURSOR}${next}` : next };
    }
    // Executions recorded before the upgrade are all older than those after it: newest first still holds
    // when the pre-upgrade ones follow, in their own (legacy) partition of the index.
    if (!legacyPhase && isHub(ref)) {
      const legacy = await listExecutions(ref, { ...query, cursor: LEGACY_CURSOR, limit });
      return { items: [...items, ...legacy.items].slice(0, limit), nextCursor: legacy.nextCursor };
    }
    return { items };
  }

  // What this process already wrote, so a warm recorder skips writes that would change nothing: execution
  // headers it created or saw (their identity and index keys are write-once) and catalog notes it made. Lost
  // with the process, which only means one more (idempotent) write; bounded, oldest forgotten first.
  const knownHeaders = boundedMemo<string, KnownHeader>(MEMO_ENTRIES);
  const notedExecutions = boundedMemo<string, true>(MEMO_ENTRIES);
  const notedPipelines = boundedMemo<string, string>(MEMO_ENTRIES);
  const claimedDetails = boundedMemo<string, true>(MEMO_ENTRIES);
  // Run records this process wrote or read, joined: each a state its item has reached, and an item only gains
  // facts, so an observation one already holds is in the item too and needs no write (a redelivered event, a
  // link every action event repeats).
  const knownRuns = boundedMemo<string, RunRecord>(MEMO_ENTRIES);
  const noteRun = (pk: string, record: RunRecord) => {
    const known = knownRuns.get(pk);
    knownRuns.set(pk, known ? joinRuns(known, record) : record);
  };

  /**
   * The header's write-once identity, unless this process already knows the header has it; the header as it
   * was (or, when known, the status this process last saw there).
   */
  async function ensureHeader(pk: string, identity: ReturnType<typeof headerIdentity>) {
    const known = knownHeaders.get(pk);
    if (known) return known.status ? { status: known.status } : {};
    const { clauses, names, values } = setClauses(identity.fixed, identity.once, 'h');
    const touch = await update({
      key: { pk, sk: keys.executionHeader },
      expression: `SET ${clauses.join(', ')}`,
      names,
      values,
      returnValues: 'ALL_OLD',
    });
    knownHeaders.set(pk, { status: touch.attributes?.status });
    return touch.attributes;
  }

  /**
   * The catalog entry moves to this execution's start unless this process already noted one as late: one
   * conditional write per execution and process (a no-index item), instead of a header marker per execution.
   * Made before the event is acknowledged, so a note lost to a crash is made by Lambda's retry.
   */
  async function noteCatalogOnce(ref: ScopedPipeline, executionStart: string) {
    const identity = keys.pipelineEntry(ref).sk;
    const noted = notedPipelines.get(identity);
    if (noted !== undefined && noted >= executionStart) return;
    await notePipeline(ref, executionStart);
    notedPipelines.set(identity, executionStart);
  }

  /**
   * Records one observation: one conditional UpdateItem on the item it is about (plus, for a stage or action,
   * one touch of the header that writes its identity once, skipped when this process knows it is there),
   * and no read before.
   */
  async function recordObservation(obs: ExecutionObservation): Promise<RecordedObservation> {
    const ref = scoped(
      obs.account && obs.region
        ? { account: obs.account, region: obs.region, pipeline: obs.pipeline }
        : obs.pipeline,
    );
    const pk = keys.executionPartition(ref, obs.executionId);
    const identity = headerIdentity(ref, obs.executionId, obs.startTime ?? obs.at, obs.at);
    const write = itemWriteFor(obs);
    let header: Record<string, unknown> | undefined;
    let result: { changed: boolean; advanced: boolean; previous?: Record<string, unknown> };
    if (write.sk === keys.executionHeader) {
      result = await writeItem(
        pk,
        { ...write, identity: { ...write.identity, ...identity.fixed } },
        identity.once,
        'previous',
      );
      header = result.previous;
      const status = obs.kind === 'pipeline' && result.advanced ? obs.status : header?.status;
      knownHeaders.set(pk, { status: status ?? knownHeaders.get(pk)?.status });
    } else {
      result = await writeItem(pk, write, { expiresAt: identity.once.expiresAt }, 'changed only');
      header = await ensureHeader(pk, identity);
    }
    if (!notedExecutions.get(pk)) {
      await noteCatalogOnce(ref, obs.startTime ?? obs.at);
      notedExecutions.set(pk, true);
    }
    return {
      changed: result.changed,
      advanced: result.advanced,
      header,
    };
  }

  /**
   * One UpdateItem that adds a record's facts to its run item (no read, no condition: sets union in any
   * order) and returns the item as it was, so the caller learns the record before and after. A deployment's
   * place on its group's index is written with it, at the time of the first status this write knew of, once;
   * an earlier event that arrives later moves it back with one more conditional write (`gsi1sk > :sk`, so
   * writers only ever lower it). `expiresAt` is set once too, like an execution's: a run lasts minutes, its
   * retention is days.
   */
  async function writeRun(written: RunRecord, scope: Scope): Promise<MergeResult<RunRecord>> {
    const { kind, runId } = written;
    const key = keys.run(kind, scope, runId);
    const added = runItemFacts(written);
    const place = runOwnerIndex(written, scope);
    const {
      clauses: sets,
      names,
      values,
    } = setClauses(
      { itemType: kind, kind, runId, ...(place ? { gsi1pk: place.gsi1pk } : {}) },
      { expiresAt: expiresAt(written.lastEventAt), ...(place ? { gsi1sk: place.gsi1sk } : {}) },
      's',
    );
    const adds = Object.entries(added).map(([name, value]) => {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      return `#${name} :${name}`;
    });
    const { attributes: before } = await update({
      key,
      expression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
      names,
      values,
      returnValues: 'ALL_OLD',
    });
    const previous = before ? runRecordOf(runFactsOfItem(kind, runId, before)) : undefined;
    const after = withRunItemFacts(before, added);
    const record = runRecordOf(runFactsOfItem(kind, runId, after)) ?? written;
    // Where the item is on the index now, and where its facts say it belongs: the first event of the run.
    const placedAt = typeof before?.gsi1sk === 'string' ? before.gsi1sk : place?.gsi1sk;
    const belongsAt = runOwnerIndex(record, scope)?.gsi1sk;
    if (placedAt !== undefined && belongsAt !== undefined && belongsAt < placedAt) {
      await update({
        key,
        expression: 'SET gsi1sk = :sk',
        condition: 'gsi1sk > :sk',
        values: { ':sk': belongsAt },
      });
    }
    noteRun(key.pk, record);
    return {
      record,
      previous,
      changed: !previous || canonicalJson(previous) !== canonicalJson(record),
      created: !before,
    };
  }

  /**
   * Records one observation of a deployment or build: one UpdateItem, no read before it, and none at all when
   * this process already knows the item holds it (then `record` is the run as this process last knew it).
   */
  async function recordRun(observation: RunObservation, scope: Scope = hub): Promise<MergeResult<RunRecord>> {
    const known = knownRuns.get(keys.run(observation.kind, scope, observation.runId).pk);
    if (known && canonicalJson(mergeRun(known, observation)) === canonicalJson(known)) {
      return { record: known, previous: known, changed: false, created: false };
    }
    return writeRun(mergeRun(undefined, observation), scope);
  }

  return {
    /** The account and region a bare pipeline name means. */
    hub,

    recordObservation,

    /**
     * Read, merge, write a whole record as the observations that make it: for seeding, and for rare writers
     * that already hold the record; the recorder's per-event path is recordObservation (no read).
     */
    async mergeExecution(
      pipeline: PipelineRef,
      executionId: string,
      merge: (current: ExecutionRecord | undefined) => ExecutionRecord | Promise<ExecutionRecord>,
    ): Promise<MergeResult<ExecutionRecord>> {
      const current = await getExecution(pipeline, executionId);
      const next = await merge(current);
      if (current && canonicalJson(current) === canonicalJson(next)) {
        return { record: current, previous: current, changed: false, created: false };
      }
      const ref = scoped(pipeline);
      for (const observation of observationsOf({ ...next, account: ref.account, region: ref.region })) {
        await recordObservation(observation);
      }
      const record = (await getExecution(pipeline, executionId)) ?? next;
      return { record, previous: current, changed: true, created: !current };
    },

    /**
     * Claims the execution's one GetPipelineExecution: true for exactly one caller, until released. The
     * claim lives on the execution's details item, so the read is made once per execution, not once per event.
     */
    async claimDetailsRead(pipeline: PipelineRef, executionId: string, at: string): Promise<boolean> {
      const pk = keys.executionPartition(scoped(pipeline), executionId);
      // Settled in this process already (claimed here, or found claimed): the write would only fail its
      // condition. A claim given back by another process is then read by that process's next event.
      if (claimedDetails.get(pk)) return false;
      const { applied } = await update({
        key: { pk, sk: keys.executionDetails },
        expression: 'SET detailsReadAt = :at, expiresAt = if_not_exists(expiresAt, :expiresAt)',
        condition: 'attribute_not_exists(detailsReadAt)',
        values: { ':at': at, ':expiresAt': expiresAt(at) },
      });
      claimedDetails.set(pk, true);
      return applied;
    },

    /** Gives the claim back when the read failed, so a later event (or the reconciler) reads again. */
    async releaseDetailsRead(pipeline: PipelineRef, executionId: string, at: string): Promise<void> {
      const pk = keys.executionPartition(scoped(pipeline), executionId);
      claimedDetails.delete(pk);
      await update({
        key: { pk, sk: keys.executionDetails },
        expression: 'REMOVE detailsReadAt',
        condition: 'detailsReadAt = :at',
        values: { ':at': at },
      });
    },

    /**
     * An execution before and after a batch of its changes (the table's stream), from one Query: each changed
     * item is put back as it was before the batch (or left out, if the batch created it) to rebuild "before".
     */
    async executionAroundChanges(
      execution: ScopedPipeline & { executionId: string },
      itemsBefore: ReadonlyMap<string, Record<string, unknown> | undefined>,
    ): Promise<{ previous?: ExecutionRecord; record?: ExecutionRecord }> {
      const items = await executionItems(execution, execution.executionId);
      const before = [
        ...items.filter((item) => !itemsBefore.has(item.sk as string)),
        ...[...itemsBefore.values()].filter((item): item is Record<string, unknown> => item !== undefined),
      ];
      return { previous: assembleExecution(execution, before), record: assembleExecution(execution, items) };
    },

    markPipelineDeleted(pipeline: PipelineRef, at: string): Promise<boolean> {
      return updateCatalogEntry(scoped(pipeline), {
        expression: 'SET deletedAt = :at',
        condition: 'attribute_exists(lastExecutionAt)',
        values: { ':at': at },
      });
    },

    recordRun,

    /** Adds the pipeline to the catalog, or moves its last-execution time forward (never back). */
    notePipeline,

    getExecution,

    async getRun(kind: RunKind, runId: string, scope: Scope = hub): Promise<RunRecord | undefined> {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.run(kind, scope, runId) }),
      );
      if (Item) return runRecordOf(runFactsOfItem(kind, runId, Item));
      if (scope.account !== hub.account || scope.region !== hub.region) return undefined;
      const legacy = await client.send(
        new GetCommand({ TableName: tableName, Key: legacyKeys.run(kind, runId) }),
      );
      return legacy.Item ? stripStorageAttributes<RunRecord>(legacy.Item) : undefined;
    },

    /**
     * A deployment group's recorded deployments, newest first: the group of that name in `scope` (a same-named
     * group of another account or region is another group). The hub's own follow with those recorded before
     * account and region were in the key, all older than any recorded after.
     */
    async listDeployments(
      application: string,
      deploymentGroup: string,
      scope: Scope = hub,
      limit = 10,
    ): Promise<RunRecord[]> {
      const newestOf = async (gsi1pk: string, count: number) =>
        (
          await client.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: INDEX.byOwnerTime,
              KeyConditionExpression: 'gsi1pk = :pk',
              ExpressionAttributeValues: { ':pk': gsi1pk },
              ScanIndexForward: false,
              Limit: count,
            }),
          )
        ).Items ?? [];
      const items = await newestOf(keys.deploymentGroup(application, deploymentGroup, scope), limit);
      if (items.length < limit && scope.account === hub.account && scope.region === hub.region) {
        items.push(
          ...(await newestOf(legacyKeys.deploymentGroup(application, deploymentGroup), limit - items.length)),
        );
      }
      // The index carries keys and ids only: each deployment's item is read (a few GetItems an alarm).
      const runItems = await Promise.all(
        items.map(async (item) => {
          const { Item } = await client.send(
            new GetCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk } }),
          );
          return Item;
        }),
      );
      return runItems.flatMap((item) => {
        if (!item) return [];
        const record = runRecordOf(runFactsOfItem('deployment', String(item.runId), item));
        return record ? [record] : [];
      });
    },

    /** Every known pipeline with its account and region; entries made before the upgrade are the hub's own. */
    listPipelines(): Promise<PipelineSummary[]> {
      return listCatalogPipelines(client, tableName, hub);
    },

    /** Every execution of a pipeline that started in [from, to], following pages to the end (DORA reads). */
    async executionsStartedBetween(
      pipeline: PipelineRef,
      from: string,
      to: string,
    ): Promise<ExecutionRecord[]> {
      const executions: ExecutionRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await listExecutions(pipeline, { from, to, cursor, limit: 1000 });
        executions.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return executions;
    },

    /** A pipeline's executions, newest first, from the OwnerTime index (headers), each read from its partition. */
    listExecutions,
  };
}

const LEGACY_CURSOR = 'legacy.';

/** What this process knows of an execution header: that it exists, and the status it last saw there. */
interface KnownHeader {
  status?: unknown;
}

// About 1 MB of keys at most: enough for the executions one warm recorder sees in flight.
const MEMO_ENTRIES = 5_000;

/**
 * `SET` clauses with their names and values (placeholders `#<prefix><n>`, `:<prefix><n>`): `fixed` set as it
 * is on every write, `once` only where the item does not hold it yet (`if_not_exists`).
 */
function setClauses(fixed: Record<string, unknown>, once: Record<string, unknown>, prefix: string) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const clauses: string[] = [];
  const entries = [
    ...Object.entries(fixed).map(([name, value]) => [name, value, false] as const),
    ...Object.entries(once).map(([name, value]) => [name, value, true] as const),
  ];
  for (const [index, [name, value, onlyOnce]] of entries.entries()) {
    const [nameKey, valueKey] = [`#${prefix}${index}`, `:${prefix}${index}`];
    names[nameKey] = name;
    values[valueKey] = value;
    clauses.push(
      onlyOnce ? `${nameKey} = if_not_exists(${nameKey}, ${valueKey})` : `${nameKey} = ${valueKey}`,
    );
  }
  return { clauses, names, values };
}

/** A Map that forgets its oldest entries beyond `capacity`. */
function boundedMemo<K, V>(capacity: number) {
  const entries = new Map<K, V>();
  return {
    get: (key: K) => entries.get(key),
    delete: (key: K) => entries.delete(key),
    set(key: K, value: V) {
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > capacity) entries.delete(entries.keys().next().value as K);
    },
  };
}

function addsSomething(before: Record<string, unknown>, facts: ItemWrite['facts']): boolean {
  return Object.entries(facts).some(([name, values]) => {
    const known = before[name];
    return [...values].some((value) => !(known instanceof Set && known.has(value as never)));
  });
}
