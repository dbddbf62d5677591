/**
 * `npm run bench`: bundle size, cold init, recorder throughput and DynamoDB requests per event, and read
 * cost, written to bench/results.json and printed as a table. Not part of `npm test`: timings are
 * measurements, never assertions. Every time is reported with its baseline from the same run, and cold
 * starts are medians over fresh processes, because this 2-core machine is shared and noisy.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { build } from 'esbuild';
import { createHistoryStore } from '../functions/history/adapters/history-store';
import { mergeExecution } from '../functions/history/domain/merge-execution';
import { consolePage } from '../functions/read-api/console/console-page';
import { readDoraMetrics } from '../functions/read-api/read-dora-metrics';
import { createResolver, functionEnvironment } from '../local/local-functions';
import { listenOnLoopback } from '../local/loopback';
import { startSlackSink } from '../local/slack-sink';
import { buildFunctions, esbuildOptions } from '../tooling/build';
import { loadTemplate, serverlessFunctions, tableDefinition } from '../tooling/template';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ORIGINAL_ENV = { ...process.env };
const HELP = `Usage: npm run bench -- [--runs N] [--executions N] [--copies N] [--quick]

Measures, and writes bench/results.json:
  bundle size per function; cold init per function (median of N fresh processes, default 10) as a ratio
  to an empty handler importing the same SDK clients; recorder throughput into dynalite with DynamoDB
  requests per event; read units of history queries over --executions recorded executions (default
  10000) against a full Scan. --quick: 5 runs, 2000 executions.
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

async function listen(server: Server): Promise<string> {
  return `http://127.0.0.1:${await listenOnLoopback(server)}`;
}

/** dynalite, counting requests by operation (X-Amz-Target) so requests per event are exact. */
async function startCountingDynamo(requests: Counter): Promise<{ endpoint: string; server: Server }> {
  const server = dynalite({ createTableMs: 0 });
  server.prependListener('request', (request) => {
    const target =
      String(request.headers['x-amz-target'] ?? '')
        .split('.')
        .pop() ?? 'unknown';
    requests.byTarget[target] = (requests.byTarget[target] ?? 0) + 1;
  });
  return { endpoint: await listen(server), server };
}

/** Stands in for CodePipeline, CodeDeploy, SNS, …: answers every JSON-protocol call with `{}`. */
const BENCH_SLACK_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-slack-AbCdEf';

/**
 * The stub's answers by API: GetPipelineExecution a source revision, as CodePipeline does once the source
 * action ran (an empty list means "not yet" and is read again); GetSecretValue the Slack app's secret, with
 * the development signing secret; every other call nothing.
 */
const STUB_ANSWERS: Record<string, unknown> = {
  GetPipelineExecution: {
    pipelineExecution: {
      artifactRevisions: [
        { name: 'Source', revisionId: '0123456789abcdef', revisionSummary: 'bench', created: 1_764_000_000 },
      ],
    },
  },
  GetSecretValue: {
    ARN: BENCH_SLACK_SECRET_ARN,
    Name: 'bench-slack',
    SecretString: JSON.stringify({ botToken: 'xoxb-bench', signingSecret: 'local-dev-signing-secret' }),
  },
};

async function startStubAws(calls: Counter): Promise<{ endpoint: string; server: Server }> {
  const server = createServer((request, response) => {
    const target =
      String(request.headers['x-amz-target'] ?? request.url ?? '')
        .split('.')
        .pop() ?? 'unknown';
    calls.byTarget[target] = (calls.byTarget[target] ?? 0) + 1;
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(STUB_ANSWERS[target] ?? {}));
    });
  });
  return { endpoint: await listen(server), server };
}

