import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createApprovalStore } from '../../../functions/approvals/adapters/approval-store';
import { createDeliveryFactsStore } from '../../../functions/delivery-metrics/adapters/delivery-facts-store';
import { type FactWrite, factWriteFor } from '../../../functions/delivery-metrics/domain/fact-write';
import type { ExecutionRecord } from '../../../functions/history/domain/execution-record';
import type { handler as ApiHandler } from '../../../functions/read-api/handler';
import {
  createRollbackStore,
  type RollbackRecord,
} from '../../../functions/rollback/adapters/rollback-store';
import { createTestTable } from '../../support/dynamo';
import { testPlatform } from '../../support/platform';
import { execution, shop } from '../../unit/delivery-metrics/dora-fixtures';

type Table = Awaited<ReturnType<typeof createTestTable>>;

function request(path: string, query: Record<string, string> = {}): LambdaFunctionURLEvent {
  return {
    rawPath: path,
    queryStringParameters: query,
    requestContext: { http: { method: 'GET' } },
  } as unknown as LambdaFunctionURLEvent;
}

// 30 executions of "busy", one an hour, every third one failed.
const busy = Array.from({ length: 30 }, (_, index) => {
  const start = new Date(Date.parse('2026-11-10T00:00:00.000Z') + index * 3_600_000).toISOString();
  const failed = index % 3 === 2;
  return execution({
    id: `b${String(index).padStart(2, '0')}`,
    pipeline: 'busy',
    start,
    status: failed ? 'FAILED' : 'SUCCEEDED',
    productionStatus: failed ? 'FAILED' : 'SUCCEEDED',
    productionAt: new Date(Date.parse(start) + 600_000).toISOString(),
    failedAt: failed ? new Date(Date.parse(start) + 600_000).toISOString() : undefined,
  });
});

const NOW = Date.now();
// "release" waits in its Approve stage for a decision: one request pending now, one from an older execution.
const release = {
  ...execution({
    id: 'r1',
    pipeline: 'release',
    start: new Date(NOW - 3_600_000).toISOString(),
    status: 'STARTED',
  }),
  stages: {
    Approve: {
      status: { status: 'STARTED' as const, statusAt: new Date(NOW - 3_000_000).toISOString(), attempt: 1 },
      actions: {
        Release: {
          status: 'STARTED' as const,
          statusAt: new Date(NOW - 3_000_000).toISOString(),
          attempt: 1,
          category: 'Approval',
          provider: 'Manual',
        },
      },
    },
  },
};
const approvalRequest = (id: string, createdAt: number) => ({
  id,
  pipeline: 'release',
  stage: 'Approve',
  action: 'Release',
  // Where "release" runs: the hub's own account and region (no account named).
  region: 'us-east-1',
  deadline: createdAt + 7 * 86_400_000,
  quorum: 1,
  status: 'PENDING' as const,
  decisions: [],
  token: `secret-token-${id}`,
  reviewLink: `https://console.aws.amazon.com/codepipeline/home#/view/release/Approve/Release/approve/secret-token-${id}`,
  channel: 'C0RELEASE',
  createdAt: new Date(createdAt).toISOString(),
});

// "guarded" deployed once; an alarm rolled it back an hour later, and an older alarm was skipped.
const guarded = execution({
  id: 'g1',
  pipeline: 'guarded',
  start: '2026-11-16T09:00:00.000Z',
  status: 'SUCCEEDED',
  productionStatus: 'SUCCEEDED',
  productionAt: '2026-11-16T09:30:00.000Z',
});
const incident = (alarmName: string, at: string, outcome: RollbackRecord['outcome']): RollbackRecord => ({
  targetId: 'pipeline:guarded:Production',
  alarmName,
  alarmStateTime: at,
  decidedAt: at,
  action: outcome === 'skipped' ? 'none' : 'rollback-stage',
  reason: 'test',
  enforce: true,
  outcome,
  executionId: 'g1',
});

