import { sign } from '@octokit/webhooks-methods';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createDeliveryFactsStore } from '../../../functions/delivery-metrics/adapters/delivery-facts-store';
import { deliveryOptionsFor } from '../../../functions/delivery-metrics/delivery-config';
import { createAwsClientFactory } from '../../../functions/platform/aws-clients';
import type { createHandler as CreateApiHandler } from '../../../functions/read-api/handler';
import {
  DEV_GITHUB_WEBHOOK_SECRET,
  developmentWebhookSecrets,
} from '../../../local/development-webhook-secrets';
import type { StreamDelivery } from '../../../local/stream-delivery';
import { createStreamedTestTable, deliveryStream } from '../../support/delivery-stream';
import { readEvent } from '../../support/events';
import { writesAgainstGrant } from '../../support/leading-keys';
import { testPlatform } from '../../support/platform';

type Handler = (event: unknown, context: never) => Promise<unknown>;
interface Answer {
  statusCode: number;
  body: string;
}

const REPOSITORY = {
  id: 1,
  name: 'shop',
  full_name: 'acme/shop',
  owner: { login: 'acme' },
  html_url: 'https://github.com/acme/shop',
};
const COMMIT = {
  id: '0718293a4b5c6d7e8f9012345678901234567890',
  message: 'Show delivery dates at checkout',
  timestamp: '2026-11-20T09:00:00Z',
  author: { name: 'Dana Developer', email: 'dana@example.com' },
};

/** GitHub Actions deploying acme/shop: the samples of events/github/ with this run's ids and times. */
function workflowRun(action: string, conclusion: string | null, updatedAt: string) {
  const sample = readEvent<Record<string, Record<string, unknown>>>(
    'github/workflow_run.completed-success.json',
  );
  return {
    ...sample,
    action,
    repository: REPOSITORY,
    workflow: { ...sample.workflow, name: 'Deploy', path: '.github/workflows/deploy.yml' },
    workflow_run: {
      ...sample.workflow_run,
      id: 7001,
      name: 'Deploy',
      status: action === 'completed' ? 'completed' : 'in_progress',
      conclusion,
      head_sha: COMMIT.id,
      head_commit: COMMIT,
      head_branch: 'main',
      event: 'push',
      created_at: '2026-11-20T09:05:00Z',
      run_started_at: '2026-11-20T09:05:00Z',
      updated_at: updatedAt,
    },
  };
}
function productionDeployment(state: string, at: string) {
  const sample = readEvent<Record<string, Record<string, unknown>>>(
    'github/deployment_status.in-progress-with-workflow-run.json',
  );
  return {
    ...sample,
    repository: REPOSITORY,
    deployment: {
      ...sample.deployment,
      id: 8001,
      sha: COMMIT.id,
      environment: 'production',
      created_at: '2026-11-20T09:10:00Z',
    },
    deployment_status: {
      ...sample.deployment_status,
      state,
      environment: 'production',
      created_at: at,
      updated_at: at,
    },
    workflow_run: { ...sample.workflow_run, id: 7001, name: 'Deploy', run_attempt: 1 },
  };
}

