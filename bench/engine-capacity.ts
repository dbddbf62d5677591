import { createServer, request as httpRequest, type Server } from 'node:http';
import dynalite from 'dynalite';
// dynalite's own item-size rule (DynamoDB's: attribute names plus values), so index items are sized alike.
import { itemSize } from 'dynalite/db/index.js';
import { listenOnLoopback } from '../local/loopback';

/** Capacity units the engine charged, by kind, and requests by operation (X-Amz-Target). */
export interface EngineMeter {
  readUnits: number;
  writeUnits: number;
  requests: Record<string, number>;
  /** Write units by the kind of item written (its partition key's prefix, or the header/stage/action sort key). */
  writeUnitsByItem: Record<string, number>;
  /** The part of writeUnits charged to GSIs. */
  indexWriteUnits: number;
  /** The part of writeUnitsByItem charged to GSIs, by the same kinds. */
  indexWriteUnitsByItem: Record<string, number>;
  /** Read units by operation and the kind of item read (`Query EXECUTION`, `GetItem DEPLOYMENT`, …). */
  readUnitsByItem: Record<string, number>;
  /** Off while timing (the before/after reads of exact index accounting slow writes down); on by default. */
  indexAccounting: boolean;
  reset(): void;
}

type AttributeMap = Record<string, Record<string, unknown>>;

interface IndexShape {
  keys: string[];
  projection: { type: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; include: string[] };
}

interface TableShape {
  keys: string[];
  indexes: IndexShape[];
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const INDEX_KEYS = ['gsi1pk', 'gsi2pk'];

/**
 * dynalite behind a metering proxy: every request is sent with `ReturnConsumedCapacity: TOTAL` (unless the
 * caller asked itself), and the units in the answer are added up, so the bench counts units, not requests.
 * dynalite charges a write for the table only, so the proxy charges the indexes as DynamoDB does: it reads the
 * item before and after each single-item write (unmetered) and, per GSI of the table (learnt from its
 * CreateTable), charges a write of the index item's size when the item enters the index or its projected
 * attributes change, a delete when it leaves, and both when its index key moves. A write that changes nothing
 * an index projects costs that index nothing. Concurrent writers to one item can blur before/after (the
 * parallel-actions case); batch and transaction writes fall back to one index write per index key named.
 */
export async function startMeteredDynamo(): Promise<{ endpoint: string; meter: EngineMeter; close(): void }> {
  const engine = dynalite({ createTableMs: 0 });
  const enginePort = await listenOnLoopback(engine);
  const meter: EngineMeter = {
    readUnits: 0,
    writeUnits: 0,
    requests: {},
    writeUnitsByItem: {},
    indexWriteUnits: 0,
    indexWriteUnitsByItem: {},
    readUnitsByItem: {},
    indexAccounting: true,
    reset() {
      this.readUnits = 0;
      this.writeUnits = 0;
      this.requests = {};
      this.writeUnitsByItem = {};
      this.indexWriteUnits = 0;
      this.indexWriteUnitsByItem = {};
      this.readUnitsByItem = {};
    },
  };
  const tables = new Map<string, TableShape>();
  const engineCall = (target: string, input: unknown) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const body = Buffer.from(JSON.stringify(input));
      const call = httpRequest(
        {
          host: '127.0.0.1',
          port: enginePort,
          method: 'POST',
          path: '/',
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': `DynamoDB_20120810.${target}`,
            'content-length': String(body.byteLength),
            authorization:
              'AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
            'x-amz-date': '20260101T000000Z',
          },
        },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')));
        },
      );
      call.on('error', reject);
      call.end(body);
    });
  const currentItem = async (tableName: string, key: AttributeMap) =>
    (await engineCall('GetItem', { TableName: tableName, Key: key, ConsistentRead: true })).Item as
      | AttributeMap
      | undefined;

  const proxy: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const operation =
        String(incoming.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? 'unknown';
      let body = Buffer.concat(chunks);
      // A stand-in's own reads (the local stream's before and after images): DynamoDB makes those itself, free.
      const unmetered = incoming.headers[UNMETERED_HEADER] !== undefined;
      if (!unmetered) meter.requests[operation] = (meter.requests[operation] ?? 0) + 1;
      let input: Record<string, unknown> = {};
      let askedByCaller = true;
      try {
        input = JSON.parse(body.toString('utf8') || '{}');
        askedByCaller = input.ReturnConsumedCapacity !== undefined && input.ReturnConsumedCapacity !== 'NONE';
        if (!askedByCaller) body = Buffer.from(JSON.stringify({ ...input, ReturnConsumedCapacity: 'TOTAL' }));
      } catch {
        // Not JSON: pass it through untouched.
      }
      if (operation === 'CreateTable') tables.set(String(input.TableName), tableShape(input));
      const table = tables.get(String(input.TableName));
      const exact = !unmetered && meter.indexAccounting && table && SINGLE_ITEM_WRITES.has(operation);
      const key = exact && table ? keyOf(input, table) : undefined;
      const before = key ? await currentItem(String(input.TableName), key) : undefined;
      const forwarded = httpRequest(
        {
          host: '127.0.0.1',
          port: enginePort,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, 'content-length': String(body.byteLength) },
        },
        (answer) => {
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', async () => {
            const answerBody = Buffer.concat(answerChunks);
            let indexUnits: number | undefined;
            if (key && table && answer.statusCode === 200) {
              const after = await currentItem(String(input.TableName), key);
              indexUnits = table.indexes.reduce(
                (sum, index) => sum + indexWriteUnits(index, table, before, after),
                0,
              );
            }
            if (!unmetered) charge(meter, operation, input, answerBody, indexUnits);
            outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
            outgoing.end(answerBody);
          });
        },
      );
      forwarded.on('error', (error) => {
        outgoing.writeHead(502);
        outgoing.end(String(error));
      });
      forwarded.end(body);
    });
  });
  const port = await listenOnLoopback(proxy);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    meter,
    close: () => {
      proxy.close();
      engine.close();
    },
  };
}

