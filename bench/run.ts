/**
 * `npm run bench`: bundle size, cold init, recorder throughput and DynamoDB requests per event, and read
 * cost, written to bench/results.json and printed as a table. Not part of `npm test`: timings are
 * measurements, never assertions. Every time is reported with its baseline from the same run, and cold
 * starts are medians over fresh processes, because this 2-core machine is shared and noisy.
 */

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { factKeys } from '../functions/delivery-metrics/adapters/delivery-facts-keys';
import { createDeliveryFactsPacker } from '../functions/delivery-metrics/adapters/delivery-facts-packer';
import { createDeliveryFactsStore } from '../functions/delivery-metrics/adapters/delivery-facts-store';
import { factWriteFor } from '../functions/delivery-metrics/domain/fact-write';
import { createHistoryStore } from '../functions/history/adapters/history-store';
import { mergeExecution } from '../functions/history/domain/merge-execution';
import { queryAllPages } from '../functions/platform/dynamodb/query-partition';
import { hubScopeFromEnvironment } from '../functions/platform/hub-scope';
import { consolePage } from '../functions/read-api/console/console-page';
import { readDoraMetrics } from '../functions/read-api/read-dora-metrics';
import { ciSampleSignedNow, type FunctionUrlSample } from '../local/ci-sample-signed-now';
import { createResolver, functionEnvironment } from '../local/local-functions';
import { startSlackSink } from '../local/slack-sink';
import { createStreamDelivery, type StreamDelivery } from '../local/stream-delivery';
import { startTableStream } from '../local/table-stream';
import { buildFunctions } from '../tooling/build';
import {
  type FunctionDefinition,
  loadTemplate,
  serverlessFunctions,
  streamSourceOf,
  tableDefinition,
} from '../tooling/template';
import { bundleComposition } from './bundle-composition';
import { capturedOutput } from './captured-output';
import { costPerMillionEvents, devOpsDashboardCostPerMillionEvents } from './cost-model';
import { demoEventCopies, demoScenario } from './demo-copies';
import { startMeteredDynamo } from './engine-capacity';
import { buildFunctionBaseline } from './function-baseline';
import { measureOrgScale } from './org-scale';
import {
  BENCH_CI_WEBHOOK_SECRET_ARN,
  BENCH_EVENTS_ACCOUNT,
  BENCH_GITHUB_WEBHOOK_SECRET_ARN,
  BENCH_SLACK_SECRET_ARN,
  startStubAws,
} from './stub-aws';
import { eventCount, syntheticExecution } from './synthetic-execution';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ORIGINAL_ENV = { ...process.env };
const HELP = `Usage: npm run bench -- [--runs N] [--executions N] [--copies N] [--quick] [--org]

Measures, and writes bench/results.json (with a "summary" of the figures to compare over time):
  per function: bundle size and its non-SDK part loaded at start and lazily (esbuild metafile), cold init
  (N fresh process pairs, default 10, interleaved with a baseline making the function's own SDK clients and
  AWS calls; median of the pairs' ratios), with the template's NODE_OPTIONS;
  recorder: events per second against the engine's PutItem-only floor, write and read units per event as
  the engine charges them (GSIs included, and record-delivery-changes' units from the table's stream) for the
  demo, for executions of 5, 20, 100 and 300 actions and with 30 parallel actions; record-delivery-changes'
  own rate over a demo pass's stream in batches; the cost per million events at public prices; read units of history queries and
  of GET /metrics/dora over 30, 90 and 365 days across 20 pipelines against a full Scan, over --executions
  recorded executions (default 10000) spread over 400 simulated days (facts written on their day, the DORA
  packer run every night, TTL applied), and the packer's own units. --quick: 3 runs, 2000 executions.
--org: only the organisation scale (bench/org-scale.ts), written under "orgScale": 50 accounts × 2 regions ×
  20 pipelines recorded (2 executions each; with --quick 1), then DORA read units across all, per account and
  per pipeline.
`;

interface Counter {
  byTarget: Record<string, number>;
  total(): number;
  reset(): void;
}

function counter(): Counter {
  const byTarget: Record<string, number> = {};
  return {
    byTarget,
    total: () => Object.values(byTarget).reduce((sum, value) => sum + value, 0),
    reset: () => {
      for (const key of Object.keys(byTarget)) delete byTarget[key];
    },
  };
}

/** Each value divided by `events`, to three decimals: a per-event breakdown. */
const perEventOf = (byKind: Record<string, number>, events: number) =>
  Object.fromEntries(Object.entries(byKind).map(([kind, value]) => [kind, round(value / events, 3)]));

const median = (values: number[]) => quantile(values, 0.5);

