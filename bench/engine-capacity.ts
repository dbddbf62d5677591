import { createServer, request as httpRequest, type Server } from 'node:http';
import dynalite from 'dynalite';
import { listenOnLoopback } from '../local/loopback';

/** Capacity units the engine charged, by kind, and requests by operation (X-Amz-Target). */
export interface EngineMeter {
  readUnits: number;
  writeUnits: number;
  requests: Record<string, number>;
  reset(): void;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const INDEX_KEYS = ['gsi1pk', 'gsi2pk'];

/**
 * dynalite behind a metering proxy: every request is sent with `ReturnConsumedCapacity: TOTAL` (unless the
 * caller asked itself), and the units in the answer are added up, so the bench counts units, not requests.
 * dynalite charges a write for the table only: a write of an item that carries an index key is charged once
 * more per index (all indexes project ALL, so an index write costs what the table write costs). A write that
 * moves an item between index keys costs two index writes in DynamoDB; this counts one (a lower bound).
 */
export async function startMeteredDynamo(): Promise<{ endpoint: string; meter: EngineMeter; close(): void }> {
  const engine = dynalite({ createTableMs: 0 });
  const enginePort = await listenOnLoopback(engine);
  const meter: EngineMeter = {
    readUnits: 0,
    writeUnits: 0,
    requests: {},
    reset() {
      this.readUnits = 0;
      this.writeUnits = 0;
      this.requests = {};
    },
  };
  const proxy: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const operation =
        String(incoming.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? 'unknown';
      meter.requests[operation] = (meter.requests[operation] ?? 0) + 1;
      let body = Buffer.concat(chunks);
      let input: Record<string, unknown> = {};
      let askedByCaller = true;
      try {
        input = JSON.parse(body.toString('utf8') || '{}');
        askedByCaller = input.ReturnConsumedCapacity !== undefined && input.ReturnConsumedCapacity !== 'NONE';
        if (!askedByCaller) body = Buffer.from(JSON.stringify({ ...input, ReturnConsumedCapacity: 'TOTAL' }));
      } catch {
        // Not JSON: pass it through untouched.
      }
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
          answer.on('end', () => {
            const answerBody = Buffer.concat(answerChunks);
            charge(meter, operation, input, answerBody);
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

function charge(meter: EngineMeter, operation: string, input: Record<string, unknown>, answer: Buffer): void {
  let units = 0;
  try {
    const parsed = JSON.parse(answer.toString('utf8') || '{}') as {
      __type?: string;
      ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[];
    };
    // DynamoDB charges a write whose condition failed too; dynalite reports nothing: count at least one unit.
    if (parsed.__type?.includes('ConditionalCheckFailed')) {
      meter.writeUnits += 1;
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
    return;
  }
  meter.writeUnits += units * (1 + indexesWritten(input));
}

/** How many indexes a write puts the item in: its index keys, named in the item or the update expression. */
function indexesWritten(input: Record<string, unknown>): number {
  const item = input.Item as Record<string, unknown> | undefined;
  if (item) return INDEX_KEYS.filter((key) => key in item).length;
  const expression = `${String(input.UpdateExpression ?? '')} ${JSON.stringify(input.ExpressionAttributeNames ?? {})}`;
  return INDEX_KEYS.filter((key) => expression.includes(key)).length;
}
