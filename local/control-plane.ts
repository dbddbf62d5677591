import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { resolveWithDns } from '../functions/actions/http-smoke-test/address-guard';
import { createAwsClientFactory } from '../functions/platform/aws-clients';
import { CONSOLE_HEADERS, consolePage } from '../functions/read-api/console/console-page';
import { type EventPattern, matchesPattern } from '../tooling/event-pattern';
import { eventBridgeRules, loadTemplate, streamSources } from '../tooling/template';
import { createDeadLetterQueue, invokeAsync } from './async-invoke';
import { compressedClock } from './compressed-clock';
import { runJobToItsEnd } from './continue-job';
import { demoServiceAnswer } from './demo-services';
import { developmentSlackCredentials } from './development-slack-credentials';
import { developmentWebhookSecrets } from './development-webhook-secrets';
import { createHistoryTable, type DynamoEngine, startDynamoEngine } from './dynamo-engine';
import { createFaultInjector, type FaultInjector, FaultRulesError } from './fault-injection';
import { installLambdaEventInvoke } from './lambda-event-invoke';
import { allowOnlyLocalControlPlane } from './local-address-policy';
import {
  createResolver,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  type LocalFunction,
  loadLocalFunctions,
} from './local-functions';
import { answerLikeAws, createOutbox, type Outbox } from './outbox';
import { startSlackSink } from './slack-sink';
import { createStreamDelivery } from './stream-delivery';
import { startTableStream } from './table-stream';

export const LOCAL_TABLE_NAME = 'pipeline-control-plane-local';
const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface LocalControlPlaneOptions {
  port?: number;
  host?: string;
  /** Send outbound AWS calls (not DynamoDB) to the real account instead of the outbox. */
  realAws?: boolean;
  /** Fault rules installed at start (`npm start -- --faults <file.json>`), as POST /local/faults takes them. */
  faults?: unknown;
  log?: (line: string) => void;
}

export interface LocalControlPlane {
  url: string;
  outbox: Outbox;
  faults: FaultInjector;
  /** Resolves once every asynchronous Lambda invoke a function made (and its retries) has run. */
  asyncInvocations: { idle(): Promise<void> };
  slackCalls: { method: string; args: Record<string, unknown> }[];
  functions: LocalFunction[];
  deliverEvents(events: unknown[]): Promise<EventDelivery[]>;
  close(): Promise<void>;
}

export interface EventDelivery {
  eventId?: unknown;
  detailType?: unknown;
  /** `attempts` counts Lambda's async retries; an `error` means the event went to GET /local/dlq. */
  matched: { function: string; rule: string; attempts: number; result?: unknown; error?: string }[];
}

/**
 * The whole control plane in one process: dynalite as DynamoDB (table created from template.yaml), every
 * function imported in-process, EventBridge rules from template.yaml routing events, and an outbox in
 * place of outbound AWS calls. The HTTP contract is documented in README "Local HTTP interface".
 */
