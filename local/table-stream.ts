import { createServer, request as httpRequest, type Server } from 'node:http';
import type { DynamoDBRecord } from 'aws-lambda';
import { listenOnLoopback } from './loopback';

type AttributeMap = Record<string, Record<string, unknown>>;

/**
 * A DynamoDB stream for an engine that has none (dynalite): a proxy in front of the engine that turns every
 * single-item write into the stream record DynamoDB would emit (view type NEW_AND_OLD_IMAGES), in order.
 */
export interface TableStream {
  /** Point clients here instead of at the engine. */
  endpoint: string;
  /** The changes not yet taken, oldest first, at most `max` (Lambda's batch size). */
  take(max: number): DynamoDBRecord[];
  /** Changes waiting to be taken. */
  readonly pending: number;
  /**
   * Off: writes pass straight through, unrecorded (a bench's timed pass, where the before and after reads would
   * slow the writes down). On by default.
   */
  capturing: boolean;
  close(): Promise<void>;
}

const SINGLE_ITEM_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
const MULTI_ITEM_WRITES = new Set(['BatchWriteItem', 'TransactWriteItems']);
const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

/**
 * Reads each written item before and after the write (consistent GetItems, unrecorded) and appends a record
 * when it changed, as DynamoDB Streams do: INSERT, MODIFY or REMOVE, none for a write that changed nothing.
 * Writes to one item are serialised so the images are exact under concurrent writers. Batch and transaction
 * writes are refused with a clear error: nothing in this project makes them, and the stand-in cannot image them.
 */
export async function startTableStream(engineEndpoint: string): Promise<TableStream> {
  const engine = new URL(engineEndpoint);
  const records: DynamoDBRecord[] = [];
  const keySchemas = new Map<string, string[]>();
  const itemQueues = new Map<string, Promise<unknown>>();
  let sequence = 0;

  const engineCall = (target: string, body: Buffer, headers: Record<string, string | string[] | undefined>) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
      (resolve, reject) => {
        const call = httpRequest(
          {
            host: engine.hostname,
            port: engine.port,
            method: 'POST',
            path: '/',
            headers: {
              ...headers,
              host: engine.host,
              'x-amz-target': `DynamoDB_20120810.${target}`,
              'content-length': String(body.byteLength),
            },
          },
          (answer) => {
            const chunks: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => chunks.push(chunk));
            answer.on('end', () =>
              resolve({
                status: answer.statusCode ?? 500,
                headers: answer.headers,
                body: Buffer.concat(chunks),
              }),
            );
          },
        );
        call.on('error', reject);
        call.end(body);
      },
    );
  const jsonCall = async (
    target: string,
    input: unknown,
    headers: Record<string, string | string[] | undefined>,
  ) => {
    // Marked as the stand-in's own reads (DynamoDB makes the stream itself): the bench's meter leaves them out.
    const answer = await engineCall(target, Buffer.from(JSON.stringify(input)), {
      ...headers,
      'x-local-stream-image-read': '1',
    });
    return JSON.parse(answer.body.toString('utf8') || '{}') as Record<string, unknown>;
  };
  const keyNames = async (tableName: string, headers: Record<string, string | string[] | undefined>) => {
    let names = keySchemas.get(tableName);
    if (!names) {
      const { Table } = (await jsonCall('DescribeTable', { TableName: tableName }, headers)) as {
        Table?: { KeySchema?: { AttributeName: string }[] };
      };
      names = (Table?.KeySchema ?? []).map((key) => key.AttributeName);
      keySchemas.set(tableName, names);
    }
    return names;
  };

  async function recordedWrite(
    operation: string,
    input: Record<string, unknown>,
    body: Buffer,
    headers: Record<string, string | string[] | undefined>,
  ) {
    const tableName = String(input.TableName);
    const names = await keyNames(tableName, headers);
    const source = (operation === 'PutItem' ? input.Item : input.Key) as AttributeMap | undefined;
    const key = Object.fromEntries(names.map((name) => [name, source?.[name] ?? {}]));
    const itemOf = async () =>
      (await jsonCall('GetItem', { TableName: tableName, Key: key, ConsistentRead: true }, headers)).Item as
        | AttributeMap
        | undefined;
    const queueKey = `${tableName}\u0000${JSON.stringify(key)}`;
    const run = async () => {
      const before = await itemOf();
      const answer = await engineCall(operation, body, headers);
      if (answer.status === 200) {
        const after = await itemOf();
        const eventName = !before ? 'INSERT' : !after ? 'REMOVE' : 'MODIFY';
        if ((before || after) && canonical(before) !== canonical(after)) {
          sequence += 1;
          records.push({
            eventID: `local-${sequence}`,
            eventName,
            eventVersion: '1.1',
            eventSource: 'aws:dynamodb',
            awsRegion: REGION,
            dynamodb: {
              ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
              Keys: key as never,
              ...(after ? { NewImage: after as never } : {}),
              ...(before ? { OldImage: before as never } : {}),
              SequenceNumber: String(sequence).padStart(21, '0'),
              SizeBytes: Buffer.byteLength(JSON.stringify({ key, before, after })),
              StreamViewType: 'NEW_AND_OLD_IMAGES',
            },
            eventSourceARN: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${tableName}/stream/local`,
          });
        }
      }
      return answer;
    };
    const previous = itemQueues.get(queueKey) ?? Promise.resolve();
    const current = previous.then(run, run);
    itemQueues.set(queueKey, current);
    try {
      return await current;
    } finally {
      if (itemQueues.get(queueKey) === current) itemQueues.delete(queueKey);
    }
  }

  const stream: TableStream = {
    endpoint: '',
    capturing: true,
    take: (max) => records.splice(0, max),
    get pending() {
      return records.length;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const body = Buffer.concat(chunks);
      const operation =
        String(incoming.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      try {
        if (stream.capturing && MULTI_ITEM_WRITES.has(operation)) {
          outgoing.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
          outgoing.end(
            JSON.stringify({
              __type: 'com.amazon.coral.validate#ValidationException',
              message: `${operation} is not supported by the local stream stand-in (local/table-stream.ts)`,
            }),
          );
          return;
        }
        const answer =
          stream.capturing && SINGLE_ITEM_WRITES.has(operation)
            ? await recordedWrite(
                operation,
                JSON.parse(body.toString('utf8') || '{}'),
                body,
                incoming.headers,
              )
            : await engineCall(operation, body, incoming.headers);
        outgoing.writeHead(answer.status, answer.headers);
        outgoing.end(answer.body);
      } catch (error) {
        outgoing.writeHead(500, { 'content-type': 'application/json' });
        outgoing.end(JSON.stringify({ message: (error as Error).message }));
      }
    });
  });
  const port = await listenOnLoopback(server);
  // A test or bench that forgets to close it does not hold its process open.
  server.unref();
  stream.endpoint = `http://127.0.0.1:${port}`;
  return stream;
}

/** An item as canonical JSON (attribute order does not matter; set order does not either). */
function canonical(item: AttributeMap | undefined): string {
  if (!item) return '';
  return JSON.stringify(sortDeep(item));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) {
    const sorted = value.map(sortDeep);
    return sorted.every((entry) => typeof entry === 'string') ? [...(sorted as string[])].sort() : sorted;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, entry]) => [name, sortDeep(entry)]),
    );
  }
  return value;
}
