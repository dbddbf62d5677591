import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  originOf,
  readHeaderSecret,
} from '../../../functions/actions/http-smoke-test/adapters/read-header-secret';
import {
  type AddressPolicy,
  checkTarget,
  refuseLocalAddresses,
  resolveWithDns,
} from '../../../functions/actions/http-smoke-test/address-guard';
import type { SmokeTestFunctionDependencies } from '../../../functions/actions/http-smoke-test/handler';
import { describeRequestError } from '../../../functions/actions/http-smoke-test/request-problem';
import {
  runSmokeChecks,
  type SmokeDependencies,
} from '../../../functions/actions/http-smoke-test/run-smoke-checks';
import { smokeTestParams } from '../../../functions/actions/http-smoke-test/smoke-test-params';
import { createAwsClientFactory } from '../../../functions/platform/aws-clients';
import { codePipelineJobEvent, lambdaContext } from '../../support/codepipeline-job';

const PREFIX = 'pipeline-control-plane/smoke-test/';
const SECRET_VALUE = 'sk_live_abc123';

let server: Server;
let port: number;
let base: string;
let flakyRequests = 0;
let received: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    received.push({ url: request.url, headers: request.headers });
    if (request.url === '/ok') return response.writeHead(200).end('status: healthy');
    // The input that makes a backtracking engine take exponential time on ^(a+)+$.
    if (request.url === '/redos') return response.writeHead(200).end(`${'a'.repeat(36)}!`);
    if (request.url === '/down') return response.writeHead(500).end('oops');
    if (request.url === '/huge') {
      // 8 MB, with the marker only past the first megabyte: the check must stop reading before it.
      response.writeHead(200);
      for (let chunk = 0; chunk < 8; chunk++) response.write('x'.repeat(1_048_576));
      return response.end('marker-beyond-the-limit');
    }
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
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

// One mock per client class for the whole file: a second mockClient of the same class replaces the first.
const codePipeline = mockClient(CodePipelineClient);
const secrets = mockClient(SecretsManagerClient);

afterAll(async () => {
  codePipeline.restore();
  secrets.restore();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  flakyRequests = 0;
  received = [];
  codePipeline.reset();
  secrets.reset();
});

/** Production's policy, except for the test server's address: the only way to allow loopback. */
const allowTestServer: AddressPolicy = (address) =>
  address === '127.0.0.1' ? undefined : refuseLocalAddresses(address);

const testServerAllowed: SmokeTestFunctionDependencies = {
  addressPolicy: allowTestServer,
  resolveHost: resolveWithDns,
};

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
    resolveHost: resolveWithDns,
    addressPolicy: allowTestServer,
    ...overrides,
  };
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const free = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return free;
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

  it('matches the body pattern against the first megabyte only, without downloading the rest', async () => {
    await expect(
      runSmokeChecks(
        params([{ url: `${base}/huge`, bodyPattern: 'marker-beyond-the-limit' }], { maxAttempts: 1 }),
        undefined,
        deps(),
      ),
    ).rejects.toThrow('body does not match /marker-beyond-the-limit/');
    await expect(
      runSmokeChecks(
        params([{ url: `${base}/huge`, bodyPattern: '^x+$' }], { maxAttempts: 1 }),
        undefined,
        deps(),
      ),
    ).resolves.toMatchObject({ summary: expect.any(String) });
  });

  it('fails with a problem from a fixed vocabulary when nothing listens on the URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/`;
    await expect(runSmokeChecks(params([{ url }], { maxAttempts: 1 }), undefined, deps())).rejects.toThrow(
      `Smoke test failed: GET ${url}: request failed: connection refused (ECONNREFUSED) (after 1 attempts).`,
    );
  });

  it('sends the headers read from the secret to an origin it lists', async () => {
    const checks = [{ url: `${base}/private` }];
    await expect(runSmokeChecks(params(checks, { maxAttempts: 1 }), undefined, deps())).rejects.toThrow(
      'status 401',
    );
    const secret = { allowedOrigins: [base], headers: { 'x-api-key': 'let-me-in' } };
    await expect(runSmokeChecks(params(checks), undefined, deps({ secret }))).resolves.toMatchObject({
      outputVariables: { checkedCount: 1 },
    });
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
});

