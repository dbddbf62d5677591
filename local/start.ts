import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { demoTour } from '../tooling/tour';
import { startLocalControlPlane } from './control-plane';
import { applyDemoParameters, replayDemo } from './demo';
import { stopWhenLauncherDies } from './launcher-watch';

const HELP = `Usage: npm start -- [options]

Runs the whole control plane locally: every function in one Node process, an in-memory DynamoDB
(dynalite) holding the table from template.yaml, EventBridge rules from template.yaml routing events,
and an outbox recording outbound AWS calls instead of sending them. No Docker, no AWS account.

Options:
  --port <n>     Port on 127.0.0.1 (default: $PORT or 3000; 0 picks a free one)
  --host <addr>  Address to listen on (default 127.0.0.1)
  --demo         Replay events/demo/scenario.json before answering (pipelines in three accounts and two
                 regions, an approval waiting, rollbacks, invoke actions), its times shifted to end a
                 minute ago
  --tour         With --demo: print a guided tour of what happened, with the curl to see each part
  --aws          Send outbound AWS calls (CodePipeline, CodeDeploy, …) to the real account in your
                 AWS credentials instead of the outbox. DynamoDB stays local. Refuses to start
                 when no credentials resolve.
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
  GET  /demo/<service>/health    the demo's stand-in services the smoke tests check (checkout-service
                                 answers 200, payments-api 503)
  GET  /                         console page
`;

/**
 * With --aws every outbound call needs credentials; without them the server would start and every event
 * would then fail one by one. Resolving them once at start (the SDK's own chain: env, profile, SSO, IMDS)
 * turns that into one clear refusal.
 */
async function checkAwsCredentials(): Promise<void> {
  try {
    const credentials = await defaultProvider()();
    if (!credentials.accessKeyId) throw new Error('the provider chain returned no access key');
  } catch (error) {
    throw new Error(
      `--aws needs AWS credentials and none resolved (${(error as Error).message.split('\n')[0]}). ` +
        'Set AWS_PROFILE (and run `aws sso login` if it uses SSO) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ' +
        'or leave out --aws to record outbound calls in the local outbox.',
    );
  }
}

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
      tour: { type: 'boolean', default: false },
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
  if (values.aws) await checkAwsCredentials();
  if (values.demo || values.tour) applyDemoParameters();
  const controlPlane = await startLocalControlPlane({
    port,
    host: values.host,
    realAws: values.aws,
    faults,
    log: values.quiet ? undefined : (line) => console.info(line),
  });
  // Ready means ready: the address is announced only once the demo is in, so no request sees half of it.
  let demoSummary = '';
  if (values.demo || values.tour) {
    console.info(`Replaying the demo scenario on ${controlPlane.url} (not ready yet)…`);
    const demo = await replayDemo(controlPlane);
    demoSummary = `Demo: ${demo.events} events, ${demo.executions} executions recorded. Try ${controlPlane.url}/api/pipelines`;
  }
  console.info(
    `pipeline-control-plane running at ${controlPlane.url}  (${controlPlane.functions.length} functions)`,
  );
  if (demoSummary) console.info(demoSummary);
  if (values.tour) console.info(await demoTour(controlPlane.url));
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
  stopWhenLauncherDies((reason) => stop(reason));
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