const SINGLE_ITEM_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
/** Set by local/table-stream.ts on its own reads. */
const UNMETERED_HEADER = 'x-local-stream-image-read';

function tableShape(input: Record<string, unknown>): TableShape {
  const names = (schema: unknown) =>
    ((schema ?? []) as { AttributeName: string }[]).map((key) => key.AttributeName);
  const indexes = (input.GlobalSecondaryIndexes ?? []) as {
    KeySchema: unknown;
    Projection?: { ProjectionType?: IndexShape['projection']['type']; NonKeyAttributes?: string[] };
  }[];
  return {
    keys: names(input.KeySchema),
    indexes: indexes.map((index) => ({
      keys: names(index.KeySchema),
      projection: {
        type: index.Projection?.ProjectionType ?? 'ALL',
        include: index.Projection?.NonKeyAttributes ?? [],
      },
    })),
  };
}

function keyOf(input: Record<string, unknown>, table: TableShape): AttributeMap | undefined {
  const source = (input.Key ?? input.Item) as AttributeMap | undefined;
  if (!source) return undefined;
  return Object.fromEntries(table.keys.map((name) => [name, source[name] ?? {}]));
}

/** What an item puts in an index (undefined when it lacks the index's keys): DynamoDB's projection rules. */
function indexItem(
  index: IndexShape,
  table: TableShape,
  item: AttributeMap | undefined,
): AttributeMap | undefined {
  if (!item || index.keys.some((name) => item[name] === undefined)) return undefined;
  if (index.projection.type === 'ALL') return item;
  const kept = new Set([...table.keys, ...index.keys, ...index.projection.include]);
  return Object.fromEntries(Object.entries(item).filter(([name]) => kept.has(name)));
}

const unitsOf = (item: AttributeMap) => Math.max(1, Math.ceil(itemSize(item) / 1024));

