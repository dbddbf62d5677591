/**
 * A newcomer's walk through the demo: what happened, the curl that shows it, and where the console shows it.
 * Reads only the running control plane's HTTP interface, so it works against any `npm start -- --demo`.
 * `npm run tour` starts the demo and prints it; `npx tsx tooling/tour.ts [url]` prints it for a running one.
 */

interface Pipeline {
  pipeline: string;
  latestExecution?: { executionId: string; status?: { status: string } };
}
interface Approval {
  id: string;
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
  input: { jobId?: string; failureDetails?: { message?: string }; executionDetails?: { summary?: string } };
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return (await response.json()) as T;
}

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
  const lines = [
    '',
    '── Tour of the demo ─────────────────────────────────────────────────────────────',
    `Console: ${url}/#days=7  (every part below is on it; the selection stays in the URL)`,
    '',
    `1. History: ${pipelines.length} pipelines, each execution recorded from CodePipeline, CodeBuild and`,
    '   CodeDeploy events (a failed deploy retried, a stopped run, a superseded one, one still running).',
    ...pipelines.map(
      (p) =>
        `   - ${p.pipeline}: latest ${p.latestExecution?.executionId.slice(0, 8) ?? '–'} ${p.latestExecution?.status?.status ?? 'IN_PROGRESS'}`,
    ),
    curl(url, '/api/pipelines', '.pipelines[] | {pipeline, latest: .latestExecution.status.status}'),
    curl(url, '/api/pipelines/checkout-service/executions?limit=3', '.executions[].status'),
    '',
    '2. DORA metrics: deployments, lead time, change failure rate, time to restore.',
    curl(url, '/api/metrics/dora?bucket=day', '.overall | {deployments, changeFailureRate, leadTime}'),
    '',
    `3. Approvals: ${approvals.length} waiting${approval ? ` (${approval.pipeline} ${approval.stage}/${approval.action}, deadline ${approval.deadline})` : ''}.`,
    '   The request went to the local Slack sink; click Approve as Slack would, signed:',
    curl(url, '/local/slack', '.calls[] | select(.method == "chat.postMessage") | .args.text'),
    `      npm run slack-click -- approve ${approval?.id ?? '<approvalId>'}`,
    curl(url, '/local/outbox', '.calls[] | select(.command == "PutApprovalResult") | .input.result'),
    '',
    `4. Rollback on alarm: ${rollbacks.length} decisions.`,
    ...rollbacks.map(
      (r) =>
        `   - ${r.alarmName} → ${r.targetId}: ${r.action}, ${r.outcome}: ${r.outcomeMessage ?? r.reason ?? ''}`,
    ),
    curl(url, `/api/rollbacks?from=${since}`, '.rollbacks[] | {alarmName, targetId, action, outcome}'),
    curl(url, '/local/outbox', '.calls[] | select(.command == "StopDeployment") | .input'),
    '',
    `5. Invoke actions: ${jobResults.length} jobs ended.`,
    ...jobResults.map(
      (call) =>
        `   - ${call.command === 'PutJobSuccessResult' ? 'succeeded' : 'failed   '} ${
          call.input.failureDetails?.message ?? call.input.executionDetails?.summary ?? ''
        }`,
    ),
    curl(url, '/local/outbox', '.calls[] | select(.command | startswith("PutJob")) | {command, input}'),
    '',
    '6. Faults: inject throttling, lost answers or crashes into any call (docs/local-mode.md).',
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
