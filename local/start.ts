import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startLocalControlPlane } from './control-plane';
import { replayDemo } from './demo';

const HELP = `Usage: npm start -- [options]

Runs the whole control plane locally: every function in one Node process, an in-memory DynamoDB
(dynalite) holding the table from template.yaml, EventBridge rules from template.yaml routing events,
and an outbox recording outbound AWS calls instead of sending them. No Docker, no AWS account.

Options:
  --port <n>     Port on 127.0.0.1 (default: $PORT or 3000; 0 picks a free one)
  --host <addr>  Address to listen on (default 127.0.0.1)
  --demo         Replay events/demo/scenario.json first (3 pipelines, successes, a failure, a retry)
  --aws          Send outbound AWS calls (CodePipeline, CodeDeploy, …) to the real account in your
                 AWS credentials instead of the outbox. DynamoDB stays local.
  --faults <file> Install fault rules at start (the JSON body of POST /local/faults)
  --quiet        Do not log each request
  --verbose      Show every function log line (default: warnings and errors only)
  -h, --help     Show this help

HTTP interface (README "Local HTTP interface"):
  POST /events                   one EventBridge event or an array, routed by the template's rules
  POST /sns                      an SNS notification ({ TopicArn, Message }) to the topic's subscribers
  POST /actions/<name>           a CodePipeline job event to functions/actions/<name>
  POST /local/schedule/<id>      run a scheduled function now;  POST /local/reconcile  reconcile now
  POST /slack/interactions       the Slack interactivity endpoint (Slack-signed form body)
  GET  /api/...                  the read API (pipelines, executions, metrics/dora, approvals, rollbacks,
                                 reconcile)
  GET  /local/outbox             outbound AWS calls (DELETE to clear);  GET /local/functions
  GET  /local/slack              what the functions sent to the local Slack sink
  POST /local/faults             inject faults: {"rules":[{"service","operation","fault","nth","times"}]}
                                 (GET: rules and how often each fired; DELETE: none)
  GET  /local/dlq                events that exhausted Lambda's retries (DELETE to clear)
  GET  /                         console page
`;

function readFaultsFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`--faults ${path}: ${(error as Error).message}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      demo: { type: 'boolean', default: false },
      aws: { type: 'boolean', default: false },
      faults: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535, got ${values.port ?? process.env.PORT}`);
  }
  if (!values.verbose) process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const faults = values.faults === undefined ? undefined : readFaultsFile(values.faults);
  const controlPlane = await startLocalControlPlane({
    port,
    host: values.host,
    realAws: values.aws,
    faults,
    log: values.quiet ? undefined : (line) => console.info(line),
  });
  console.info(
    `pipeline-control-plane running at ${controlPlane.url}  (${controlPlane.functions.length} functions)`,
  );
  if (values.demo) {
    console.info('Replaying the demo scenario…');
    const { events, executions } = await replayDemo(controlPlane);
    console.info(
      `Demo: ${events} events, ${executions} executions recorded. Try ${controlPlane.url}/api/pipelines`,
    );
  }
  console.info(`Open ${controlPlane.url}/ — Ctrl-C to stop.`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.info(`${signal}: stopping…`);
    controlPlane.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'EADDRINUSE') {
    console.error(
      `npm start failed: ${message}. Another process holds that port: pass --port <n> (or --port 0).`,
    );
    process.exit(1);
  }
  console.error(`npm start failed: ${message}`);
  process.exit(1);
});