function indexWriteUnits(
  index: IndexShape,
  table: TableShape,
  before: AttributeMap | undefined,
  after: AttributeMap | undefined,
): number {
  const old = indexItem(index, table, before);
  const next = indexItem(index, table, after);
  if (!old && !next) return 0;
  if (!old && next) return unitsOf(next);
  if (old && !next) return unitsOf(old);
  if (!old || !next) return 0;
  const keyMoved = index.keys.some((name) => JSON.stringify(old[name]) !== JSON.stringify(next[name]));
  if (keyMoved) return unitsOf(old) + unitsOf(next);
  return canonical(old) === canonical(next) ? 0 : unitsOf(next);
}

function canonical(item: AttributeMap): string {
  return JSON.stringify(
    Object.keys(item)
      .sort()
      .map((name) => [name, item[name]]),
  );
}

function charge(
  meter: EngineMeter,
  operation: string,
  input: Record<string, unknown>,
  answer: Buffer,
  /** Index units from the before/after comparison; undefined: estimate from the index keys named. */
  indexUnits?: number,
): void {
  let units = 0;
  try {
    const parsed = JSON.parse(answer.toString('utf8') || '{}') as {
      __type?: string;
      ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[];
    };
    // DynamoDB charges a write whose condition failed too; dynalite reports nothing: count at least one unit.
    if (parsed.__type?.includes('ConditionalCheckFailed')) {
      meter.writeUnits += 1;
      const kind = `${itemKind(input)} (condition failed)`;
      meter.writeUnitsByItem[kind] = (meter.writeUnitsByItem[kind] ?? 0) + 1;
      return;
    }
    const consumed = parsed.ConsumedCapacity;
    units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce(
      (sum, entry) => sum + (entry.CapacityUnits ?? 0),
      0,
    );
  } catch {
    return;
  }
  if (!WRITES.has(operation)) {
    meter.readUnits += units;
    const kind = `${operation} ${readKind(input)}`;
    meter.readUnitsByItem[kind] = (meter.readUnitsByItem[kind] ?? 0) + units;
    return;
  }
  const onIndexes = indexUnits ?? units * indexesWritten(input);
  const charged = units + onIndexes;
  meter.indexWriteUnits += onIndexes;
  meter.writeUnits += charged;
  const kind = itemKind(input);
  meter.writeUnitsByItem[kind] = (meter.writeUnitsByItem[kind] ?? 0) + charged;
  if (onIndexes) meter.indexWriteUnitsByItem[kind] = (meter.indexWriteUnitsByItem[kind] ?? 0) + onIndexes;
}

/** What a read was about: its key's (or its Query's partition's) prefix, and the index it read. */
function readKind(input: Record<string, unknown>): string {
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, { S?: string }>;
  const partition =
    (input.Key as { pk?: { S?: string } } | undefined)?.pk?.S ?? values[':pk']?.S ?? 'unknown';
  const prefix = partition.split('#')[0] ?? 'unknown';
  return input.IndexName ? `${prefix} on ${String(input.IndexName)}` : prefix;
}

/** `EXECUTION/HEADER`, `EXECUTION/ACTION`, `DORA`, `PIPELINES`, …: what a write was about. */
function itemKind(input: Record<string, unknown>): string {
  // Marshalled: { pk: { S: '…' } }.
  const key = (input.Item ?? input.Key ?? {}) as { pk?: { S?: string }; sk?: { S?: string } };
  const prefix = String(key.pk?.S ?? 'unknown').split('#')[0] ?? 'unknown';
  return prefix === 'EXECUTION' ? `EXECUTION/${String(key.sk?.S ?? '').split('#')[0]}` : prefix;
}

/** How many indexes a write puts the item in: its index keys, named in the item or the update expression. */
function indexesWritten(input: Record<string, unknown>): number {
  const item = input.Item as Record<string, unknown> | undefined;
  if (item) return INDEX_KEYS.filter((key) => key in item).length;
  const expression = `${String(input.UpdateExpression ?? '')} ${JSON.stringify(input.ExpressionAttributeNames ?? {})}`;
  return INDEX_KEYS.filter((key) => expression.includes(key)).length;
}
