/**
 * A newcomer's walk through the demo: what happened, the curl that shows it, and where the console shows it.
 * Reads only the running control plane's HTTP interface, so it works against any `npm start -- --demo`.
 * `npm run tour` starts the demo and prints it; `npx tsx tooling/tour.ts [url]` prints it for a running one.
 */
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local/local-functions';

interface Pipeline {
  account: string;
  region: string;
  pipeline: string;
  latestExecution?: { executionId: string; status?: { status: string } };
}
interface Approval {
  id: string;
  account?: string;
  region?: string;
  pipeline: string;
  stage: string;
  action: string;
  deadline: string;
}
interface Rollback {
  alarmName: string;
  targetId: string;
  action: string;
  outcome: string;
  outcomeMessage?: string;
  reason?: string;
}
interface OutboxCall {
  command: string;
  account?: string;
  region?: string;
  input: { jobId?: string; failureDetails?: { message?: string }; executionDetails?: { summary?: string } };
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return (await response.json()) as T;
}

/** Calls that change something in an account: the ones whose account matters most. */
const ACTING_COMMANDS = new Set(['StopDeployment', 'CreateDeployment', 'RollbackStage', 'PutApprovalResult']);

// Where the hub's functions run locally.
const HUB = `${LOCAL_ACCOUNT}/${LOCAL_REGION}`;

const curl = (url: string, path: string, filter: string) => `      curl -s '${url}${path}' | jq '${filter}'`;