export async function startLocalControlPlane(
  options: LocalControlPlaneOptions = {},
): Promise<LocalControlPlane> {
  const log = options.log ?? (() => undefined);
  const engine: DynamoEngine = await startDynamoEngine();
  // dynalite has no streams: the stand-in in front of it makes the table's stream (local/table-stream.ts).
  const tableStream = await startTableStream(engine.endpoint);
  await createHistoryTable(tableStream.endpoint, LOCAL_TABLE_NAME);
  Object.assign(process.env, {
    AWS_REGION: process.env.AWS_REGION ?? LOCAL_REGION,
    AWS_ENDPOINT_URL_DYNAMODB: tableStream.endpoint,
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
  });
  if (!options.realAws) {
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  }

  // Slack: a real workspace when you give a bot token, otherwise the local sink (GET /local/slack).
  const faults = createFaultInjector();
  if (options.faults !== undefined) faults.install(options.faults);
  const slackSink = process.env.SLACK_BOT_TOKEN
    ? undefined
    : await startSlackSink({ fault: (method) => faults.faultFor('slack', method) });
  if (slackSink) process.env.SLACK_API_URL ??= slackSink.url;

  const outbox = createOutbox();
  // Default answers shaped like the real APIs', so flows complete locally; tests and --demo script others.
  answerLikeAws(outbox);
  const deadLetters = createDeadLetterQueue();
  // Every call may meet an injected fault; DynamoDB is the local engine (AWS_ENDPOINT_URL_DYNAMODB) and every
  // other service goes to the outbox.
  const clients = createAwsClientFactory({
    decorate: (client, service, scope) => {
      faults.decorate(client as never, service);
      // Lambda stays local even with realAws: a function's invoke targets this process's functions.
      if (service === 'DynamoDB' || (options.realAws && service !== 'Lambda')) return;
      // The function's own account and region named too, so every recorded call says whose credentials it used.
      outbox.install(client as never, service, {
        account: scope.account ?? LOCAL_ACCOUNT,
        region: scope.region ?? process.env.AWS_REGION ?? LOCAL_REGION,
      });
    },
  });

  const template = loadTemplate();
  let listening: AddressInfo | undefined;
  const functions = await loadLocalFunctions(
    template,
    LOCAL_TABLE_NAME,
    {
      clients,
      slackCredentials: developmentSlackCredentials(clients),
      webhookSecrets: developmentWebhookSecrets(clients),
    },
    {
      HttpSmokeTestActionFunction: {
        addressPolicy: allowOnlyLocalControlPlane(() => listening),
        resolveHost: resolveWithDns,
      },
      AlarmBakeActionFunction: compressedClock(),
    },
  );
  const rules = eventBridgeRules(template);
  const byId = new Map(functions.map((fn) => [fn.logicalId, fn]));
  const asyncInvocations = installLambdaEventInvoke(outbox, (name) => byId.get(name), deadLetters);
  // Lambda's stream event source mappings: the table's changes to their functions, in batches.
  const streamDelivery = createStreamDelivery(
    tableStream,
    streamSources(template).flatMap((source) => {
      const fn = byId.get(source.functionLogicalId);
      return fn
        ? [{ source, handler: async (event: unknown) => (await fn.invoke(event)) as DynamoDBBatchResponse }]
        : [];
    }),
  );
  // As Lambda polls a stream: the changes of the last second, whatever wrote them (events, schedules, CI).
  const streamPolling = setInterval(() => {
    streamDelivery.drain().catch((error: unknown) => log(`stream delivery: ${(error as Error).message}`));
  }, 1000);
  streamPolling.unref();
  const { resolve } = createResolver(template, LOCAL_TABLE_NAME);

  async function deliverEvents(events: unknown[]): Promise<EventDelivery[]> {
    const deliveries: EventDelivery[] = [];
    // One at a time, in the order given: a scenario replays as it happened (order-independence is the
    // recorder's job, and the tests prove it separately).
    for (const event of events) {
      const envelope = (event ?? {}) as Record<string, unknown>;
      const delivery: EventDelivery = {
        eventId: envelope.id,
        detailType: envelope['detail-type'],
        matched: [],
      };
      for (const rule of rules.filter((candidate) =>
        matchesPattern(candidate.pattern as EventPattern, event),
      )) {
        const fn = byId.get(rule.functionLogicalId);
        if (!fn) continue;
        const invocation = await invokeAsync(fn, event, `rule ${rule.eventName}`, deadLetters);
        delivery.matched.push({ function: fn.logicalId, rule: rule.eventName, ...invocation });
      }
      deliveries.push(delivery);
    }
    // What the events changed reaches the stream's functions (delivery metrics) before the answer.
    await streamDelivery.drain();
    return deliveries;
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      sendJson(response, 500, { message: (error as Error).message });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://local');
    const method = request.method ?? 'GET';
    const body = method === 'GET' || method === 'HEAD' ? '' : await readBody(request);
    log(`${method} ${url.pathname}`);
    // A read sees what earlier requests wrote, the changes that follow from the table's stream included.
    await streamDelivery.drain();

    // HEAD is GET without the body (Node's response drops it), as a load balancer or curl -I expects.
    if ((method === 'GET' || method === 'HEAD') && url.pathname === '/') return sendConsole(response);
    const demoService = method === 'GET' || method === 'HEAD' ? demoServiceAnswer(url.pathname) : undefined;
    if (demoService) return sendJson(response, demoService.status, demoService.body);
    if (method === 'POST' && url.pathname === '/events') {
      const parsed = parseJson(body);
      if (!parsed.ok) return sendJson(response, 400, { message: `Body is not JSON: ${parsed.error}` });
      const events = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
      // EventBridge only carries JSON objects: anything else is the caller's mistake, named, and delivers nothing.
      const notAnEvent = events.findIndex((event) => !isJsonObject(event));
      if (notAnEvent >= 0) {
        const where = Array.isArray(parsed.value) ? `Item ${notAnEvent} of the body` : 'Body';
        return sendJson(response, 400, {
          message: `${where} is ${describeJsonValue(events[notAnEvent])}, not an EventBridge event (a JSON object)`,
        });
      }
      return sendJson(response, 200, { deliveries: await deliverEvents(events) });
    }
    if (method === 'POST' && url.pathname === '/sns') return deliverSns(body, response);
    const action = /^\/actions\/([^/]+)$/.exec(url.pathname);
    if (method === 'POST' && action) {
      const fn = functions.find((candidate) => candidate.actionName === action[1]);
      if (!fn) return sendJson(response, 404, { message: `No invoke action named ${action[1]}` });
      const parsed = parseJson(body);
      if (!parsed.ok) return sendJson(response, 400, { message: `Body is not JSON: ${parsed.error}` });
      if (!isJsonObject(parsed.value)) {
        return sendJson(response, 400, {
          message: `Body is ${describeJsonValue(parsed.value)}, not a CodePipeline job event (a JSON object)`,
        });
      }
      const run = await runJobToItsEnd(
        parsed.value,
        (event) => invokeAsync(fn, event, 'CodePipeline', deadLetters),
        outbox,
      );
      return sendJson(response, 200, { function: fn.logicalId, ...run });
    }
    const scheduled = /^\/local\/schedule\/([^/]+)$/.exec(url.pathname);
    if (method === 'POST' && scheduled) {
      const fn = byId.get(scheduled[1] ?? '');
      if (!fn) return sendJson(response, 404, { message: `No function ${scheduled[1]}` });
      return sendJson(response, 200, {
        function: fn.logicalId,
        ...(await invokeAsync(fn, scheduledEvent(fn.logicalId), 'schedule', deadLetters)),
      });
    }
    if (url.pathname === '/local/faults') return serveFaults(method, body, response);
    if (url.pathname === '/local/dlq') {
      if (method === 'DELETE') deadLetters.clear();
      return sendJson(response, 200, { deadLetters: deadLetters.letters });
    }
    if (url.pathname === '/local/outbox') {
      if (method === 'DELETE') {
        outbox.clear();
        return sendJson(response, 200, { calls: [] });
      }
      return sendJson(response, 200, { calls: outbox.entries });
    }
    if (method === 'GET' && url.pathname === '/local/slack') {
      return sendJson(response, 200, {
        sink: slackSink ? slackSink.url : 'off: SLACK_BOT_TOKEN is set, calls go to Slack',
        calls: slackSink?.calls ?? [],
      });
    }
    if (method === 'POST' && url.pathname === '/local/reconcile') {
      const fn = byId.get('ReconcileHistoryFunction');
      if (!fn) return sendJson(response, 404, { message: 'No ReconcileHistoryFunction in template.yaml' });
      return sendJson(response, 200, {
        function: fn.logicalId,
        ...(await invokeAsync(fn, scheduledEvent(fn.logicalId), 'schedule', deadLetters)),
      });
    }
    if (method === 'GET' && url.pathname === '/local/functions') {
      return sendJson(response, 200, {
        functions: functions.map((fn) => ({
          logicalId: fn.logicalId,
          entryPoint: fn.entryPoint,
          httpPath: fn.localHttpPath,
          action: fn.actionName,
          rules: rules
            .filter((rule) => rule.functionLogicalId === fn.logicalId)
            .map((rule) => rule.eventName),
        })),
      });
    }
    const urlFunction = functions.find(
      (fn) =>
        fn.localHttpPath &&
        (url.pathname === fn.localHttpPath || url.pathname.startsWith(`${fn.localHttpPath}/`)),
    );
    if (urlFunction) {
      const result = (await urlFunction.invoke(functionUrlEvent(request, url, body))) as FunctionUrlResult;
      return sendFunctionUrlResult(response, result);
    }
    return sendJson(response, 404, { message: `No local route for ${method} ${url.pathname}; see README` });
  }

  function serveFaults(method: string, body: string, response: ServerResponse) {
    if (method === 'DELETE') {
      faults.clear();
      return sendJson(response, 200, { rules: [] });
    }
    if (method === 'POST') {
      const parsed = parseJson(body);
      if (!parsed.ok) return sendJson(response, 400, { message: `Body is not JSON: ${parsed.error}` });
      try {
        return sendJson(response, 200, { rules: faults.install(parsed.value) });
      } catch (error) {
        if (!(error instanceof FaultRulesError)) throw error;
        return sendJson(response, 400, { message: `Invalid fault rules: ${error.message}` });
      }
    }
    if (method === 'GET') return sendJson(response, 200, { rules: faults.list() });
    return sendJson(response, 405, { message: `${method} /local/faults: use GET, POST or DELETE` });
  }

  async function deliverSns(body: string, response: ServerResponse): Promise<void> {
    const parsed = parseJson(body);
    if (!parsed.ok) return sendJson(response, 400, { message: `Body is not JSON: ${parsed.error}` });
    if (!isJsonObject(parsed.value)) {
      return sendJson(response, 400, {
        message: `Body is ${describeJsonValue(parsed.value)}, not an SNS notification (a JSON object)`,
      });
    }
    const notification = parsed.value as { TopicArn?: string; Message?: unknown; Subject?: string };
    if (typeof notification.TopicArn !== 'string' || notification.Message === undefined) {
      return sendJson(response, 400, { message: 'Expected an SNS notification with TopicArn and Message' });
    }
    const topicArn = notification.TopicArn;
    const message =
      typeof notification.Message === 'string' ? notification.Message : JSON.stringify(notification.Message);
    const subscribers = functions.filter((fn) =>
      Object.values(fn.properties.Events ?? {}).some(
        (event) => event.Type === 'SNS' && isSameTopic(String(resolve(event.Properties.Topic)), topicArn),
      ),
    );
    const results = [];
    for (const fn of subscribers) {
      const event = snsEvent(notification.TopicArn, message, notification.Subject);
      results.push({
        function: fn.logicalId,
        ...(await invokeAsync(fn, event, `topic ${notification.TopicArn}`, deadLetters)),
      });
    }
    return sendJson(response, 200, { delivered: results });
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', resolve);
    });
  } catch (error) {
    clearInterval(streamPolling);
    await tableStream.close();
    await engine.close();
    await slackSink?.close();
    throw error;
  }
  listening = server.address() as AddressInfo;
  const { port } = listening;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    outbox,
    faults,
    asyncInvocations,
    slackCalls: slackSink?.calls ?? [],
    functions,
    deliverEvents,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearInterval(streamPolling);
      await streamDelivery.drain();
      await tableStream.close();
      await engine.close();
      await slackSink?.close();
    },
  };
}

