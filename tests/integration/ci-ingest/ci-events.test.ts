import { beforeAll, describe, expect, it, vi } from 'vitest';
import { signCiRequest } from '../../../functions/ci-ingest/ci-signature';
import { createAwsClientFactory } from '../../../functions/platform/aws-clients';
import { DEV_CI_WEBHOOK_SECRET, developmentWebhookSecrets } from '../../../local/development-webhook-secrets';
import { createTestTable } from '../../support/dynamo';
import { readEvent } from '../../support/events';
import { writesAgainstGrant } from '../../support/leading-keys';

type Handler = (event: unknown, context: never) => Promise<unknown>;

const JENKINS_RUN = [
  'run.started.json',
  'stage.finished.json',
  'deployed.production.json',
  'run.finished.json',
];
const PIPELINE = { account: 'ci', region: 'jenkins', pipeline: 'ci:jenkins/payments-deploy' };

describe('generic CI endpoint (dynalite, signed with a timestamp)', () => {
  let ci: Handler;
  let table: Awaited<ReturnType<typeof createTestTable>>;

  const post = async (body: string, options: { secret?: string; at?: number } = {}) => {
    const at = options.at ?? Math.floor(Date.now() / 1000);
    const answer = (await ci(
      { headers: signCiRequest(body, options.secret ?? DEV_CI_WEBHOOK_SECRET, at), body },
      {} as never,
    )) as { statusCode: number; body: string };
    return { status: answer.statusCode, body: JSON.parse(answer.body) as Record<string, unknown> };
  };
  const sample = (file: string) => JSON.stringify(readEvent(`generic-ci/${file}`));
  const recorded = async () => (await table.store.listExecutions(PIPELINE)).items;

  beforeAll(async () => {
    table = await createTestTable();
    vi.stubEnv('TABLE_NAME', table.tableName);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', table.endpoint);
    const clients = createAwsClientFactory();
    ci = (await import('../../../functions/ci-ingest/ci-events/handler')).createHandler({
      clients,
      webhookSecrets: developmentWebhookSecrets(clients),
    }) as Handler;
  });

  it('refuses a wrong signature, a stale timestamp and unsigned requests, writing nothing', async () => {
    const body = sample('run.started.json');
    expect(await post(body, { secret: 'someone-elses-secret' })).toMatchObject({
      status: 401,
      body: { reason: 'X-CI-Signature does not match the body' },
    });
    const stale = await post(body, { at: Math.floor(Date.now() / 1000) - 301 });
    expect(stale.status).toBe(401);
    expect(stale.body.reason).toMatch(/more than 300 seconds/);
    const unsigned = (await ci({ headers: {}, body }, {} as never)) as { statusCode: number };
    expect(unsigned.statusCode).toBe(401);
    expect(await recorded()).toEqual([]);
  });

  it('refuses a malformed event with its reason, writing nothing', async () => {
    const { status, body } = await post(
      JSON.stringify({ ...readEvent('generic-ci/deployed.production.json'), environment: '' }),
    );
    expect(status).toBe(400);
    expect(body.reason).toMatch(/environment/);
    expect((await post('not json')).body.reason).toMatch(/not JSON/);
    expect(await recorded()).toEqual([]);
  });

  it('records a run sent out of order and twice as the in-order run', async () => {
    for (const file of [...JENKINS_RUN].reverse()) expect((await post(sample(file))).status).toBe(200);
    const again = await post(sample('deployed.production.json'));
    expect(again.body).toMatchObject({
      status: 'recorded',
      changed: false,
      eventId: 'jenkins-payments-deploy-412-deployed-production',
    });
    const [execution] = await recorded();
    expect(execution).toMatchObject({
      ...PIPELINE,
      executionId: '412',
      startTime: '2026-11-30T10:00:00.000Z',
      status: { status: 'SUCCEEDED' },
      stages: {
        Test: { status: { status: 'SUCCEEDED' } },
        'production deployment': { status: { status: 'SUCCEEDED', statusAt: '2026-11-30T10:12:00.000Z' } },
      },
    });
  });

  // Last: over every write the tests above made (executions and the catalog).
  it("wrote only under the partition keys template.yaml's LeadingKeys condition grants, and under each", async () => {
    expect(await writesAgainstGrant('CiEventsFunction', table)).toEqual({
      grants: 1,
      refused: [],
      unneeded: [],
    });
  });
});