export async function demoTour(url: string): Promise<string> {
  const since = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const [{ pipelines }, { approvals }, { rollbacks }, { calls }] = await Promise.all([
    getJson<{ pipelines: Pipeline[] }>(`${url}/api/pipelines`),
    getJson<{ approvals: Approval[] }>(`${url}/api/approvals`),
    getJson<{ rollbacks: Rollback[] }>(`${url}/api/rollbacks?from=${since}`),
    getJson<{ calls: OutboxCall[] }>(`${url}/local/outbox`),
  ]);
  const jobResults = calls.filter((call) => /^PutJob(Success|Failure)Result$/.test(call.command));
  const approval = approvals[0];
  // Pipelines of other CI systems (github:…, ci:…) name their system where an AWS pipeline names its account.
  const awsPipelines = pipelines.filter((p) => /^[0-9]{12}$/.test(p.account));
  const accounts = new Set(awsPipelines.map((p) => p.account));
  const regions = new Set(awsPipelines.map((p) => p.region));
  const otherCi = pipelines.length - awsPipelines.length;
  const names = pipelines.map((p) => p.pipeline);
  const shared = names.find((name, index) => names.indexOf(name) !== index);
  const sharedPlace = pipelines.find((p) => p.pipeline === shared);
  const where = (call: { account?: string; region?: string }) =>
    `${call.account ?? 'own account'}/${call.region ?? 'own region'}`;
  const callsByPlace = new Map<string, number>();
  for (const call of calls) callsByPlace.set(where(call), (callsByPlace.get(where(call)) ?? 0) + 1);
  const acts = calls.filter((call) => ACTING_COMMANDS.has(call.command));
  const lines = [
    '',
    '── Tour of the demo ─────────────────────────────────────────────────────────────',
    `Console: ${url}/#days=7  (every part below is on it; the selection stays in the URL)`,
    '',
    `1. History: ${awsPipelines.length} pipelines in ${accounts.size} accounts and ${regions.size} regions${otherCi > 0 ? ` and ${otherCi} from another CI system` : ''}, each execution recorded`,
    '   from CodePipeline, CodeBuild and CodeDeploy events (a failed deploy retried, a stopped run, a superseded',
    '   one, one still running). A pipeline is its account + region + name:',
    ...pipelines.map(
      (p) =>
        `   - ${p.account}/${p.region} ${p.pipeline}: latest ${p.latestExecution?.executionId.slice(0, 8) ?? '–'} ${p.latestExecution?.status?.status ?? 'IN_PROGRESS'}`,
    ),
    curl(url, '/api/pipelines', '.pipelines[] | {account, region, pipeline}'),
    ...(shared && sharedPlace
      ? [
          `   ${shared} exists in two accounts: without ?account=&region= its routes answer 409 listing the choices.`,
          `      curl -s '${url}/api/pipelines/${shared}/executions' | jq '.choices'`,
          curl(
            url,
            `/api/pipelines/${shared}/executions?account=${sharedPlace.account}&region=${sharedPlace.region}&limit=3`,
            '.executions[].status',
          ),
        ]
      : []),
    '',
    '2. DORA metrics: deployments, lead time, change failure rate, time to restore, overall and per pipeline.',
    curl(url, '/api/metrics/dora?bucket=day', '.overall | {deployments, changeFailureRate, leadTime}'),
    '',
    `3. Approvals: ${approvals.length} waiting${approval ? ` (${approval.account ?? ''}/${approval.region ?? ''} ${approval.pipeline} ${approval.stage}/${approval.action}, deadline ${approval.deadline})` : ''}.`,
    "   It came through a topic of the pipeline's account, so the decision goes to CodePipeline there.",
    '   The request went to the local Slack sink; click Approve as Slack would, signed:',
    curl(url, '/local/slack', '.calls[] | select(.method == "chat.postMessage") | .args.text'),
    `      npm run slack-click -- approve ${approval?.id ?? '<approvalId>'}`,
    curl(
      url,
      '/local/outbox',
      '.calls[] | select(.command == "PutApprovalResult") | {account, region, result: .input.result}',
    ),
    '',
    `4. Rollback on alarm: ${rollbacks.length} decisions; each target names its account and region, so the`,
    "   other account's checkout-service (same application name) is never touched.",
    ...rollbacks.map(
      (r) =>
        `   - ${r.alarmName} → ${r.targetId}: ${r.action}, ${r.outcome}: ${r.outcomeMessage ?? r.reason ?? ''}`,
    ),
    curl(url, `/api/rollbacks?from=${since}`, '.rollbacks[] | {alarmName, targetId, action, outcome}'),
    curl(url, '/local/outbox', '.calls[] | select(.command == "StopDeployment") | {account, region, input}'),
    '',
    `5. Invoke actions: ${jobResults.length} jobs ended (the smoke tests call the demo's stand-in services on this server).`,
    ...jobResults.map(
      (call) =>
        `   - ${call.command === 'PutJobSuccessResult' ? 'succeeded' : 'failed   '} ${
          call.input.failureDetails?.message ?? call.input.executionDetails?.summary ?? ''
        }`,
    ),
    curl(url, '/local/outbox', '.calls[] | select(.command | startswith("PutJob")) | {command, input}'),
    `      curl -s '${url}/demo/checkout-service/health'`,
    '',
    '6. Where each call went: every outbound call records the account and region whose credentials it used',
    `   (${calls.length} calls: ${[...callsByPlace].map(([place, count]) => `${count} in ${place}`).join(', ')};`,
    `   ${HUB} is the hub's own: local mode's account). A spoke's calls would assume its ControlPlaneRole.`,
    ...acts.map((call) => `   - ${call.command} in ${where(call)}`),
    curl(url, '/local/outbox', '.calls[] | {command, account, region}'),
    '',
    '7. Faults: inject throttling, lost answers or crashes into any call (docs/local-mode.md).',
    curl(url, '/local/faults', '.rules'),
    '',
    'Every local route, the slack-click helper and fault injection: docs/local-tour.md',
    '─────────────────────────────────────────────────────────────────────────────────',
  ];
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.argv[2] ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  demoTour(url).then(
    (text) => console.info(text),
    (error: unknown) => {
      console.error(`tour failed: ${(error as Error).message}. Is npm start -- --demo running at ${url}?`);
      process.exit(1);
    },
  );
}