async function seed(table: Table) {
  const rollbacks = createRollbackStore({
    client: table.client,
    tableName: table.tableName,
    retentionDays: 30,
  });
  await rollbacks.recordDecision(
    incident('p99-latency', '2026-11-16T10:30:00.000Z', 'succeeded'),
    'done',
    'seed',
  );
  await rollbacks.recordDecision(incident('errors', '2026-11-16T09:10:00.000Z', 'skipped'), 'done', 'seed');
  // As the recorder leaves them: each execution in the history and its fact in the DORA rollups.
  const facts = createDeliveryFactsStore({
    client: table.client,
    tableName: table.tableName,
    retentionDays: 30,
  });
  const record = async (execution: ExecutionRecord) => {
    await table.store.mergeExecution(execution.pipeline, execution.executionId, () => execution);
    await table.store.notePipeline(execution.pipeline, execution.startTime as string);
    await facts.write(factWriteFor(undefined, execution, undefined) as FactWrite);
  };
  await record(guarded);
  const approvals = createApprovalStore({ client: table.client, tableName: table.tableName });
  await approvals.create(approvalRequest('a-current', NOW - 2_900_000));
  await approvals.create(approvalRequest('a-older', NOW - 5 * 86_400_000));
  for (const execution of [...shop, ...busy, release]) await record(execution);
}