/** A stage result's write as the recorder makes it (execution-items.ts), on an item of its own. */
function registerWriteOf(tableName: string, pk: string, at: string) {
  const status = { status: 'SUCCEEDED', statusAt: at, attempt: 1 };
  return {
    TableName: tableName,
    Key: { pk, sk: 'STAGE#Deploy' },
    UpdateExpression:
      'SET #order = :order, #status = :status, #type = :type, #stage = :stage, #expiresAt = if_not_exists(#expiresAt, :expiresAt) ADD #eventTimes :at',
    ConditionExpression: 'attribute_not_exists(#order) OR #order < :order',
    ExpressionAttributeNames: {
      '#order': 'order',
      '#status': 'status',
      '#type': 'itemType',
      '#stage': 'stage',
      '#expiresAt': 'expiresAt',
      '#eventTimes': 'eventTimes',
    },
    ExpressionAttributeValues: {
      ':order': `0001#${at}#3#${JSON.stringify(status)}`,
      ':status': status,
      ':type': 'execution-stage',
      ':stage': 'Deploy',
      ':expiresAt': Math.floor(Date.parse(at) / 1000) + 400 * 86_400,
      ':at': new Set([at]),
    },
    ReturnValues: 'ALL_OLD' as const,
  };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (sorted[low] ?? 0) + ((sorted[high] ?? 0) - (sorted[low] ?? 0)) * (position - low);
}
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function sampleEventFor(entryPoint: string): unknown | undefined {
  // events/<function>/ holds a function's samples, events/actions/<action>/ an invoke action's.
  const [, feature, name] = entryPoint.split('/');
  const folder = feature === 'actions' ? `actions/${name}` : (name ?? '');
  if (feature === 'read-api') {
    return {
      version: '2.0',
      rawPath: '/pipelines',
      requestContext: { http: { method: 'GET', path: '/pipelines' } },
      headers: {},
      isBase64Encoded: false,
    };
  }
  try {
    const files = execFileSync('ls', [join(ROOT, 'events', folder)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    const first = files.find((file) => file.endsWith('.json'));
    if (!first) return undefined;
    const sample = JSON.parse(readFileSync(join(ROOT, 'events', folder, first), 'utf8'));
    // Signed again now: its stored X-CI-Timestamp is days old, and the endpoint would only refuse it.
    return folder === 'ci-events' ? ciSampleSignedNow(sample as FunctionUrlSample) : sample;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' },
      executions: { type: 'string' },
      copies: { type: 'string', default: '5' },
      quick: { type: 'boolean', default: false },
      org: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (values.org) return runOrgScale(values.quick ?? false);
  const runs = Number(values.runs ?? (values.quick ? 3 : 10));
  const executionCount = Number(values.executions ?? (values.quick ? 2000 : 10_000));
  const copies = Number(values.copies);
  const slackRequests = values.quick ? 200 : 1000;
  const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);
  const started = Date.now();

  const loadAverageAtStart = loadavg().map((value) => round(value, 2));
  const dynamo = await startMeteredDynamo();
  const { meter } = dynamo;
  const dynamoRequests = {
    get byTarget() {
      return meter.requests;
    },
    reset: () => meter.reset(),
  };
  // The table's stream (dynalite has none): the stand-in in front of the metered engine, so what the
  // recorder writes reaches record-delivery-changes as on AWS, and the consumer's units are metered too.
  const tableStream = await startTableStream(dynamo.endpoint);
  const awsCalls = counter();
  const stub = await startStubAws(awsCalls);
  const slackSink = await startSlackSink();
  const tableName = 'bench-history';
  const rawClient = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const template = loadTemplate();
  await rawClient.send(
    new CreateTableCommand({ TableName: tableName, ...tableDefinition(template) } as CreateTableCommandInput),
  );

  // ---- 1. bundles
  progress('building bundles');
  const outDir = mkdtempSync(join(tmpdir(), 'pcp-bench-'));
  const built = await buildFunctions({ outDir });
  const recorderDefinition = serverlessFunctions(template).find(
    (fn) => fn.logicalId === 'RecordExecutionFunction',
  );
  if (!recorderDefinition) throw new Error('template has no RecordExecutionFunction');

  // ---- 2. cold init in fresh processes
  const { resolve } = createResolver(template, tableName);
  const childEnv = (env: Record<string, string>) => ({
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_DYNAMODB: tableStream.endpoint,
    AWS_ENDPOINT_URL: stub.endpoint,
    POWERTOOLS_METRICS_DISABLED: 'true',
    // The template's NODE_OPTIONS (source maps off unless EnableSourceMaps) come with `env`, as deployed.
    ...env,
    // As deployed with the Slack app: the stub answers the secret, the local sink stands in for Slack.
    SLACK_API_URL: slackSink.url,
    SLACK_SECRET_ARN: BENCH_SLACK_SECRET_ARN,
    // As deployed with both CI endpoints on: the stub answers the secrets their samples are signed with.
    GITHUB_WEBHOOK_SECRET_ARN: BENCH_GITHUB_WEBHOOK_SECRET_ARN,
    CI_WEBHOOK_SECRET_ARN: BENCH_CI_WEBHOOK_SECRET_ARN,
    // The sample and demo events come from this account: the bench measures a hub recording its own account
    // (another account's calls would assume a spoke role first).
    HUB_ACCOUNT_ID: BENCH_EVENTS_ACCOUNT,
  });
  // Asynchronous spawn: dynalite and the AWS stub live in this process and must keep answering.
  const runChild = (bundle: string, event: unknown, env: Record<string, string>) =>
    new Promise<string>((resolveRun) => {
      const child = spawn(
        process.execPath,
        [join(ROOT, 'bench', 'measure-cold-start.mjs'), pathToFileURL(bundle).href, JSON.stringify(event)],
        { env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('close', () => resolveRun(stderr));
    });
  type ColdSample = {
    importMs: number;
    invokeMs: number;
    totalMs: number;
    rssMb: number;
    baselineSent?: Record<string, number>;
  };
  const coldSample = async (bundle: string, event: unknown, env: Record<string, string>) => {
    const stderr = await runChild(bundle, event, env);
    const line = stderr.split('\n').find((candidate) => candidate.startsWith('BENCH '));
    if (!line) throw new Error(`cold start of ${bundle} failed:\n${stderr.slice(-2000)}`);
    return JSON.parse(line.slice('BENCH '.length)) as ColdSample;
  };
  const summarise = (samples: ColdSample[]) => ({
    importMs: round(median(samples.map((sample) => sample.importMs))),
    invokeMs: round(median(samples.map((sample) => sample.invokeMs))),
    totalMs: round(median(samples.map((sample) => sample.totalMs))),
    totalP10Ms: round(
      quantile(
        samples.map((sample) => sample.totalMs),
        0.1,
      ),
    ),
    totalP90Ms: round(
      quantile(
        samples.map((sample) => sample.totalMs),
        0.9,
      ),
    ),
    rssMb: round(median(samples.map((sample) => sample.rssMb))),
  });
  /**
   * One function against its own baseline: a first run records the AWS calls the function makes on its event
   * (and warms the file cache), then function and baseline run in turn, A B A B …, each pair on the same
   * machine state, and the ratio is the median of the pairs' ratios.
   */
  const measurePaired = async (
    definition: FunctionDefinition,
    bundle: string,
    event: unknown,
    env: Record<string, string>,
  ) => {
    awsCalls.reset();
    dynamoRequests.reset();
    await coldSample(bundle, event, env);
    const calls = { ...awsCalls.byTarget, ...dynamoRequests.byTarget };
    const baseline = await buildFunctionBaseline(definition, outDir, calls);
    const own: ColdSample[] = [];
    const base: ColdSample[] = [];
    for (let run = 0; run < runs; run++) {
      own.push(await coldSample(bundle, event, env));
      base.push(await coldSample(baseline, event, env));
    }
    return {
      cold: summarise(own),
      baseline: { ...summarise(base), functionCalls: calls, replayedCalls: base[0]?.baselineSent ?? {} },
      ratio: round(
        median(own.map((sample, index) => sample.totalMs / (base[index] as ColdSample).totalMs)),
        2,
      ),
    };
  };
  progress(`cold starts: ${runs} fresh process pairs per function (function, its own baseline)`);
  const functions = [];
  for (const fn of built.sort((a, b) => a.logicalId.localeCompare(b.logicalId))) {
    const definition = serverlessFunctions(template).find(
      (candidate) => candidate.logicalId === fn.logicalId,
    );
    if (!definition) continue;
    const event = sampleEventFor(definition.entryPoint);
    const env = functionEnvironment(template, definition, resolve);
    const paired = event === undefined ? undefined : await measurePaired(definition, fn.bundle, event, env);
    // Each function's figures as soon as they are measured: on a loaded machine the later sections take long.
    if (paired)
      progress(
        `  ${fn.logicalId}: total ${paired.cold.totalMs} ms (import ${paired.cold.importMs}, first event ${paired.cold.invokeMs}), own baseline ${paired.baseline.totalMs} ms, × ${paired.ratio}`,
      );
    functions.push({
      function: fn.logicalId,
      bundleKb: round(fn.bytes / 1024),
      composition: await bundleComposition(definition, outDir),
      cold: paired?.cold ?? null,
      baseline: paired?.baseline ?? null,
      coldRatioToBaseline: paired?.ratio ?? null,
      note: paired ? undefined : 'no sample event in events/<folder>/',
    });
  }

  // ---- 3. recorder throughput (in this process, through the bundle, into dynalite)
  progress(`recorder throughput: demo scenario x${copies}`);
  // As deployed: the template's log level and EMF metrics on, so the log bytes an event costs are measured
  // (captured and counted, not printed) rather than estimated.
  const templateParameters = (template as { Parameters?: Record<string, { Default?: unknown }> }).Parameters;
  /** A function's bundle imported into this process with its template environment, as deployed. */
  const importDeployed = async (definition: FunctionDefinition) => {
    Object.assign(process.env, childEnv(functionEnvironment(template, definition, resolve)), {
      POWERTOOLS_LOG_LEVEL: String(templateParameters?.LogLevel?.Default ?? 'INFO'),
      POWERTOOLS_METRICS_DISABLED: 'false',
    });
    const bundle = built.find((fn) => fn.logicalId === definition.logicalId)?.bundle ?? '';
    return (await import(pathToFileURL(bundle).href)) as {
      handler: (event: unknown, context: unknown) => Promise<unknown>;
    };
  };
  const recorder = await importDeployed(recorderDefinition);
  const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 30_000 };
  // record-delivery-changes as deployed (its bundle, the template's environment), fed by the stream stand-in.
  const consumerDefinition = serverlessFunctions(template).find(
    (fn) => fn.logicalId === 'RecordDeliveryChangesFunction',
  );
  if (!consumerDefinition) throw new Error('template.yaml has no RecordDeliveryChangesFunction');
  const consumerSource = streamSourceOf('RecordDeliveryChangesFunction', template);
  const consumer = await importDeployed(consumerDefinition);
  const consumerInvocations = { count: 0, records: 0 };
  const delivery: StreamDelivery = createStreamDelivery(tableStream, [
    {
      source: consumerSource,
      handler: async (event) => {
        consumerInvocations.count += 1;
        consumerInvocations.records += event.Records.length;
        return (await consumer.handler(event, context)) as never;
      },
    },
  ]);
  // Whatever the cold starts' first events left in the stream is not this section's.
  tableStream.take(Number.MAX_SAFE_INTEGER);
  const events = demoEventCopies(copies);
  // ---- 3c. the engine's floor: PutItem alone, items the size of an execution, same engine, same process.
  // Through the stream stand-in too (not capturing), so the floor's requests take the recorder's path.
  const floorClient = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: tableStream.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    }),
  );
  // One copy recorded untimed first (other ids), so both start warm and the floor writes items the size of the
  // largest execution item the recorder wrote.
  await capturedOutput(async () => {
    for (const event of demoEventCopies(1, 500)) await recorder.handler(event, context);
  });
  tableStream.take(Number.MAX_SAFE_INTEGER);
  const { Items: sampled = [] } = await floorClient.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: 'itemType = :type',
      ExpressionAttributeValues: { ':type': 'execution' },
    }),
  );
  const floorItem = sampled.sort((a, b) => JSON.stringify(b).length - JSON.stringify(a).length)[0] ?? {};
  dynamoRequests.reset();
  awsCalls.reset();
  // Timed without the meter's exact index accounting (its before/after reads would slow the recorder's many
  // small writes more than the floor's one PutItem); units are counted in the pass below.
  // The stream stand-in's before and after reads are off too: on AWS, DynamoDB writes the stream.
  meter.indexAccounting = false;
  tableStream.capturing = false;
  // Interleaved, as the cold starts are: a tenth of the demo's events through the recorder, then as many
  // PutItems, ten times; the ratio is the median of the rounds', so the machine's drift mostly cancels.
  const rounds = 10;
  const perRound = Math.ceil(events.length / rounds);
  const roundRatios: number[] = [];
  const updateFloorRatios: number[] = [];
  let floorUpdates = 0;
  let updateFloorSeconds = 0;
  const recorderRequests: Record<string, number> = {};
  const logged = { bytes: 0, bytesByKind: {} as Record<string, number> };
  let throughputSeconds = 0;
  let floorSeconds = 0;
  let floorPuts = 0;
  for (let pass = 0; pass < rounds; pass++) {
    const slice = events.slice(pass * perRound, (pass + 1) * perRound);
    if (!slice.length) break;
    const before = { ...dynamoRequests.byTarget };
    const recorderStart = performance.now();
    const output = await capturedOutput(async () => {
      for (const event of slice) await recorder.handler(event, context);
    });
    const recorderSeconds = (performance.now() - recorderStart) / 1000;
    for (const [target, count] of Object.entries(dynamoRequests.byTarget))
      recorderRequests[target] = (recorderRequests[target] ?? 0) + count - (before[target] ?? 0);
    logged.bytes += output.bytes;
    for (const [kind, bytes] of Object.entries(output.bytesByKind))
      logged.bytesByKind[kind] = (logged.bytesByKind[kind] ?? 0) + bytes;
    const floorStart = performance.now();
    for (let index = 0; index < slice.length; index++) {
      await floorClient.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...floorItem, pk: `FLOOR#${floorPuts++}`, sk: 'FLOOR' },
        }),
      );
    }
    const roundFloorSeconds = (performance.now() - floorStart) / 1000;
    // For context, not the target: what one event costs at the least a register design pays, one conditional
    // UpdateItem returning the item before (a stage result's shape) on a new item, through the same path.
    const updateStart = performance.now();
    for (let index = 0; index < slice.length; index++) {
      const at = new Date(Date.UTC(2026, 10, 1) + index * 1000).toISOString();
      await floorClient.send(
        new UpdateCommand(registerWriteOf(tableName, `FLOOR-UPDATE#${floorUpdates++}`, at)),
      );
    }
    const roundUpdateSeconds = (performance.now() - updateStart) / 1000;
    throughputSeconds += recorderSeconds;
    floorSeconds += roundFloorSeconds;
    updateFloorSeconds += roundUpdateSeconds;
    roundRatios.push(slice.length / recorderSeconds / (slice.length / roundFloorSeconds));
    updateFloorRatios.push(roundUpdateSeconds / recorderSeconds);
  }
  meter.indexAccounting = true;
  tableStream.capturing = true;
  const newExecutions = Object.keys(demoScenario.sourceRevisions).length * copies;
  const requestsPerEvent = Object.fromEntries(
    Object.entries(recorderRequests).map(([target, count]) => [target, round(count / events.length, 3)]),
  );
  dynamoRequests.reset();
  // Captured like the passes above: a repeated event's metric line is the recorder's output, not the bench's.
  await capturedOutput(async () => {
    for (const event of events.slice(0, 200)) await recorder.handler(event, context);
  });
  // Duplicates change nothing: no stream record, nothing for the consumer.
  const duplicateStreamRecords = tableStream.take(Number.MAX_SAFE_INTEGER).length;
  const duplicateRequests = Object.fromEntries(
    Object.entries(dynamoRequests.byTarget).map(([target, count]) => [target, round(count / 200, 3)]),
  );
  const throughput = {
    events: events.length,
    eventsPerSecond: round(events.length / throughputSeconds),
    dynamoRequestsPerEvent: requestsPerEvent,
    writesPerEvent: round((requestsPerEvent.PutItem ?? 0) + (requestsPerEvent.UpdateItem ?? 0), 3),
    getPipelineExecutionPerNewExecution: round(
      (awsCalls.byTarget.GetPipelineExecution ?? 0) / newExecutions,
      3,
    ),
    dynamoRequestsPerDuplicateEvent: duplicateRequests,
    streamRecordsOfDuplicates: duplicateStreamRecords,
  };

  // The template's batching window over the events' own times: what the recorder writes within it reaches
  // record-delivery-changes as one batch (a time before the batch's first, as when a demo copy starts the
  // demo's clock again, opens a new one).
  const batchingWindow = () => {
    const windowMs = consumerSource.maximumBatchingWindowSeconds * 1000;
    let openedAt: number | undefined;
    return {
      async closeIfPast(time: string) {
        const at = Date.parse(time);
        if (openedAt !== undefined && (at - openedAt > windowMs || at < openedAt)) {
          await delivery.drain();
          openedAt = undefined;
        }
        openedAt ??= at;
      },
    };
  };
  // The demo again under fresh ids, metered in units this time (the pass above counted requests), with
  // record-delivery-changes fed by the stream: `deliver` says when the stream's changes reach it.
  const unitsOfDemoPass = async (first: number, deliver: 'window' | 'every event') => {
    const fresh = demoEventCopies(copies, first);
    meter.reset();
    consumerInvocations.count = 0;
    consumerInvocations.records = 0;
    const batches = batchingWindow();
    await capturedOutput(async () => {
      for (const event of fresh) {
        if (deliver === 'window') await batches.closeIfPast(String(event.time));
        await recorder.handler(event, context);
        if (deliver === 'every event') await delivery.drain();
      }
      await delivery.drain();
    });
    return {
      // record-delivery-changes' part is in these units (its reads, the DORA fact writes).
      streamRecordsPerEvent: round(consumerInvocations.records / fresh.length, 3),
      consumerInvocationsPerEvent: round(consumerInvocations.count / fresh.length, 3),
      write: round(meter.writeUnits / fresh.length, 3),
      read: round(meter.readUnits / fresh.length, 3),
      // Where an event's units go: by the kind of item written (table and indexes; the indexes' part
      // apart) and by operation and the kind of item read.
      writeByItem: perEventOf(meter.writeUnitsByItem, fresh.length),
      indexWriteByItem: perEventOf(meter.indexWriteUnitsByItem, fresh.length),
      readByItem: perEventOf(meter.readUnitsByItem, fresh.length),
    };
  };
  const demoWriteUnitsPerEvent = {
    ...(await unitsOfDemoPass(1000, 'window')),
    delivered: `in batches of what the stream gathers within the template's window (${consumerSource.maximumBatchingWindowSeconds} s) of the events' own times`,
    // A quiet stream, each event's changes a batch of their own: the most record-delivery-changes costs.
    eachEventItsOwnBatch: await unitsOfDemoPass(3000, 'every event'),
  };

  // ---- 3a. record-delivery-changes: the stream of a demo pass read as Lambda reads a busy stream (batches of
  // the template's size), timed apart from the recorder; its units are in the unit passes.
  progress('record-delivery-changes: the stream of a demo pass, in batches');
  const consumerThroughput = await (async () => {
    const later = demoEventCopies(copies, 2000);
    meter.indexAccounting = false;
    await capturedOutput(async () => {
      for (const event of later) await recorder.handler(event, context);
    });
    const streamRecords = tableStream.pending;
    consumerInvocations.count = 0;
    consumerInvocations.records = 0;
    meter.reset();
    const consumerStart = performance.now();
    const consumerLogged = await capturedOutput(() => delivery.drain());
    const seconds = (performance.now() - consumerStart) / 1000;
    meter.indexAccounting = true;
    return {
      events: later.length,
      streamRecords,
      invocations: consumerInvocations.count,
      eventsPerSecond: round(later.length / seconds),
      streamRecordsPerSecond: round(streamRecords / seconds),
      msPerInvocation: round((seconds * 1000) / Math.max(1, consumerInvocations.count), 2),
      msPerEvent: round((seconds * 1000) / later.length, 3),
      logBytesPerEvent: round(consumerLogged.bytes / later.length, 1),
      // Its own units, batched so: the unit passes above deliver each event's changes alone (the most it costs).
      writeUnitsPerEvent: round(meter.writeUnits / later.length, 3),
      readUnitsPerEvent: round(meter.readUnits / later.length, 3),
      failedBatches: delivery.failed.length,
      note: "The recorder's events of a demo pass recorded first, then their stream delivered in the template's batches (the grouping a busy or lagging stream gets); Lambda's polling and batching window are not timed.",
    };
  })();

  // ---- 3b. write units per event as executions grow, and with parallel actions
  progress('write units per event: 5, 20, 100, 300 actions and 30 parallel actions');
  let syntheticStart = Date.parse('2026-06-01T00:00:00Z');
  const unitsPerEvent = async (shape: { actions: number; parallelActions?: number }, executions: number) => {
    meter.reset();
    let sent = 0;
    for (let index = 0; index < executions; index++) {
      syntheticStart += 3_600_000;
      const execution = syntheticExecution('bench-shape', { ...shape, startAt: syntheticStart });
      const batches = batchingWindow();
      await capturedOutput(async () => {
        for (const step of execution.steps) {
          await batches.closeIfPast(String(step.parallel[0]?.time));
          await Promise.all(step.parallel.map((event) => recorder.handler(event, context)));
        }
        await delivery.drain();
      });
      sent += eventCount(execution);
    }
    return {
      events: sent,
      writeUnitsPerEvent: round(meter.writeUnits / sent, 3),
      readUnitsPerEvent: round(meter.readUnits / sent, 3),
      // Writes whose condition failed (a stale or repeated register, a lost race), per event.
      failedConditionsPerEvent: round(
        Object.entries(meter.writeUnitsByItem)
          .filter(([kind]) => kind.endsWith('(condition failed)'))
          .reduce((sum, [, units]) => sum + units, 0) / sent,
        3,
      ),
    };
  };
  const byActions: Record<string, Awaited<ReturnType<typeof unitsPerEvent>>> = {};
  for (const actions of [5, 20, 100, 300]) {
    byActions[actions] = await unitsPerEvent(
      { actions },
      actions >= 100 ? (values.quick ? 1 : 2) : values.quick ? 3 : 10,
    );
  }
  const parallel30 = await unitsPerEvent({ actions: 34, parallelActions: 30 }, values.quick ? 2 : 5);

  const writeUnits = {
    demo: demoWriteUnitsPerEvent,
    byActions,
    parallel30,
    note: 'Units as the engine charges them (ReturnConsumedCapacity) for the table, plus each GSI write as DynamoDB charges it (the item read before and after each write: an index write when the item enters, leaves or changes there); a failed conditional write counts 1 unit.',
  };
  const engineFloor = {
    putItemsPerSecond: round(floorPuts / floorSeconds),
    recorderEventsPerSecond: throughput.eventsPerSecond,
    ratio: round(median(roundRatios), 3),
    roundRatios: roundRatios.map((ratio) => round(ratio, 3)),
    note: 'The median of ten interleaved rounds: a tenth of the demo through the recorder, then as many PutItems of its largest execution item; both through the stream stand-in (not capturing) and the meter (no index accounting).',
    // Not the target's floor: the recorder against one conditional UpdateItem per event, what any design that
    // keeps a register per item with no read before it pays at least on this engine.
    oneUpdateItemPerEvent: {
      updateItemsPerSecond: round(floorUpdates / updateFloorSeconds),
      ratio: round(median(updateFloorRatios), 3),
      putItemRatio: round(
        median(roundRatios.map((ratio, index) => ratio / (updateFloorRatios[index] ?? 1))),
        3,
      ),
      note: 'The same rounds, a third leg: as many conditional UpdateItems (SET the register and its status, ADD the event time, condition on the register, ReturnValues ALL_OLD) on new items. ratio: recorder events per second over these; putItemRatio: these over the PutItem floor, the most a recorder of one such write per event could reach of it here.',
    },
  };

  // ---- 4. read cost over many executions
  progress(`read cost: recording ${executionCount} executions`);
  const readUnits = { total: 0 };
  const documentClient = DynamoDBDocumentClient.from(rawClient, {
    marshallOptions: { removeUndefinedValues: true },
  });
  documentClient.middlewareStack.add(
    (next) => async (args) => {
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity;
      readUnits.total += consumed?.CapacityUnits ?? 0;
      return result;
    },
    { step: 'initialize', name: 'countCapacity' },
  );
  const readTable = 'bench-read-cost';
  await rawClient.send(
    new CreateTableCommand({ TableName: readTable, ...tableDefinition(template) } as CreateTableCommandInput),
  );
  const BENCH_HUB = hubScopeFromEnvironment();
  const store = createHistoryStore({
    client: documentClient,
    tableName: readTable,
    retentionDays: 400,
    hub: BENCH_HUB,
  });
  // The clock the simulated year runs on: each fact is written at its execution's start, and the packer runs
  // at the end of every day, as the recorder and the daily schedule would have.
  let simulatedNow = 0;
  const facts = createDeliveryFactsStore({
    client: documentClient,
    tableName: readTable,
    retentionDays: 400,
    hub: BENCH_HUB,
    now: () => simulatedNow,
  });
  const packer = createDeliveryFactsPacker({
    client: documentClient,
    tableName: readTable,
    retentionDays: 400,
    now: () => simulatedNow,
  });
  const pipelines = 20;
  // 400 days of history, so a 365-day report (plus its 7-day margins) reads a full year.
  const historyDays = 400;
  const day0 = Date.parse('2025-10-01T00:00:00Z');
  let executionBytes = 0;
  const recordExecution = async (index: number) => {
    const pipeline = `pipeline-${index % pipelines}`;
    const startTime = new Date(
      day0 + Math.floor((index / executionCount) * historyDays * 86_400_000),
    ).toISOString();
    const executionId = `exec-${index}`;
    const stages = ['Source', 'Build', 'Staging', 'Production'];
    let record = mergeExecution(undefined, {
      kind: 'pipeline',
      pipeline,
      executionId,
      at: startTime,
      startTime,
      status: { status: index % 7 === 0 ? 'FAILED' : 'SUCCEEDED', statusAt: startTime, attempt: 1 },
      trigger: { authorDate: new Date(Date.parse(startTime) - 3_600_000).toISOString() },
    });
    const failed = index % 7 === 0;
    for (const [position, stage] of stages.entries()) {
      // Stage results too, so the DORA queries below find deployments (the last stage) and failures.
      const stageAt = new Date(Date.parse(startTime) + (position + 1) * 60_000).toISOString();
      const stageFailed = failed && stage === 'Production';
      record = mergeExecution(record, {
        kind: 'stage',
        pipeline,
        executionId,
        at: stageAt,
        stage,
        status: { status: stageFailed ? 'FAILED' : 'SUCCEEDED', statusAt: stageAt, attempt: 1 },
      });
      // Three actions a stage with ids and summaries, as CodePipeline reports them: about 4 KB an execution.
      for (let action = 1; action <= 3; action++) {
        record = mergeExecution(record, {
          kind: 'action',
          pipeline,
          executionId,
          at: startTime,
          stage,
          action: `${stage}-${action}`,
          record: {
            status: 'SUCCEEDED',
            statusAt: startTime,
            attempt: 1,
            provider: 'CodeBuild',
            category: 'Build',
            actionExecutionId: `${executionId}-${stage}-${action}-0123456789abcdef0123`,
            externalExecutionId: `bench-project:${executionId}-${stage}-${action}`,
            externalExecutionUrl: `https://console.aws.amazon.com/codesuite/codebuild/projects/bench/build/${executionId}-${stage}-${action}`,
            summary: 'Build succeeded: 412 tests passed, 0 failed; artifacts uploaded. '.repeat(2),
          },
        });
      }
    }
    executionBytes += Buffer.byteLength(JSON.stringify(record));
    const result = await store.mergeExecution(pipeline, executionId, () => record);
    if (result.created) await store.notePipeline(pipeline, startTime);
    const factWrite = factWriteFor(undefined, result.record, undefined);
    if (factWrite) await facts.write(factWrite);
  };
  // What DynamoDB's TTL does in time (the engine has none): fact items past their expiry are deleted. Weekly
  // and at the end, so the nightly packer reads up to six days of expired facts more than on AWS (its read
  // units are slightly overstated); TTL deletes are free, so they are not counted.
  const expireFacts = async () => {
    for (let p = 0; p < pipelines; p++) {
      const pk = factKeys.pipeline({ ...BENCH_HUB, pipeline: `pipeline-${p}` });
      const items = await queryAllPages(documentClient, {
        TableName: readTable,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'expiresAt <= :now',
        ExpressionAttributeValues: { ':pk': pk, ':now': Math.floor(simulatedNow / 1000) },
      });
      for (const item of items) {
        await documentClient.send(
          new DeleteCommand({ TableName: readTable, Key: { pk: item.pk, sk: item.sk } }),
        );
      }
    }
  };
  const packing = { readUnits: 0, writeUnits: 0, runs: 0, packedItemsWritten: 0 };
  let nextIndex = 0;
  for (let day = 0; day < historyDays; day++) {
    const dayEnd = day0 + (day + 1) * 86_400_000;
    const todays: number[] = [];
    while (
      nextIndex < executionCount &&
      day0 + (nextIndex / executionCount) * historyDays * 86_400_000 < dayEnd
    ) {
      todays.push(nextIndex++);
    }
    const worker = async () => {
      for (let index = todays.shift(); index !== undefined; index = todays.shift()) {
        simulatedNow = Math.max(
          simulatedNow,
          day0 + Math.floor((index / executionCount) * historyDays * 86_400_000),
        );
        await recordExecution(index);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    simulatedNow = dayEnd;
    const before = { read: meter.readUnits, write: meter.writeUnits };
    for (let p = 0; p < pipelines; p++) {
      const outcome = await packer.pack({ ...BENCH_HUB, pipeline: `pipeline-${p}` });
      packing.packedItemsWritten += outcome.packedItemsWritten;
    }
    packing.runs += 1;
    packing.readUnits += meter.readUnits - before.read;
    packing.writeUnits += meter.writeUnits - before.write;
    if (day % 7 === 6 || day === historyDays - 1) await expireFacts();
    if (day % 50 === 0) progress(`  day ${day}/${historyDays}: ${nextIndex}/${executionCount} executions`);
  }
  const unitsOf = async (work: () => Promise<unknown>) => {
    readUnits.total = 0;
    await work();
    return round(readUnits.total, 1);
  };
  const scanUnits = await unitsOf(async () => {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documentClient.send(
        new ScanCommand({ TableName: readTable, ExclusiveStartKey: startKey }),
      );
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  });
  const latestPage = await unitsOf(() => store.listExecutions('pipeline-3', { limit: 25 }));
  const lastWeekOnePipeline = await unitsOf(() =>
    store.listExecutions('pipeline-3', {
      from: '2026-10-25T00:00:00.000Z',
      to: '2026-11-01T00:00:00.000Z',
      limit: 100,
    }),
  );
  const fullHistoryOnePipeline = await unitsOf(async () => {
    let cursor: string | undefined;
    do {
      const page = await store.listExecutions('pipeline-3', { limit: 100, cursor });
      cursor = page.nextCursor;
    } while (cursor);
  });
  const pipelineList = await unitsOf(() => store.listPipelines());
  // GET /metrics/dora over 30 days (plus the 7-day margins it reads on either side).
  // GET /metrics/dora over 30, 90 and 365 days (plus the 7-day margins it reads on either side).
  const doraConfig = { PRODUCTION_STAGES: {}, CHANGE_FAILURE_WINDOW_HOURS: 24 };
  const noIncidents = async () => [];
  const doraTo = '2026-11-01T00:00:00.000Z';
  const dora: Record<
    string,
    { readUnits: number; ratioToScan: number; milliseconds: number; heapMb: number; deployments: number }
  > = {};
  for (const days of [30, 90, 365]) {
    const query = {
      from: new Date(Date.parse(doraTo) - days * 86_400_000).toISOString(),
      to: doraTo,
      bucket: 'day' as const,
    };
    let report: Awaited<ReturnType<typeof readDoraMetrics>> | undefined;
    const heapBefore = process.memoryUsage().heapUsed;
    const doraStarted = performance.now();
    const units = await unitsOf(async () => {
      report = await readDoraMetrics({ history: store, facts }, noIncidents, doraConfig, query);
    });
    dora[`${days}DaysAllPipelines`] = {
      readUnits: units,
      ratioToScan: round(units / scanUnits, 4),
      milliseconds: round(performance.now() - doraStarted, 0),
      heapMb: round((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20),
      deployments: report?.overall.deployments ?? 0,
    };
  }
  const readCost = {
    executions: executionCount,
    pipelines,
    historyDays,
    averageExecutionItemBytes: round(executionBytes / executionCount, 0),
    fullScanReadUnits: scanUnits,
    queries: {
      latest25OnePipeline: { readUnits: latestPage, ratioToScan: round(latestPage / scanUnits, 4) },
      lastWeekOnePipeline: {
        readUnits: lastWeekOnePipeline,
        ratioToScan: round(lastWeekOnePipeline / scanUnits, 4),
      },
      fullHistoryOnePipeline: {
        readUnits: fullHistoryOnePipeline,
        ratioToScan: round(fullHistoryOnePipeline / scanUnits, 4),
      },
      listPipelines: { readUnits: pipelineList, ratioToScan: round(pipelineList / scanUnits, 4) },
    },
    dora,
    doraNote:
      "GET /metrics/dora from the rollups as they stand after a simulated year: each fact written on its execution's day, the packer run at the end of every day, TTL applied weekly; heapMb is the heap growth over the call (GC may make it smaller than the peak).",
    packing: {
      nightlyRuns: packing.runs,
      packedItemsWritten: packing.packedItemsWritten,
      readUnits: round(packing.readUnits, 1),
      writeUnits: round(packing.writeUnits, 1),
      readUnitsPerExecution: round(packing.readUnits / executionCount, 3),
      writeUnitsPerExecution: round(packing.writeUnits / executionCount, 3),
      note: 'Every night of the simulated year, all 20 pipelines packed (one Query each, and a PutItem per month that changed); units as the engine charged them.',
    },
  };

  // ---- 5. Slack interaction latency (the local control plane in this process: dynalite, outbox, Slack sink)
  progress(`slack interactions: ${slackRequests} signed Approve clicks`);
  const slack = await measureSlackInteractions(slackRequests);

  // ---- 6. Console page weight: one self-contained response, no framework, no further assets but API JSON.
  const page = consolePage();
  const consolePageWeight = { bytes: Buffer.byteLength(page), gzipBytes: gzipSync(page).byteLength };

  // The recorder's cost per million events, from this run's units and handler time, at public prices.
  const tracingDefault = String(
    (template as { Parameters?: Record<string, { Default?: unknown }> }).Parameters?.Tracing?.Default ??
      'Active',
  );
  const recorderMemoryMb = Number(
    recorderDefinition.properties.MemorySize ?? template.Globals?.Function?.MemorySize ?? 256,
  );
  // `units`: the demo pass the figure is of (batches over the template's window, or each event's alone).
  const costOf = (units: { write: number; read: number; consumerInvocationsPerEvent: number }) =>
    costPerMillionEvents({
      writeUnits: units.write,
      readUnits: units.read,
      durationMs: 1000 / throughput.eventsPerSecond,
      memoryMb: recorderMemoryMb,
      // Measured: everything the recorder wrote to stdout and stderr over the demo at the template's LogLevel
      // (warnings, an EMF document for an event that changed nothing); Lambda's own platform lines are below
      // SystemLogLevel WARN.
      logBytes: logged.bytes / events.length,
      tracingActive: tracingDefault === 'Active',
      // The simulated year's packing per execution, over the demo's events per execution.
      packingWriteUnits: readCost.packing.writeUnitsPerExecution / (events.length / newExecutions),
      packingReadUnits: readCost.packing.readUnitsPerExecution / (events.length / newExecutions),
      // Invocations as many as the unit pass made, handler time as the batched pass measured it.
      deliveryChanges: {
        invocationsPerEvent: units.consumerInvocationsPerEvent,
        msPerEvent: consumerThroughput.msPerEvent,
        memoryMb: Number(
          consumerDefinition.properties.MemorySize ?? template.Globals?.Function?.MemorySize ?? 256,
        ),
        logBytesPerEvent: consumerThroughput.logBytesPerEvent,
      },
    });
  const cost = costOf(demoWriteUnitsPerEvent);
  const coldRatios = functions.flatMap((fn) =>
    fn.coldRatioToBaseline === null ? [] : [fn.coldRatioToBaseline],
  );
  const summary = {
    writeUnitsPerEvent: demoWriteUnitsPerEvent.write,
    writeUnitsPerEventAt300Actions: byActions[300]?.writeUnitsPerEvent ?? null,
    writeUnitsPerEventParallel30: parallel30.writeUnitsPerEvent,
    doraReadShareOfScan30d: dora['30DaysAllPipelines']?.ratioToScan ?? null,
    doraReadShareOfScan365d: dora['365DaysAllPipelines']?.ratioToScan ?? null,
    recorderThroughputToEngineFloor: engineFloor.ratio,
    worstColdInitRatio: coldRatios.length ? Math.max(...coldRatios) : null,
    // What a cold start loads (the entry and its static chunks); chunks behind `import(…)` are the next field.
    maxNonSdkBundleKb: Math.max(...functions.map((fn) => fn.composition.nonSdkKb)),
    maxLazyNonSdkKb: Math.max(...functions.map((fn) => fn.composition.lazy.nonSdkKb)),
    costPerMillionEventsUsd: cost.usd,
  };

  const results = {
    summary,
    measuredAt: new Date().toISOString(),
    machine: {
      node: process.version,
      cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
      loadAverageAtStart,
      loadAverageAtEnd: loadavg().map((value) => round(value, 2)),
      note: 'Shared 2-core machine: compare ratios and medians, not absolute times. Cold starts are local Node processes on x86_64, not Lambda arm64 microVMs.',
    },
    runsPerColdStart: runs,
    baselines:
      "per function: its own SDK clients constructed and the same AWS operations sent (empty inputs, in turn) against the same stubs, bundled with the function's options; run interleaved with the function, the ratio is the median of the pairs' ratios",
    functions,
    recorder: { ...throughput, writeUnits, engineFloor },
    recordDeliveryChanges: consumerThroughput,
    costPerMillionEvents: {
      ...cost,
      tracing: tracingDefault,
      memoryMb: recorderMemoryMb,
      note: "The recorder (the function every event reaches), record-delivery-changes (the stream's function: its units are in the recorder's unit pass, its invocations one per event's changes, its handler time from the batched pass) and the nightly packer's DynamoDB units (from the simulated year, per execution, over the demo's events per execution); handler time measured warm in this process, logs measured (stdout and stderr, EMF included); the packer's own Lambda time left out; prices in bench/cost-model.ts.",
      logBytesPerEvent: round(logged.bytes / events.length, 0),
      logBytesPerEventByLine: perEventOf(logged.bytesByKind, events.length),
      devOpsMonitoringDashboard: devOpsDashboardCostPerMillionEvents(),
      // The same with each event's stream changes a batch of their own (a quiet stream: the most it costs).
      eachEventItsOwnBatch: costOf(demoWriteUnitsPerEvent.eachEventItsOwnBatch),
    },
    readCost,
    slackInteractions: slack,
    consolePage: consolePageWeight,
    durationSeconds: round((Date.now() - started) / 1000),
  };
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
  dynamo.close();
  stub.server.close();
  await slackSink.close();
}

/** `--org`: only the organisation-scale section, written under `orgScale` beside the last full run's figures. */
async function runOrgScale(quick: boolean): Promise<void> {
  const dynamo = await startMeteredDynamo();
  const orgScale = await measureOrgScale({
    endpoint: dynamo.endpoint,
    executionsPerPipeline: quick ? 1 : 2,
    progress: (message) => process.stderr.write(`bench: ${message}\n`),
  });
  dynamo.close();
  const path = join(ROOT, 'bench', 'results.json');
  // Beside the last full run's figures when there is one (results.json is not committed).
  const previous = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)
    : {};
  writeFileSync(path, `${JSON.stringify({ ...previous, orgScale }, null, 2)}\n`);
  console.info(JSON.stringify({ record: orgScale.record, dora: orgScale.dora }, null, 2));
}

function printTable(results: {
  functions: {
    function: string;
    bundleKb: number;
    cold: {
      importMs: number;
      invokeMs: number;
      totalMs: number;
      totalP10Ms: number;
      totalP90Ms: number;
      rssMb: number;
    } | null;
    baseline: { totalMs: number } | null;
    coldRatioToBaseline: number | null;
  }[];
  recorder: Record<string, unknown>;
  recordDeliveryChanges: Record<string, unknown>;
  readCost: {
    fullScanReadUnits: number;
    queries: Record<string, { readUnits: number; ratioToScan: number }>;
    dora: Record<string, { readUnits: number; ratioToScan: number; milliseconds: number }>;
    packing: unknown;
  };
  slackInteractions: unknown;
  consolePage: { bytes: number; gzipBytes: number };
  durationSeconds: number;
}): void {
  const lines = [
    `| function | bundle KB | import ms | first event ms | total ms (p10–p90) | own baseline ms | × baseline (paired) | RSS MB |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|`,
    ...results.functions.map((fn) =>
      fn.cold
        ? `| ${fn.function} | ${fn.bundleKb} | ${fn.cold.importMs} | ${fn.cold.invokeMs} | ${fn.cold.totalMs} (${fn.cold.totalP10Ms}–${fn.cold.totalP90Ms}) | ${fn.baseline?.totalMs} | ${fn.coldRatioToBaseline} | ${fn.cold.rssMb} |`
        : `| ${fn.function} | ${fn.bundleKb} | – | – | – | – | – | – |`,
    ),
  ];
  console.info(lines.join('\n'));
  console.info('\nrecorder:', JSON.stringify(results.recorder));
  console.info('\nrecord-delivery-changes:', JSON.stringify(results.recordDeliveryChanges));
  console.info(`\nread units (full Scan ${results.readCost.fullScanReadUnits}):`);
  for (const [name, query] of Object.entries(results.readCost.queries)) {
    console.info(
      `  ${name.padEnd(24)} ${String(query.readUnits).padStart(8)} RU  (${(query.ratioToScan * 100).toFixed(2)} % of a Scan)`,
    );
  }
  for (const [name, report] of Object.entries(results.readCost.dora)) {
    console.info(
      `  DORA ${name.padEnd(19)} ${String(report.readUnits).padStart(8)} RU  (${(report.ratioToScan * 100).toFixed(2)} % of a Scan, ${report.milliseconds} ms)`,
    );
  }
  console.info(`  DORA packing over the year: ${JSON.stringify(results.readCost.packing)}`);
  console.info(`\nslack interactions: ${JSON.stringify(results.slackInteractions)}`);
  console.info(`\nconsole page: ${JSON.stringify(results.consolePage)}`);
  console.info(`\nwrote bench/results.json in ${results.durationSeconds} s`);
}

/**
 * p50/p99 of the slack-interactions handler for a signed Approve click on a pending request: signature
 * check, policy, conditional decision in dynalite, PutApprovalResult (outbox) and chat.update (Slack sink).
 * Requests are created first through request-approval, as an SNS notification would.
 */
async function measureSlackInteractions(requests: number) {
  const { startLocalControlPlane } = await import('../local/control-plane');
  const { signSlackRequest } = await import(
    '../functions/approvals/slack-interactions/verify-slack-signature'
  );
  const { APPROVE_ACTION_ID } = await import('../functions/approvals/adapters/approval-messages');
  // Earlier sections pointed the environment at their own stand-ins; the control plane brings its own.
  for (const name of Object.keys(process.env)) if (!(name in ORIGINAL_ENV)) delete process.env[name];
  Object.assign(process.env, ORIGINAL_ENV, {
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const controlPlane = await startLocalControlPlane({ port: 0 });
  try {
    const requestApproval = controlPlane.functions.find((fn) => fn.logicalId === 'RequestApprovalFunction');
    const interactions = controlPlane.functions.find((fn) => fn.logicalId === 'SlackInteractionsFunction');
    if (!requestApproval || !interactions) throw new Error('template has no Slack approval functions');
    // The sample SNS delivery of CodePipeline's approval notification (events/request-approval/).
    const notification = JSON.parse(
      readFileSync(join(ROOT, 'events', 'request-approval', 'approval-needed.json'), 'utf8'),
    );
    // A distinct CodePipeline token per request: one token is one approval, however often it is delivered.
    const withToken = (index: number) => {
      const record = notification.Records[0];
      const message = JSON.parse(record.Sns.Message);
      message.approval.token = `${message.approval.token}-${index}`;
      return { Records: [{ ...record, Sns: { ...record.Sns, Message: JSON.stringify(message) } }] };
    };
    for (let index = 0; index < requests; index++) await requestApproval.invoke(withToken(index));
    const approvalIds = controlPlane.slackCalls
      .filter((call) => call.method === 'chat.postMessage')
      .map((call) => {
        const blocks = (call.args.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[];
        return blocks
          .flatMap((block) => block.elements ?? [])
          .find((element) => element.action_id === APPROVE_ACTION_ID)?.value;
      })
      .filter((id): id is string => Boolean(id));
    const latencies: number[] = [];
    for (const approvalId of approvalIds) {
      const body = `payload=${encodeURIComponent(
        JSON.stringify({
          type: 'block_actions',
          user: { id: 'U0LOCAL001' },
          trigger_id: '1.2.3',
          actions: [{ action_id: APPROVE_ACTION_ID, value: approvalId }],
        }),
      )}`;
      const event = {
        version: '2.0',
        rawPath: '/',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...signSlackRequest(body, 'local-dev-signing-secret', Math.floor(Date.now() / 1000)),
        },
        requestContext: { http: { method: 'POST', path: '/' } },
        body,
        isBase64Encoded: false,
      };
      const started = performance.now();
      const response = (await interactions.invoke(event)) as { statusCode?: number };
      latencies.push(performance.now() - started);
      if (response.statusCode !== 200) throw new Error(`click answered ${response.statusCode}`);
    }
    if (latencies.length !== requests) {
      throw new Error(
        `request-approval posted ${latencies.length} requests to the Slack sink, not ${requests}`,
      );
    }
    const decided = controlPlane.outbox.entries.filter((call) => call.command === 'PutApprovalResult').length;
    return {
      requests: latencies.length,
      p50Ms: round(quantile(latencies, 0.5), 2),
      p99Ms: round(quantile(latencies, 0.99), 2),
      maxMs: round(Math.max(...latencies), 2),
      putApprovalResultCalls: decided,
      note: 'Handler from source (tsx) in one warm process; AWS calls answered by the outbox, Slack by the local sink over loopback HTTP.',
    };
  } finally {
    await controlPlane.close();
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