const median = (values: number[]) => quantile(values, 0.5);
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
  const [, feature] = entryPoint.split('/');
  const functionFolder = entryPoint.split('/').at(-2) ?? '';
  const folder = feature === 'actions' ? `actions/${functionFolder}` : functionFolder;
  if (folder === 'read-api') {
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
    return first ? JSON.parse(readFileSync(join(ROOT, 'events', folder, first), 'utf8')) : undefined;
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
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const runs = Number(values.runs ?? (values.quick ? 5 : 10));
  const executionCount = Number(values.executions ?? (values.quick ? 2000 : 10_000));
  const copies = Number(values.copies);
  const slackRequests = values.quick ? 200 : 1000;
  const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);
  const started = Date.now();

  const dynamoRequests = counter();
  const awsCalls = counter();
  const dynamo = await startCountingDynamo(dynamoRequests);
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
  await build({
    ...esbuildOptions({ ...recorderDefinition, entryPoint: 'bench/baseline-handler.ts' }, outDir),
    outdir: join(outDir, 'Baseline'),
  });
  const baselineBundle = join(outDir, 'Baseline', 'baseline-handler.mjs');

  // ---- 2. cold init in fresh processes
  const { resolve } = createResolver(template, tableName);
  const childEnv = (env: Record<string, string>) => ({
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL: stub.endpoint,
    SLACK_API_URL: slackSink.url,
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...env,
    // As deployed: the Slack functions read their secret (answered by the stub) and call the local sink.
    SLACK_SECRET_ARN: env.SLACK_SECRET_ARN || BENCH_SLACK_SECRET_ARN,
    NODE_OPTIONS: '',
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
  const measure = async (bundle: string, event: unknown, env: Record<string, string>) => {
    const samples: { importMs: number; invokeMs: number; totalMs: number; rssMb: number }[] = [];
    for (let run = 0; run < runs; run++) {
      const stderr = await runChild(bundle, event, env);
      const line = stderr.split('\n').find((candidate) => candidate.startsWith('BENCH '));
      if (!line) throw new Error(`cold start of ${bundle} failed:\n${stderr.slice(-2000)}`);
      samples.push(JSON.parse(line.slice('BENCH '.length)));
    }
    return {
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
    };
  };
  progress(`cold starts: ${runs} fresh processes per function`);
  const baseline = await measure(baselineBundle, {}, { TABLE_NAME: tableName });
  const functions = [];
  for (const fn of built.sort((a, b) => a.logicalId.localeCompare(b.logicalId))) {
    const definition = serverlessFunctions(template).find(
      (candidate) => candidate.logicalId === fn.logicalId,
    );
    if (!definition) continue;
    const event = sampleEventFor(definition.entryPoint);
    const env = functionEnvironment(template, definition, resolve);
    const cold = event === undefined ? undefined : await measure(fn.bundle, event, env);
    functions.push({
      function: fn.logicalId,
      bundleKb: round(fn.bytes / 1024),
      cold: cold ?? null,
      coldRatioToBaseline: cold ? round(cold.totalMs / baseline.totalMs, 2) : null,
      note: cold ? undefined : 'no sample event in events/<folder>/',
    });
  }

  // ---- 3. recorder throughput (in this process, through the bundle, into dynalite)
  progress(`recorder throughput: demo scenario x${copies}`);
  // Function logs at WARN here: one INFO line per event would flood the terminal (in Lambda it is on).
  Object.assign(process.env, childEnv(functionEnvironment(template, recorderDefinition, resolve)), {
    POWERTOOLS_LOG_LEVEL: 'WARN',
  });
  const recorderBundle = built.find((fn) => fn.logicalId === 'RecordExecutionFunction')?.bundle ?? '';
  const recorder = (await import(pathToFileURL(recorderBundle).href)) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
  const scenario = JSON.parse(readFileSync(join(ROOT, 'events', 'demo', 'scenario.json'), 'utf8')) as {
    events: Record<string, unknown>[];
    sourceRevisions: Record<string, unknown>;
  };
  const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 30_000 };
  const rewrite = (event: Record<string, unknown>, copy: number) => {
    const detail = { ...(event.detail as Record<string, unknown>) };
    if (typeof detail['execution-id'] === 'string')
      detail['execution-id'] = `${detail['execution-id']}-${copy}`;
    if (typeof detail.deploymentId === 'string') detail.deploymentId = `${detail.deploymentId}${copy}`;
    return { ...event, id: `${event.id}-${copy}`, detail };
  };
  const events = Array.from({ length: copies }, (_, copy) =>
    scenario.events.map((event) => rewrite(event, copy)),
  ).flat();
  dynamoRequests.reset();
  awsCalls.reset();
  const throughputStart = performance.now();
  for (const event of events) await recorder.handler(event, context);
  const throughputSeconds = (performance.now() - throughputStart) / 1000;
  const newExecutions = Object.keys(scenario.sourceRevisions).length * copies;
  const requestsPerEvent = Object.fromEntries(
    Object.entries(dynamoRequests.byTarget).map(([target, count]) => [
      target,
      round(count / events.length, 3),
    ]),
  );
  dynamoRequests.reset();
  for (const event of events.slice(0, 200)) await recorder.handler(event, context);
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
  const store = createHistoryStore({ client: documentClient, tableName: readTable, retentionDays: 400 });
  const pipelines = 20;
  const day0 = Date.parse('2026-08-01T00:00:00Z');
  let next = 0;
  const worker = async () => {
    while (next < executionCount) {
      const index = next++;
      const pipeline = `pipeline-${index % pipelines}`;
      const startTime = new Date(day0 + Math.floor((index / executionCount) * 90 * 86_400_000)).toISOString();
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
        record = mergeExecution(record, {
          kind: 'action',
          pipeline,
          executionId,
          at: startTime,
          stage,
          action: stage,
          record: {
            status: 'SUCCEEDED',
            statusAt: startTime,
            attempt: 1,
            provider: 'CodeDeploy',
            category: 'Deploy',
          },
        });
      }
      const result = await store.mergeExecution(pipeline, executionId, () => record);
      if (result.created) await store.notePipeline(pipeline, startTime);
      if (index % 2000 === 0) progress(`  ${index}/${executionCount}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
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
      from: '2026-10-23T00:00:00.000Z',
      to: '2026-10-30T00:00:00.000Z',
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
  const doraQuery = {
    from: '2026-09-30T00:00:00.000Z',
    to: '2026-10-30T00:00:00.000Z',
    bucket: 'day' as const,
  };
  const doraConfig = { PRODUCTION_STAGES: {}, CHANGE_FAILURE_WINDOW_HOURS: 24 };
  const noIncidents = async () => [];
  const doraOnePipeline = await unitsOf(() =>
    readDoraMetrics(store, noIncidents, doraConfig, { ...doraQuery, pipeline: 'pipeline-3' }),
  );
  let doraReportAll: Awaited<ReturnType<typeof readDoraMetrics>> | undefined;
  const doraStarted = performance.now();
  const doraAllPipelines = await unitsOf(async () => {
    doraReportAll = await readDoraMetrics(store, noIncidents, doraConfig, doraQuery);
  });
  const doraAllMs = round(performance.now() - doraStarted, 0);
  const readCost = {
    executions: executionCount,
    pipelines,
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
      dora30DaysOnePipeline: {
        readUnits: doraOnePipeline,
        ratioToScan: round(doraOnePipeline / scanUnits, 4),
      },
      dora30DaysAllPipelines: {
        readUnits: doraAllPipelines,
        ratioToScan: round(doraAllPipelines / scanUnits, 4),
      },
    },
    dora30DaysAllPipelines: {
      milliseconds: doraAllMs,
      deploymentsCounted: doraReportAll?.overall.deployments ?? 0,
    },
  };

  // ---- 5. Slack interaction latency (the local control plane in this process: dynalite, outbox, Slack sink)
  progress(`slack interactions: ${slackRequests} signed Approve clicks`);
  const slack = await measureSlackInteractions(slackRequests);

  // ---- 6. Console page weight: one self-contained response, no framework, no further assets but API JSON.
  const page = consolePage();
  const consolePageWeight = { bytes: Buffer.byteLength(page), gzipBytes: gzipSync(page).byteLength };

  const results = {
    measuredAt: new Date().toISOString(),
    machine: {
      node: process.version,
      cpus: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
      loadAverageAtStart: loadavg().map((value) => round(value, 2)),
      note: 'Shared 2-core machine: compare ratios and medians, not absolute times. Cold starts are local Node processes on x86_64, not Lambda arm64 microVMs.',
    },
    runsPerColdStart: runs,
    baseline: {
      description: 'empty ESM handler importing DynamoDB, DocumentClient and CodePipeline clients',
      ...baseline,
    },
    functions,
    recorder: throughput,
    readCost,
    slackInteractions: slack,
    consolePage: consolePageWeight,
    durationSeconds: round((Date.now() - started) / 1000),
  };
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
  dynamo.server.close();
  stub.server.close();
  await slackSink.close();
}

function printTable(results: {
  baseline: { totalMs: number; importMs: number };
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
    coldRatioToBaseline: number | null;
  }[];
  recorder: Record<string, unknown>;
  readCost: {
    fullScanReadUnits: number;
    queries: Record<string, { readUnits: number; ratioToScan: number }>;
  };
  slackInteractions: unknown;
  consolePage: { bytes: number; gzipBytes: number };
  durationSeconds: number;
}): void {
  const lines = [
    `| function | bundle KB | import ms | first event ms | total ms (p10–p90) | × baseline | RSS MB |`,
    `|---|---:|---:|---:|---:|---:|---:|`,
    `| (baseline: SDK clients only) | | ${results.baseline.importMs} | | ${results.baseline.totalMs} | 1.00 | |`,
    ...results.functions.map((fn) =>
      fn.cold
        ? `| ${fn.function} | ${fn.bundleKb} | ${fn.cold.importMs} | ${fn.cold.invokeMs} | ${fn.cold.totalMs} (${fn.cold.totalP10Ms}–${fn.cold.totalP90Ms}) | ${fn.coldRatioToBaseline} | ${fn.cold.rssMb} |`
        : `| ${fn.function} | ${fn.bundleKb} | – | – | – | – | – |`,
    ),
  ];
  console.info(lines.join('\n'));
  console.info('\nrecorder:', JSON.stringify(results.recorder));
  console.info(`\nread units (full Scan ${results.readCost.fullScanReadUnits}):`);
  for (const [name, query] of Object.entries(results.readCost.queries)) {
    console.info(
      `  ${name.padEnd(24)} ${String(query.readUnits).padStart(8)} RU  (${(query.ratioToScan * 100).toFixed(2)} % of a Scan)`,
    );
  }
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