describe('http-smoke-test: header values are never reported', () => {
  function secretHolding(secretString: string) {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: secretString });
    return readHeaderSecret(new SecretsManagerClient({}), `${PREFIX}api`, PREFIX);
  }

  async function failureOf(secretString: string): Promise<string> {
    const error = await secretHolding(secretString).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ name: 'ActionFailure', type: 'ConfigurationError' });
    return (error as Error).message;
  }

  it.each([
    ['CR LF', `${SECRET_VALUE}\r\nX: y`],
    ['LF', `${SECRET_VALUE}\nX: y`],
    ['NUL', `${SECRET_VALUE}\u0000`],
    ['another control character', `${SECRET_VALUE}\u0007`],
    ['a character above U+00FF', `${SECRET_VALUE}\u2028`],
  ])('refuses a value with %s, naming the header and not the value', async (_, value) => {
    const message = await failureOf(
      JSON.stringify({ allowedOrigins: ['https://api.example.com'], headers: { 'x-api-key': value } }),
    );
    expect(message).toContain(
      `Secret ${PREFIX}api: the value of header "x-api-key" is not a valid HTTP field value`,
    );
    expect(message).not.toContain(SECRET_VALUE);
  });

  it('refuses a header name that is not an HTTP token by its position, since it may be a value pasted as a name', async () => {
    const message = await failureOf(
      JSON.stringify({
        allowedOrigins: ['https://api.example.com'],
        headers: { accept: 'text/plain', [`x-api-key: ${SECRET_VALUE}`]: '' },
      }),
    );
    expect(message).toContain('header name number 2 is not an HTTP token (RFC 9110)');
    expect(message).not.toContain(SECRET_VALUE);
  });

  it('refuses the old flat shape, which names no origins, explaining the migration without the values', async () => {
    const message = await failureOf(JSON.stringify({ 'x-api-key': SECRET_VALUE }));
    expect(message).toBe(
      `Secret ${PREFIX}api: holds header names and values directly (the old shape), which could be sent to ` +
        'any host; move them under "headers" and list the origins they are for in "allowedOrigins". ' +
        'Expected {"allowedOrigins":["https://api.example.com"],"headers":{"x-api-key":"…"}}.',
    );
  });

  it.each([
    ['not JSON', `{"x-api-key":"${SECRET_VALUE}`],
    ['no allowedOrigins', JSON.stringify({ headers: { 'x-api-key': SECRET_VALUE } })],
    [
      'an origin with a path',
      JSON.stringify({ allowedOrigins: ['https://api.example.com/v1'], headers: { a: SECRET_VALUE } }),
    ],
    [
      'other keys',
      JSON.stringify({ allowedOrigins: ['https://api.example.com'], headers: {}, [SECRET_VALUE]: 'x' }),
    ],
    [
      'a value that is not a string',
      JSON.stringify({ allowedOrigins: ['https://api.example.com'], headers: { a: [SECRET_VALUE] } }),
    ],
  ])('refuses a secret with %s without quoting it', async (_, secretString) => {
    expect(await failureOf(secretString)).not.toContain(SECRET_VALUE);
  });

  it('names an allowedOrigins entry that looks like a URL, and any other entry only by position', async () => {
    const origins = (allowedOrigins: unknown[]) =>
      failureOf(JSON.stringify({ allowedOrigins, headers: { 'x-api-key': SECRET_VALUE } }));
    await expect(origins(['https://api.example.com/v1'])).resolves.toContain(
      '"allowedOrigins" "https://api.example.com/v1" is not an origin (http or https, a host, an optional port; no path, query, fragment or user)',
    );
    const message = await origins(['https://api.example.com', SECRET_VALUE]);
    expect(message).toContain('"allowedOrigins" entry number 2 is not an origin');
    expect(message).not.toContain(SECRET_VALUE);
  });

  it('reads the new shape, normalising origins and trimming what fetch would trim', async () => {
    await expect(
      secretHolding(
        JSON.stringify({
          allowedOrigins: ['HTTPS://API.Example.com:443/', 'http://127.0.0.1:8080'],
          headers: { 'X-Api-Key': ` ${SECRET_VALUE}\n`, authorization: 'Bearer a\tb' },
        }),
      ),
    ).resolves.toEqual({
      allowedOrigins: ['https://api.example.com', 'http://127.0.0.1:8080'],
      headers: { 'X-Api-Key': SECRET_VALUE, authorization: 'Bearer a\tb' },
    });
  });

  it('keeps an invalid header value out of the problem, the continuation token and the final failure', async () => {
    // Past readHeaderSecret's check (a second line of defence): fetch itself refuses the value, quoting it.
    const secret = { allowedOrigins: [base], headers: { 'x-api-key': `${SECRET_VALUE}\r\nX: y` } };
    const smoke = params([{ url: `${base}/ok` }], { maxAttempts: 2 });
    let budgetChecks = 0;
    const first = await runSmokeChecks(
      smoke,
      undefined,
      deps({ secret, remainingTimeMs: () => (budgetChecks++ < 1 ? 60_000 : 0) }),
    );
    expect(first).toMatchObject({
      continueWith: { attempt: 1, lastProblem: 'request failed: invalid header' },
    });
    expect(JSON.stringify(first)).not.toContain(SECRET_VALUE);
    const state = 'continueWith' in first ? first.continueWith : undefined;
    const failure = await runSmokeChecks(smoke, state, deps({ secret })).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe(
      `Smoke test failed: GET ${base}/ok: request failed: invalid header (after 2 attempts).`,
    );
    expect(received).toEqual([]);
  });

  it.each([
    [new TypeError(`Headers.append: "${SECRET_VALUE}\r\n" is an invalid header value.`), 'invalid header'],
    [
      new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) }),
      'DNS lookup failed (ENOTFOUND)',
    ],
    [
      new TypeError('fetch failed', {
        cause: Object.assign(new Error(SECRET_VALUE), { code: 'CERT_HAS_EXPIRED' }),
      }),
      'TLS error (CERT_HAS_EXPIRED)',
    ],
    [
      new TypeError('fetch failed', {
        cause: Object.assign(new Error(SECRET_VALUE), { code: 'weird code' }),
      }),
      'unknown error',
    ],
    [new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'timed out after 5000 ms'],
    [
      new TypeError('fetch failed', { cause: Object.assign(new Error(SECRET_VALUE), { code: 'EPROTO' }) }),
      'network error (EPROTO)',
    ],
    [new Error(SECRET_VALUE), 'unknown error'],
    [SECRET_VALUE, 'unknown error'],
  ])('maps %s to a fixed problem', (error, problem) => {
    expect(describeRequestError(error, 5_000)).toBe(problem);
  });
});

