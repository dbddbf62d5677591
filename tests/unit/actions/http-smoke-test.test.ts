import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { CodePipelineClient, PutJobSuccessResultCommand } from '@aws-sdk/client-codepipeline';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  runSmokeChecks,
  type SmokeDependencies,
} from '../../../functions/actions/http-smoke-test/run-smoke-checks';
import { smokeTestParams } from '../../../functions/actions/http-smoke-test/smoke-test-params';
import { codePipelineJobEvent, lambdaContext } from '../../support/codepipeline-job';

let server: Server;
let base: string;
let flakyRequests = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/ok') return response.writeHead(200).end('status: healthy');
    if (request.url === '/down') return response.writeHead(500).end('oops');
    if (request.url === '/flaky') {
      flakyRequests += 1;
      return response.writeHead(flakyRequests <= 2 ? 503 : 200).end();
    }
    if (request.url === '/private') {
      return response.writeHead(request.headers['x-api-key'] === 'let-me-in' ? 200 : 401).end();
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  flakyRequests = 0;
});

function params(checks: object[], extra: object = {}) {
  return smokeTestParams.parse({ checks, initialBackoffMs: 5, maxBackoffMs: 20, ...extra });
}

function deps(overrides: Partial<SmokeDependencies> = {}): SmokeDependencies {
  return {
    fetch,
    now: Date.now,
    sleep: (ms, signal) => sleep(ms, undefined, { signal }),
    remainingTimeMs: () => 60_000,
    signal: new AbortController().signal,
    headers: {},
    ...overrides,
  };
}

describe('http-smoke-test', () => {
  it('passes when every URL answers the expected status and body, reporting count and slowest latency', async () => {
    const result = await runSmokeChecks(
      params([
        { url: `${base}/ok`, bodyPattern: 'healthy' },
        { url: `${base}/missing`, expectedStatus: 404 },
      ]),
      undefined,
      deps(),
    );
    expect(result).toMatchObject({ outputVariables: { checkedCount: 2, slowestMs: expect.any(Number) } });
  });

  it('retries a flaky URL with backoff until it answers', async () => {
    const result = await runSmokeChecks(params([{ url: `${base}/flaky` }]), undefined, deps());
    expect(result).toMatchObject({ outputVariables: { checkedCount: 1 } });
    expect(flakyRequests).toBe(3);
  });

  it('fails naming the URL and status after the last attempt', async () => {
    await expect(
      runSmokeChecks(params([{ url: `${base}/down` }], { maxAttempts: 2 }), undefined, deps()),
    ).rejects.toThrow(`Smoke test failed: GET ${base}/down: status 500, expected 200 (after 2 attempts).`);
  });

  it('fails when the body does not match the pattern', async () => {
    await expect(
      runSmokeChecks(
        params([{ url: `${base}/ok`, bodyPattern: 'ready' }], { maxAttempts: 1 }),
        undefined,
        deps(),
      ),
    ).rejects.toThrow('body does not match /ready/');
  });

  it('fails with a useful message when nothing listens on the URL', async () => {
    await expect(
      runSmokeChecks(params([{ url: 'http://127.0.0.1:1/' }], { maxAttempts: 1 }), undefined, deps()),
    ).rejects.toThrow(/request failed \(TypeError: fetch failed\)/);
  });

  it('sends the headers read from the secret', async () => {
    const checks = [{ url: `${base}/private` }];
    await expect(runSmokeChecks(params(checks, { maxAttempts: 1 }), undefined, deps())).rejects.toThrow(
      'status 401',
    );
    await expect(
      runSmokeChecks(params(checks), undefined, deps({ headers: { 'x-api-key': 'let-me-in' } })),
    ).resolves.toMatchObject({ outputVariables: { checkedCount: 1 } });
  });

  it('continues in the next invocation when this one runs out of time, then finishes', async () => {
    const smoke = params([{ url: `${base}/ok` }, { url: `${base}/flaky` }]);
    let budgetChecks = 0;
    const first = await runSmokeChecks(
      smoke,
      undefined,
      deps({ remainingTimeMs: () => (budgetChecks++ < 1 ? 60_000 : 0) }),
    );
    expect(first).toMatchObject({ continueWith: { next: 1, attempt: 0 }, percentComplete: 50 });
    const state = 'continueWith' in first ? first.continueWith : undefined;
    const second = await runSmokeChecks(smoke, state, deps());
    expect(second).toMatchObject({ outputVariables: { checkedCount: 2 } });
  });

  it('gives up once the total budget since the first invocation is spent', async () => {
    const smoke = params([{ url: `${base}/down` }], { budgetSeconds: 60 });
    const state = {
      startedAt: Date.now() - 61_000,
      next: 0,
      attempt: 3,
      slowestMs: 0,
      lastProblem: 'status 500',
    };
    await expect(runSmokeChecks(smoke, state, deps())).rejects.toThrow(
      /gave up after 60 s .* status 500 \(0 of 1/,
    );
  });

  it('runs as a CodePipeline action with headers from Secrets Manager', async () => {
    vi.stubEnv('SMOKE_TEST_SECRET_PREFIX', 'pipeline-control-plane/smoke-test/');
    const codePipeline = mockClient(CodePipelineClient).on(PutJobSuccessResultCommand).resolves({});
    const secrets = mockClient(SecretsManagerClient)
      .on(GetSecretValueCommand)
      .resolves({ SecretString: '{"x-api-key":"let-me-in"}' });
    const { handler } = await import('../../../functions/actions/http-smoke-test/handler');
    const userParameters = JSON.stringify({
      checks: [{ url: `${base}/private` }],
      headersSecretId: 'pipeline-control-plane/smoke-test/api',
    });
    await handler(codePipelineJobEvent(userParameters), lambdaContext() as never);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(codePipeline.commandCalls(PutJobSuccessResultCommand)[0]?.args[0].input).toMatchObject({
      outputVariables: { checkedCount: '1' },
    });
    codePipeline.restore();
    secrets.restore();
    vi.unstubAllEnvs();
  });
});
