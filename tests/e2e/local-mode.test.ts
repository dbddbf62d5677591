import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvent } from '../support/events';
import { type NpmStart, npmStartDemo } from '../support/npm-start';

/** `npm start` as a newcomer runs it: a real process on a free port, driven over HTTP only. */
describe('npm start (local control plane over HTTP)', () => {
  let npmStart: NpmStart;
  let baseUrl: string;

  beforeAll(async () => {
    npmStart = await npmStartDemo();
    baseUrl = npmStart.url;
  }, 60_000);

  afterAll(() => npmStart?.stop());

  const getJson = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  // The demo's first checkout-service (another account has one of the same name).
  const US_CHECKOUT = 'account=123456789012&region=us-east-1';

  it('serves the demo history through the read API', async () => {
    const { body } = await getJson('/api/pipelines');
    const places = (body.pipelines as { account: string; region: string; pipeline: string }[])
      .map((p) => `${p.account}/${p.region} ${p.pipeline}`)
      .sort();
    expect(places).toEqual([
      '123456789012/us-east-1 checkout-service',
      '123456789012/us-east-1 payments-api',
      '222222222222/eu-west-1 checkout-service',
      '333333333333/eu-west-1 web-frontend',
      'github/github.com github:acme/storefront:Deploy',
    ]);

    const { body: page } = await getJson(`/api/pipelines/checkout-service/executions?limit=2&${US_CHECKOUT}`);
    const executions = page.executions as {
      status: { status: string; attempt: number };
      sourceRevisions: unknown[];
    }[];
    expect(executions).toHaveLength(2);
    expect(page.nextCursor).toEqual(expect.any(String));
    // The middle execution failed in Production and succeeded on the retried attempt.
    const { body: next } = await getJson(
      `/api/pipelines/checkout-service/executions?limit=2&${US_CHECKOUT}&cursor=${page.nextCursor}`,
    );
    const all = [...executions, ...(next.executions as typeof executions)];
    expect(all.map((execution) => execution.status.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(all[1]?.status.attempt).toBe(2);
    expect(all.every((execution) => execution.sourceRevisions.length === 1)).toBe(true);
  });

  it('answers 409 listing the accounts when a pipeline name is ambiguous without them', async () => {
    const { status, body } = await getJson('/api/pipelines/checkout-service/executions');
    expect(status).toBe(409);
    expect(body.choices).toEqual([
      { account: '123456789012', region: 'us-east-1' },
      { account: '222222222222', region: 'eu-west-1' },
    ]);
    const { body: eu } = await getJson(
      '/api/pipelines/checkout-service/executions?account=222222222222&region=eu-west-1',
    );
    expect(eu.executions).toHaveLength(2);
  });

  it('routes posted events by the template rules and says what each function did', async () => {
    const started = readEvent('record-execution/pipeline-started.json');
    const succeeded = readEvent('record-execution/pipeline-succeeded.json');
    const instanceEvent = readEvent('unmatched/codedeploy-instance-state-change.json');
    const response = await fetch(`${baseUrl}/events`, {
      method: 'POST',
      body: JSON.stringify([succeeded, started, instanceEvent]),
    });
    const { deliveries } = (await response.json()) as {
      deliveries: { matched: { function: string; rule: string; result: { state?: string } }[] }[];
    };
    expect(deliveries[0]?.matched).toEqual([
      expect.objectContaining({
        function: 'RecordExecutionFunction',
        rule: 'PipelineExecutionStateChange',
        result: expect.objectContaining({ state: 'SUCCEEDED' }),
      }),
    ]);
    expect(deliveries[1]?.matched[0]?.result.state).toBe('SUCCEEDED');
    expect(deliveries[2]?.matched).toEqual([]);

    const { body } = await getJson(
      `/api/pipelines/checkout-service/executions/0f6c1c2e-1111-4a7b-8e1d-5a4b3c2d1e0f?${US_CHECKOUT}`,
    );
    expect((body.execution as { status: { status: string } }).status.status).toBe('SUCCEEDED');
  });

  it('answers a malformed event with the reason, and bad JSON with 400', async () => {
    const response = await fetch(`${baseUrl}/events`, {
      method: 'POST',
      body: JSON.stringify({ ...readEvent('record-execution/pipeline-started.json'), time: 'not a time' }),
    });
    const { deliveries } = (await response.json()) as { deliveries: { matched: { result: unknown }[] }[] };
    expect(deliveries[0]?.matched[0]?.result).toEqual({
      status: 'rejected',
      reason: expect.stringContaining('time: expected an ISO-8601 time'),
    });
    expect((await fetch(`${baseUrl}/events`, { method: 'POST', body: '{oops' })).status).toBe(400);
  });

  it('shows outbound AWS calls in the outbox and serves the console page', async () => {
    const { body } = await getJson('/local/outbox');
    expect(
      (body.calls as { command: string }[]).some((call) => call.command === 'GetPipelineExecution'),
    ).toBe(true);
    const page = await fetch(`${baseUrl}/`);
    expect(await page.text()).toContain('pipeline-control-plane');
    expect((await getJson('/api/pipelines/nope/executions/nothing')).status).toBe(404);
  });

  it('shows a rollback taken and one observed, each invoke action passing and failing, an approval waiting', async () => {
    const since = new Date(Date.now() - 86_400_000).toISOString();
    const { body: decisions } = await getJson(`/api/rollbacks?from=${since}`);
    const rollbacks = decisions.rollbacks as { targetId: string; outcome: string; outcomeMessage: string }[];
    expect(rollbacks.map((r) => `${r.targetId} ${r.outcome}`).sort()).toEqual([
      'codedeploy:checkout-service/production@123456789012/us-east-1 observed',
      'codedeploy:payments-api/production@123456789012/us-east-1 succeeded',
    ]);
    const { body: outbox } = await getJson('/local/outbox');
    const calls = outbox.calls as {
      command: string;
      account?: string;
      region?: string;
      input: Record<string, unknown>;
    }[];
    // Every call names the account and region whose credentials it used; the stop went to the alarm's account.
    expect(calls.filter((call) => !call.account || !call.region)).toEqual([]);
    expect(
      calls.filter((call) => call.command === 'StopDeployment').map((c) => `${c.account}/${c.region}`),
    ).toEqual(['123456789012/us-east-1']);
    const jobs = calls.filter((call) => call.command.startsWith('PutJob'));
    const outcomes = jobs.map((call) => call.command);
    expect(outcomes.filter((command) => command === 'PutJobSuccessResult')).toHaveLength(3);
    expect(outcomes.filter((command) => command === 'PutJobFailureResult')).toHaveLength(3);
    const summaries = jobs.map((call) => JSON.stringify(call.input.executionDetails ?? ''));
    expect(summaries.join('\n')).toContain('All 1 smoke checks passed');
    expect(summaries.join('\n')).toContain('during the 10-minute bake');
    const reasons = jobs.map((call) => JSON.stringify(call.input.failureDetails ?? ''));
    expect(reasons.join('\n')).toContain('Demo day freeze');
    expect(reasons.join('\n')).toContain('payments-api-5xx is ALARM');
    expect(reasons.join('\n')).toContain('/demo/payments-api/health: status 503, expected 200');
    expect(reasons.join('\n')).not.toContain('not found');
    const { body: approvals } = await getJson('/api/approvals');
    const [approval] = approvals.approvals as { deadline: string; account: string; region: string }[];
    expect(approval?.deadline).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    // Through a topic of the pipeline's account: the decision will go to CodePipeline there.
    expect(approval).toMatchObject({ account: '123456789012', region: 'us-east-1' });
  });

  it('announces its address only once the demo is in, and answers HEAD', async () => {
    const output = npmStart.output();
    expect(output.indexOf('Replaying the demo')).toBeLessThan(output.indexOf('running at'));
    expect(output.indexOf('Demo:')).toBeGreaterThan(output.indexOf('running at'));
    for (const path of ['/', '/api/pipelines']) {
      const head = await fetch(`${baseUrl}${path}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
    }
  });

  it('stops cleanly on Ctrl-C: closes the server and exits', async () => {
    await npmStart.interrupt();
    expect(npmStart.output()).toContain('SIGINT: stopping');
    await expect(fetch(`${baseUrl}/api/pipelines`)).rejects.toThrow();
  });
});

describe('npm start when only npm is killed', () => {
  it('stops the server with it and frees the port', async () => {
    const npmStart = await npmStartDemo();
    try {
      expect((await fetch(`${npmStart.url}/api/pipelines`)).status).toBe(200);
      npmStart.killNpmOnly();
      await expect
        .poll(
          () =>
            fetch(`${npmStart.url}/api/pipelines`).then(
              () => 'up',
              () => 'down',
            ),
          {
            timeout: 10_000,
            interval: 250,
          },
        )
        .toBe('down');
    } finally {
      npmStart.stop();
    }
  }, 60_000);
});

describe('npm start -- --aws without credentials', () => {
  it('refuses to start, naming what to set, instead of failing every event later', async () => {
    const { spawnSync } = await import('node:child_process');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: 'pipeline-control-plane-no-such-profile',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
    };
    const result = spawnSync('npx', ['tsx', 'local/start.ts', '--aws', '--port', '0'], {
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--aws needs AWS credentials and none resolved');
    expect(result.stdout).not.toContain('running at');
  }, 40_000);
});