describe('read API handler (dynalite)', () => {
  let handler: typeof ApiHandler;
  const call = async (path: string, query?: Record<string, string>) => {
    const response = (await handler(request(path, query), {} as never)) as {
      statusCode: number;
      body: string;
    };
    return { status: response.statusCode, body: JSON.parse(response.body) };
  };

  beforeAll(async () => {
    const table = await createTestTable();
    await seed(table);
    vi.stubEnv('TABLE_NAME', table.tableName);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', table.endpoint);
    vi.stubEnv('CHANGE_FAILURE_WINDOW_HOURS', '24');
    handler = (await import('../../../functions/read-api/handler')).createHandler(testPlatform());
  });

  describe('GET /api/metrics/dora', () => {
    it('answers the hand-checked numbers for one pipeline', async () => {
      const { status, body } = await call('/api/metrics/dora', {
        pipeline: 'shop',
        from: '2026-11-16T00:00:00Z',
        to: '2026-11-18T00:00:00Z',
      });
      expect(status).toBe(200);
      expect(body.overall).toMatchObject({
        deployments: 3,
        deploymentFrequency: 1.5,
        leadTime: { count: 3, mean: 5000, median: 5400, p90: 6000 },
        changeFailures: 2,
        changeFailureRate: 0.6667,
        timeToRestore: { count: 1, median: 7800 },
        unrestoredFailures: 1,
      });
      expect(body.pipelines.map((p: { pipeline: string }) => p.pipeline)).toEqual(['shop']);
      expect(body.overall.series).toHaveLength(2);
    });

    it('covers every pipeline in the catalog when none is named, by week', async () => {
      const { body } = await call('/api/metrics/dora', {
        from: '2026-11-09T00:00:00Z',
        to: '2026-11-23T00:00:00Z',
        bucket: 'week',
      });
      const byName = Object.fromEntries(body.pipelines.map((p: { pipeline: string }) => [p.pipeline, p]));
      // busy: 20 successes; each of the 10 failures comes an hour after a success, and the next execution
      // restores it an hour later, but the last failure (b29) has nothing after it.
      expect(byName.busy).toMatchObject({
        deployments: 20,
        changeFailures: 10,
        changeFailureRate: 0.5,
        timeToRestore: { count: 9, median: 3600 },
        unrestoredFailures: 1,
      });
      expect(byName.shop.deployments).toBe(3);
      expect(body.overall.deployments).toBe(24); // busy 20, shop 3, guarded 1
      expect(body.overall.series.map((b: { start: string }) => b.start)).toEqual([
        '2026-11-09T00:00:00.000Z',
        '2026-11-16T00:00:00.000Z',
      ]);
    });

    it('refuses a bad bucket or an inverted range with a 400 naming the parameter', async () => {
      const bucket = await call('/api/metrics/dora', { bucket: 'month' });
      expect(bucket.status).toBe(400);
      expect(bucket.body.message).toMatch(/bucket/);
      const range = await call('/api/metrics/dora', {
        from: '2026-11-18T00:00:00Z',
        to: '2026-11-16T00:00:00Z',
      });
      expect(range).toEqual({ status: 400, body: { message: 'Invalid query: from: must be before to' } });
    });
  });

  describe('rollbacks', () => {
    const range = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };

    it('lists rollback decisions in a range, newest first, taken or skipped', async () => {
      const { status, body } = await call('/api/rollbacks', range);
      expect(status).toBe(200);
      expect(body.rollbacks.map((r: RollbackRecord) => [r.alarmName, r.outcome])).toEqual([
        ['p99-latency', 'succeeded'],
        ['errors', 'skipped'],
      ]);
      expect(
        (await call('/api/rollbacks', { from: '2026-10-01T00:00:00Z', to: '2026-10-31T00:00:00Z' })).body
          .rollbacks,
      ).toEqual([]);
    });

    it('refuses a range over a year, which would fan out one Query per month', async () => {
      const { status, body } = await call('/api/rollbacks', { from: '0001-01-01T00:00:00Z' });
      expect(status).toBe(400);
      expect(body.message).toMatch(/at most 366 days/);
    });

    it('shows an execution with the rollback decisions about it', async () => {
      const { body } = await call('/api/pipelines/guarded/executions/g1');
      expect(body.rollbacks.map((r: RollbackRecord) => r.alarmName).sort()).toEqual([
        'errors',
        'p99-latency',
      ]);
    });

    it('counts an alarm rollback as a change failure of the deployment it names, and not a skipped one', async () => {
      const { body } = await call('/api/metrics/dora', { ...range, pipeline: 'guarded' });
      expect(body.overall).toMatchObject({ deployments: 1, changeFailures: 1, unrestoredFailures: 1 });
    });
  });

  describe('approvals', () => {
    it('lists pending approvals without their CodePipeline tokens', async () => {
      const { status, body } = await call('/api/approvals');
      expect(status).toBe(200);
      expect(body.approvals.map((a: { id: string }) => a.id).sort()).toEqual(['a-current', 'a-older']);
      expect(JSON.stringify(body)).not.toContain('secret-token');
      // Every time the API answers is ISO 8601, the deadline too (stored as epoch milliseconds).
      for (const approval of body.approvals) expect(approval.deadline).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    });

    it('shows an execution with the approvals its approval actions asked for while it ran', async () => {
      const { body } = await call('/api/pipelines/release/executions/r1');
      expect(body.execution.executionId).toBe('r1');
      expect(body.approvals.map((a: { id: string }) => a.id)).toEqual(['a-current']);
      expect(JSON.stringify(body)).not.toContain('secret-token');
    });
  });

  describe('GET /api/pipelines/{pipeline}/executions', () => {
    it('pages through every execution newest first, each exactly once', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const { body } = await call('/api/pipelines/busy/executions', {
          limit: '7',
          ...(cursor ? { cursor } : {}),
        });
        expect(body.executions.length).toBeLessThanOrEqual(7);
        seen.push(...body.executions.map((e: { executionId: string }) => e.executionId));
        cursor = body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(busy.map((e) => e.executionId).reverse());
    });

    it('filters by status and by start time', async () => {
      const failed = await call('/api/pipelines/busy/executions', { status: 'FAILED', limit: '100' });
      expect(failed.body.executions).toHaveLength(10);
      const window = await call('/api/pipelines/busy/executions', {
        from: '2026-11-10T05:00:00Z',
        to: '2026-11-10T07:00:00Z',
      });
      expect(window.body.executions.map((e: { executionId: string }) => e.executionId)).toEqual([
        'b07',
        'b06',
        'b05',
      ]);
    });

    it("answers 400 for a tampered cursor or one from another pipeline, never another partition's items", async () => {
      const { body } = await call('/api/pipelines/busy/executions', { limit: '2' });
      const foreign = await call('/api/pipelines/shop/executions', { cursor: body.nextCursor });
      const key = JSON.parse(Buffer.from(body.nextCursor, 'base64url').toString('utf8'));
      const tampered = Buffer.from(JSON.stringify({ ...key, extra: 'x' })).toString('base64url');
      const notJson = 'bm90IGpzb24';
      for (const cursor of [body.nextCursor, tampered, notJson]) {
        const response =
          cursor === body.nextCursor ? foreign : await call('/api/pipelines/busy/executions', { cursor });
        expect(response).toEqual({
          status: 400,
          body: { message: 'cursor is not one this API returned for this query' },
        });
      }
    });

    it('answers 400 for a path that is not valid percent-encoding', async () => {
      expect(await call('/api/pipelines/%E0%A4%A/executions')).toEqual({
        status: 400,
        body: { message: 'Path segment is not valid percent-encoding: %E0%A4%A' },
      });
    });

    it('refuses a limit over 100 and answers 404 for an unknown execution', async () => {
      expect((await call('/api/pipelines/busy/executions', { limit: '500' })).status).toBe(400);
      expect((await call('/api/pipelines/busy/executions/nope')).status).toBe(404);
    });
  });
});