describe('http-smoke-test: where requests may go', () => {
  it('refuses to send the secret headers to an origin the secret does not list, before any request', async () => {
    const secret = { allowedOrigins: ['https://api.example.com'], headers: { 'x-api-key': 'let-me-in' } };
    const smoke = params([{ url: `${base}/ok` }, { url: 'https://api.example.com/health' }]);
    await expect(runSmokeChecks(smoke, undefined, deps({ secret }))).rejects.toMatchObject({
      type: 'ConfigurationError',
      message:
        `Smoke test refused: ${base} is not in the allowedOrigins of the headers secret, so its headers may ` +
        `not be sent there (GET ${base}/ok). No request was sent.`,
    });
    expect(received).toEqual([]);
  });

  it('compares origins, not URL prefixes: scheme, host and port must all match', async () => {
    const secret = { allowedOrigins: [`${base}`], headers: { 'x-api-key': 'let-me-in' } };
    const lookalike = `http://127.0.0.1.attacker.example:${port}/`;
    await expect(runSmokeChecks(params([{ url: lookalike }]), undefined, deps({ secret }))).rejects.toThrow(
      `Smoke test refused: http://127.0.0.1.attacker.example:${port} is not in the allowedOrigins`,
    );
  });

  it.each([
    ['http://127.0.0.1:9001/2018-06-01/runtime/invocation/next', '127.0.0.1 is a loopback address'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
    ['http://[::1]:9001/', '::1 is a loopback address'],
    ['http://0.0.0.0:9001/', '0.0.0.0 is an unspecified address'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1 is a loopback address'],
    ['http://2130706433/', '127.0.0.1 is a loopback address'],
    ['http://[fe80::1]/', 'fe80::1 is a link-local address'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254 is an instance metadata address'],
  ])('refuses %s under the production address policy', async (url, reason) => {
    const failure = runSmokeChecks(
      params([{ url }]),
      undefined,
      deps({ addressPolicy: refuseLocalAddresses }),
    );
    await expect(failure).rejects.toMatchObject({
      type: 'ConfigurationError',
      message: `Smoke test refused: GET ${url}: ${reason}; checks may not target loopback, link-local or unspecified addresses.`,
    });
  });

  it('checks every address a name resolves to', async () => {
    const resolveHost = async () => ['93.184.216.34', '2606:2800:220:1::1', '169.254.169.254'];
    await expect(
      checkTarget(new URL('https://rebind.example/'), resolveHost, refuseLocalAddresses),
    ).resolves.toEqual({
      ok: false,
      refused: 'rebind.example resolves to 169.254.169.254, which is a link-local address',
    });
    const publicOnly = async () => ['93.184.216.34', '10.0.0.1', '2606:2800:220:1::1'];
    await expect(
      checkTarget(new URL('https://public.example/'), publicOnly, refuseLocalAddresses),
    ).resolves.toEqual({ ok: true });
  });

  it('resolves names with DNS: localhost is refused', async () => {
    await expect(
      runSmokeChecks(
        params([{ url: `http://localhost:${port}/ok` }]),
        undefined,
        deps({ addressPolicy: refuseLocalAddresses }),
      ),
    ).rejects.toThrow(
      /^Smoke test refused: GET http:\/\/localhost:\d+\/ok: localhost resolves to (127\.0\.0\.1|::1), which is a loopback address/,
    );
    expect(received).toEqual([]);
  });

  it('reports a failed lookup as a retryable problem', async () => {
    const resolveHost = () =>
      Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    await expect(
      runSmokeChecks(
        params([{ url: 'https://nowhere.example/' }], { maxAttempts: 2 }),
        undefined,
        deps({ resolveHost }),
      ),
    ).rejects.toThrow(
      'Smoke test failed: GET https://nowhere.example/: request failed: DNS lookup failed (ENOTFOUND) (after 2 attempts).',
    );
  });

  it('gives up on a lookup after the check timeout', async () => {
    const hanging = () => new Promise<never>(() => {});
    await expect(
      checkTarget(new URL('https://slow-dns.example/'), hanging, refuseLocalAddresses, 100),
    ).resolves.toEqual({ ok: false, lookupFailed: 'ETIMEOUT' });
  });

  it.each([
    ['https://api.example.com', 'https://api.example.com'],
    ['https://api.example.com:8443/', 'https://api.example.com:8443'],
    ['http://[::1]:80', 'http://[::1]'],
    ['https://api.example.com/v1', undefined],
    ['https://api.example.com/?a', undefined],
    ['https://user@api.example.com', undefined],
    ['ftp://api.example.com', undefined],
    ['api.example.com', undefined],
  ])('reads %s as the origin %s', (text, origin) => {
    expect(originOf(text)).toBe(origin);
  });
});

describe('http-smoke-test as a CodePipeline action', () => {
  beforeEach(() => {
    vi.stubEnv('SMOKE_TEST_SECRET_PREFIX', PREFIX);
    codePipeline.on(PutJobSuccessResultCommand).resolves({}).on(PutJobFailureResultCommand).resolves({});
  });
  afterEach(() => vi.unstubAllEnvs());

  async function runJob(
    userParameters: object,
    dependencies?: SmokeTestFunctionDependencies,
  ): Promise<{ failure?: { type?: string; message?: string }; logs: string }> {
    const module = await import('../../../functions/actions/http-smoke-test/handler');
    const handler = dependencies
      ? module.createHandler({ clients: createAwsClientFactory() }, dependencies)
      : module.handler;
    const written: string[] = [];
    const capture = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      await handler(codePipelineJobEvent(JSON.stringify(userParameters)), lambdaContext() as never);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    const failure = codePipeline.commandCalls(PutJobFailureResultCommand)[0]?.args[0].input.failureDetails;
    return { ...(failure && { failure }), logs: written.join('') };
  }

  it('sends headers from Secrets Manager to an origin the secret lists', async () => {
    secrets.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ allowedOrigins: [base], headers: { 'x-api-key': 'let-me-in' } }),
    });
    const { failure } = await runJob(
      { checks: [{ url: `${base}/private` }], headersSecretId: `${PREFIX}api` },
      testServerAllowed,
    );
    expect(failure).toBeUndefined();
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(codePipeline.commandCalls(PutJobSuccessResultCommand)[0]?.args[0].input).toMatchObject({
      outputVariables: { checkedCount: '1' },
    });
    expect(received.map((request) => request.headers['x-api-key'])).toEqual(['let-me-in']);
  });

  it("refuses another team's secret for an origin it does not list, naming the origin and not the secret", async () => {
    secrets.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({
        allowedOrigins: ['https://api.example.com'],
        headers: { 'x-api-key': SECRET_VALUE },
      }),
    });
    const { failure } = await runJob(
      { checks: [{ url: `${base}/private` }], headersSecretId: `${PREFIX}other-team` },
      testServerAllowed,
    );
    expect(failure).toEqual({
      type: 'ConfigurationError',
      message:
        `Smoke test refused: ${base} is not in the allowedOrigins of the headers secret, so its headers may ` +
        `not be sent there (GET ${base}/private). No request was sent.`,
    });
    expect(failure?.message).not.toContain('other-team');
    expect(received).toEqual([]);
  });

  it('fails on a secret with CRLF in a value, naming the header; the value is in no report and no log', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'DEBUG');
    vi.resetModules(); // the handler's logger reads the log level when it is created
    secrets.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({
        allowedOrigins: [base],
        headers: { 'x-api-key': `${SECRET_VALUE}\r\nX: y` },
      }),
    });
    const { failure, logs } = await runJob(
      { checks: [{ url: `${base}/private` }], headersSecretId: `${PREFIX}api` },
      testServerAllowed,
    );
    expect(failure?.type).toBe('ConfigurationError');
    expect(failure?.message).toContain('the value of header "x-api-key" is not a valid HTTP field value');
    expect(logs).toContain('Job failed'); // the logs were captured…
    expect(logs).not.toContain(SECRET_VALUE); // …and hold no value
    expect(JSON.stringify(codePipeline.calls().map((call) => call.args[0].input))).not.toContain(
      SECRET_VALUE,
    );
    expect(received).toEqual([]);
    vi.resetModules();
  });

  it.each([
    () => `http://127.0.0.1:${port}/ok`,
    () => 'http://169.254.169.254/latest/meta-data/',
    () => `http://[::1]:${port}/ok`,
    () => `http://localhost:${port}/ok`,
  ])('refuses loopback and link-local targets in the deployed configuration (%#)', async (url) => {
    const { failure } = await runJob({ checks: [{ url: url() }] });
    expect(failure).toMatchObject({
      type: 'ConfigurationError',
      message: expect.stringMatching(
        /^Smoke test refused: GET .*: .* (loopback|link-local) address; checks may not target loopback, link-local or unspecified addresses\.$/,
      ),
    });
    expect(received).toEqual([]);
  });

  it('matches a catastrophic-backtracking pattern in linear time, so the job is reported', async () => {
    // On JavaScript's RegExp this check blocks the event loop for minutes: no timer fires and the job hangs.
    const { failure } = await runJob(
      { checks: [{ url: `${base}/redos`, bodyPattern: '^(a+)+$' }], maxAttempts: 1 },
      testServerAllowed,
    );
    expect(failure).toEqual({
      type: 'JobFailed',
      message: `Smoke test failed: GET ${base}/redos: body does not match /^(a+)+$/ (after 1 attempts).`,
    });
  });

  it.each([
    ['a backreference', '(a)\\1', /invalid escape sequence/],
    ['a lookahead', 'ok(?=!)', /unsupported Perl syntax/],
    ['a lookbehind', '(?<=status: )healthy', /invalid named capture|unsupported/],
  ])('refuses %s when reading the parameters, before any request', async (_, pattern, reason) => {
    const { failure } = await runJob(
      { checks: [{ url: `${base}/ok`, bodyPattern: pattern }] },
      testServerAllowed,
    );
    expect(failure?.type).toBe('ConfigurationError');
    expect(failure?.message).toMatch(
      /^http-smoke-test: invalid UserParameters: checks\.0\.bodyPattern: expected a regular expression RE2 can run \(no backreferences, lookahead or lookbehind\): /,
    );
    expect(failure?.message).toMatch(reason);
    expect(received).toEqual([]);
  });

  it('keeps JavaScript syntax RE2 shares: named groups, classes, escaped slashes', async () => {
    const { failure } = await runJob(
      { checks: [{ url: `${base}/ok`, bodyPattern: '^(?<key>\\w+): \\/?[a-z]+$' }] },
      testServerAllowed,
    );
    expect(failure).toBeUndefined();
    expect(codePipeline.commandCalls(PutJobSuccessResultCommand)).toHaveLength(1);
  });
});