interface FunctionUrlResult {
  statusCode?: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

function functionUrlEvent(request: IncomingMessage, url: URL, body: string) {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(',') : (value ?? ''),
    ]),
  );
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      domainName: url.host,
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: body || undefined,
    isBase64Encoded: false,
  };
}

/**
 * The hub's topic, or a topic of the same name in another account or region: a pipeline publishes to a topic
 * of its own account, which a spoke subscribes to the hub's function, so the notification arrives with that
 * account in its TopicArn.
 */
function isSameTopic(hubTopicArn: string, topicArn: string): boolean {
  const nameOf = (arn: string) => (arn.startsWith('arn:aws:sns:') ? arn.split(':')[5] : undefined);
  return (
    hubTopicArn === topicArn || (nameOf(topicArn) !== undefined && nameOf(topicArn) === nameOf(hubTopicArn))
  );
}

function snsEvent(topicArn: string, message: string, subject?: string) {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:local-subscription`,
        Sns: {
          Type: 'Notification',
          MessageId: crypto.randomUUID(),
          TopicArn: topicArn,
          Subject: subject ?? null,
          Message: message,
          Timestamp: new Date().toISOString(),
          SignatureVersion: '1',
          Signature: 'local',
          SigningCertUrl: 'https://local/cert.pem',
          UnsubscribeUrl: 'https://local/unsubscribe',
          MessageAttributes: {},
        },
      },
    ],
  };
}

function scheduledEvent(functionLogicalId: string) {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account: LOCAL_ACCOUNT,
    time: new Date().toISOString(),
    region: LOCAL_REGION,
    resources: [`arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT}:schedule/default/${functionLogicalId}`],
    detail: {},
  };
}

function sendFunctionUrlResult(
  response: ServerResponse,
  result: FunctionUrlResult | string | undefined,
): void {
  if (typeof result === 'string' || result === undefined || result.statusCode === undefined) {
    sendJson(response, 200, result ?? null);
    return;
  }
  response.writeHead(result.statusCode, result.headers ?? {});
  response.end(
    result.isBase64Encoded && result.body ? Buffer.from(result.body, 'base64') : (result.body ?? ''),
  );
}

function sendJson(response: ServerResponse, statusCode: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(statusCode, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body, null, 2));
}

function sendConsole(response: ServerResponse): void {
  response.writeHead(200, CONSOLE_HEADERS);
  response.end(consolePage());
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "the number 42", "null", "an array"…: what a body was, for the 400 that refuses it. */
function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`Request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
