/**
 * `npx tsx bench/recorder-demo.ts [--bundle <handler.mjs>] [--copies N]`: the recorder's demo pass alone
 * (the quick bench's recorder section in seconds, for A/B of the write path): write and read units per event,
 * by operation and by the kind of item written or read, the log bytes per event by message (at the template's
 * LogLevel, EMF metrics on, as the bench measures them), and events per second against the PutItem-only floor.
 * Without --bundle it builds this checkout's recorder.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createResolver, functionEnvironment } from '../local/local-functions';
import { buildFunctions } from '../tooling/build';
import { loadTemplate, serverlessFunctions, tableDefinition } from '../tooling/template';
import { capturedOutput } from './captured-output';
import { demoEventCopies } from './demo-copies';
import { startMeteredDynamo } from './engine-capacity';
import { BENCH_EVENTS_ACCOUNT, startStubAws } from './stub-aws';

async function main() {
  const { values } = parseArgs({
    options: { bundle: { type: 'string' }, copies: { type: 'string', default: '3' } },
  });
  const copies = Number(values.copies);
  const template = loadTemplate();
  const bundle =
    values.bundle ??
    (
      await buildFunctions({
        outDir: mkdtempSync(join(tmpdir(), 'pcp-rec-')),
        only: ['RecordExecutionFunction'],
      })
    )[0]?.bundle;
  if (!bundle) throw new Error('no recorder bundle');
  const dynamo = await startMeteredDynamo();
  const stub = await startStubAws();
  const tableName = 'bench-history';
  const raw = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  await raw.send(
    new CreateTableCommand({ TableName: tableName, ...tableDefinition(template) } as CreateTableCommandInput),
  );
  const definition = serverlessFunctions(template).find((fn) => fn.logicalId === 'RecordExecutionFunction');
  if (!definition) throw new Error('no recorder');
  const { resolve } = createResolver(template, tableName);
  Object.assign(process.env, functionEnvironment(template, definition, resolve), {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL: stub.endpoint,
    POWERTOOLS_METRICS_DISABLED: 'false',
    POWERTOOLS_LOG_LEVEL: String(template.Parameters?.LogLevel?.Default ?? 'INFO'),
    HUB_ACCOUNT_ID: BENCH_EVENTS_ACCOUNT,
  });
  const recorder = (await import(pathToFileURL(bundle).href)) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
  const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 30_000 };
  const events = demoEventCopies(copies);
  // Units with exact index accounting, then the time of the same events under fresh ids without it (its
  // before/after reads would slow the recorder down more than the floor's single PutItem).
  dynamo.meter.reset();
  const { bytesByKind: logBytes } = await capturedOutput(async () => {
    for (const event of events) await recorder.handler(event, context);
  });
  const meter = structuredClone({ ...dynamo.meter, reset: undefined });
  dynamo.meter.indexAccounting = false;
  const timed = demoEventCopies(copies, 100);
  const started = performance.now();
  await capturedOutput(async () => {
    for (const event of timed) await recorder.handler(event, context);
  });
  const seconds = (performance.now() - started) / 1000;
  const per = (value: number) => Math.round((value / events.length) * 1000) / 1000;
  const perEvent = (byKind: Record<string, number>) =>
    Object.fromEntries(Object.entries(byKind).map(([kind, value]) => [kind, per(value)]));
  const floor = DynamoDBDocumentClient.from(raw);
  const { Items = [] } = await floor.send(new ScanCommand({ TableName: tableName }));
  const item = Items.sort((a, b) => JSON.stringify(b).length - JSON.stringify(a).length)[0] ?? {};
  const floorStarted = performance.now();
  for (let index = 0; index < events.length; index++) {
    await floor.send(
      new PutCommand({ TableName: tableName, Item: { ...item, pk: `FLOOR#${index}`, sk: 'FLOOR' } }),
    );
  }
  const floorSeconds = (performance.now() - floorStarted) / 1000;
  console.info(
    JSON.stringify(
      {
        events: events.length,
        writeUnitsPerEvent: per(meter.writeUnits),
        indexWriteUnitsPerEvent: per(meter.indexWriteUnits),
        readUnitsPerEvent: per(meter.readUnits),
        requestsPerEvent: Object.fromEntries(Object.entries(meter.requests).map(([k, v]) => [k, per(v)])),
        writeUnitsPerEventByItem: perEvent(meter.writeUnitsByItem),
        indexWriteUnitsPerEventByItem: perEvent(meter.indexWriteUnitsByItem),
        readUnitsPerEventByItem: perEvent(meter.readUnitsByItem),
        logBytesPerEvent: per(Object.values(logBytes).reduce((sum, bytes) => sum + bytes, 0)),
        logBytesPerEventByMessage: perEvent(logBytes),
        eventsPerSecond: Math.round(events.length / seconds),
        floorPutsPerSecond: Math.round(events.length / floorSeconds),
        ratioToFloor: Math.round((events.length / seconds / (events.length / floorSeconds)) * 1000) / 1000,
      },
      null,
      1,
    ),
  );
  dynamo.close();
  stub.server.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