describe('GitHub webhook endpoint (dynalite, signed as GitHub signs)', () => {
  let github: Handler;
  let api: ReturnType<typeof CreateApiHandler>;
  let table: Awaited<ReturnType<typeof createStreamedTestTable>>;
  // The DORA facts follow the endpoint's writes from the table's stream, as record-delivery-changes does.
  let delivery: StreamDelivery;
  let deliveries = 0;

  const post = async (
    eventName: string,
    payload: unknown,
    options: { secret?: string; delivery?: string; body?: string } = {},
  ) => {
    const body = options.body ?? JSON.stringify(payload);
    const signature = await sign(options.secret ?? DEV_GITHUB_WEBHOOK_SECRET, body);
    const event = {
      headers: {
        'Content-Type': 'application/json',
        'X-GitHub-Event': eventName,
        'X-GitHub-Delivery': options.delivery ?? `delivery-${++deliveries}`,
        'X-Hub-Signature-256': signature,
      },
      body,
      isBase64Encoded: false,
    };
    const answer = (await github(event, {} as never)) as Answer;
    return { status: answer.statusCode, body: JSON.parse(answer.body) as Record<string, unknown> };
  };
  const read = async (path: string, query: Record<string, string> = {}) => {
    const request = {
      rawPath: path,
      queryStringParameters: query,
      requestContext: { http: { method: 'GET' } },
    } as unknown as LambdaFunctionURLEvent;
    const answer = (await api(request, {} as never)) as Answer;
    return { status: answer.statusCode, body: JSON.parse(answer.body) };
  };
  const executionItems = async () =>
    (
      await table.store.listExecutions({
        account: 'github',
        region: 'github.com',
        pipeline: 'github:acme/shop:Deploy',
      })
    ).items;

  beforeAll(async () => {
    table = await createStreamedTestTable();
    delivery = deliveryStream(table, {
      deliveryFacts: createDeliveryFactsStore({
        client: table.client,
        tableName: table.tableName,
        retentionDays: 400,
      }),
      deliveryOptions: (pipeline) =>
        deliveryOptionsFor({ PRODUCTION_STAGES: {}, CHANGE_FAILURE_WINDOW_HOURS: 24 }, pipeline),
      emitDeliveryMetrics: () => {},
      warn: (message) => {
        throw new Error(message);
      },
    });
    vi.stubEnv('TABLE_NAME', table.tableName);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', table.endpoint);
    vi.stubEnv('CI_DEPLOYMENT_POLICY', JSON.stringify({ environments: ['production'] }));
    const clients = createAwsClientFactory();
    github = (await import('../../../functions/ci-ingest/github-webhook/handler')).createHandler({
      clients,
      webhookSecrets: developmentWebhookSecrets(clients),
    }) as Handler;
    api = (await import('../../../functions/read-api/handler')).createHandler(testPlatform());
  });

  it('refuses a delivery signed with another secret, and writes nothing', async () => {
    const { status, body } = await post(
      'workflow_run',
      workflowRun('requested', null, '2026-11-20T09:05:00Z'),
      {
        secret: 'not-the-webhook-secret',
      },
    );
    expect(status).toBe(401);
    expect(body.reason).toMatch(/X-Hub-Signature-256 does not match/);
    expect(await executionItems()).toEqual([]);
  });

  it('answers ping, and acknowledges events it does not record with the reason', async () => {
    expect(await post('ping', readEvent('github/ping.json'))).toMatchObject({
      status: 200,
      body: { status: 'pong' },
    });
    const issues = await post('issues', readEvent('github/issues.opened.json'));
    expect(issues.status).toBe(202);
    expect(issues.body.reason).toMatch(/issues is not recorded/);
  });

  it("reads a form-encoded delivery (the webhook's other content type) like a JSON one", async () => {
    // Another repository, so the other tests see acme/shop alone.
    const forms = { ...REPOSITORY, full_name: 'acme/forms', html_url: 'https://github.com/acme/forms' };
    const payload = { ...workflowRun('requested', null, '2026-11-21T09:05:00Z'), repository: forms };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const answer = (await github(
      {
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-github-event': 'workflow_run',
          'x-hub-signature-256': await sign(DEV_GITHUB_WEBHOOK_SECRET, body),
        },
        body,
      },
      {} as never,
    )) as Answer;
    expect(JSON.parse(answer.body)).toMatchObject({
      status: 'recorded',
      pipeline: 'github:acme/forms:Deploy',
    });
  });

  it('refuses a malformed payload with the field at fault, and writes nothing', async () => {
    const broken = workflowRun('completed', 'success', 'last tuesday');
    const { status, body } = await post('workflow_run', broken);
    expect(status).toBe(400);
    expect(body.reason).toMatch(/workflow_run\.updated_at/);
    expect((await post('workflow_run', undefined, { body: '{"action":' })).body.reason).toMatch(/not JSON/);
    expect(await executionItems()).toEqual([]);
  });

  it('records a run, its job and its production deployment, in any order, once per delivery', async () => {
    const job = readEvent<Record<string, Record<string, unknown>>>(
      'github/workflow_job.completed-success.json',
    );
    const build = {
      ...job,
      repository: REPOSITORY,
      workflow_job: {
        ...job.workflow_job,
        run_id: 7001,
        name: 'build',
        workflow_name: 'Deploy',
        created_at: '2026-11-20T09:05:10Z',
        started_at: '2026-11-20T09:05:20Z',
        completed_at: '2026-11-20T09:08:00Z',
      },
    };
    // Out of order: the run's end first, its start last; then GitHub redelivers the deployment.
    const first = await post('workflow_run', workflowRun('completed', 'success', '2026-11-20T09:21:00Z'));
    expect(first).toMatchObject({
      status: 200,
      body: { status: 'recorded', pipeline: 'github:acme/shop:Deploy' },
    });
    await post('deployment_status', productionDeployment('success', '2026-11-20T09:20:00Z'), {
      delivery: 'd-prod',
    });
    await post('workflow_job', build);
    await post('deployment_status', productionDeployment('in_progress', '2026-11-20T09:12:00Z'));
    await post('workflow_run', workflowRun('requested', null, '2026-11-20T09:05:00Z'));
    const again = await post('deployment_status', productionDeployment('success', '2026-11-20T09:20:00Z'), {
      delivery: 'd-prod',
    });
    expect(again.body).toMatchObject({ status: 'recorded', changed: false });

    const [execution] = await executionItems();
    expect(execution).toMatchObject({
      account: 'github',
      region: 'github.com',
      pipeline: 'github:acme/shop:Deploy',
      executionId: '7001',
      status: { status: 'SUCCEEDED', statusAt: '2026-11-20T09:21:00.000Z' },
      sourceRevisions: [{ revisionId: COMMIT.id, createdAt: '2026-11-20T09:00:00.000Z' }],
      stages: {
        build: { status: { status: 'SUCCEEDED' } },
        'production deployment': { status: { status: 'SUCCEEDED', statusAt: '2026-11-20T09:20:00.000Z' } },
      },
    });
  });

  it('shows the GitHub pipeline in /api/pipelines and its deployment in /api/metrics/dora', async () => {
    const pipelines = await read('/api/pipelines');
    expect(pipelines.body.pipelines).toContainEqual(
      expect.objectContaining({
        pipeline: 'github:acme/shop:Deploy',
        account: 'github',
        region: 'github.com',
      }),
    );
    const executions = await read(
      `/api/pipelines/${encodeURIComponent('github:acme/shop:Deploy')}/executions`,
    );
    expect(executions.status).toBe(200);
    expect(executions.body).toMatchObject({ account: 'github', region: 'github.com' });
    expect(executions.body.executions).toHaveLength(1);

    await delivery.drain();
    expect(delivery.failed).toEqual([]);
    const dora = await read('/api/metrics/dora', {
      pipeline: 'github:acme/shop:Deploy',
      from: '2026-11-19T00:00:00Z',
      to: '2026-11-22T00:00:00Z',
    });
    expect(dora.status).toBe(200);
    expect(dora.body.overall).toMatchObject({
      deployments: 1,
      // Seconds from the commit (09:00) to the production deployment's success (09:20).
      leadTime: { count: 1, median: 20 * 60 },
      changeFailures: 0,
    });
  });

  // Last: over every write the tests above made (executions and the catalog; the DORA facts are the stream's).
  it("wrote only under the partition keys template.yaml's LeadingKeys condition grants, and under each", async () => {
    expect(await writesAgainstGrant('GitHubWebhookFunction', table, ['DORA#'])).toEqual({
      grants: 1,
      refused: [],
      unneeded: [],
    });
  });
});
