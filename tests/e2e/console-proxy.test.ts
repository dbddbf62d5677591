import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../../local/loopback';
import { forwardTarget, functionUrlRegion, startConsoleProxy } from '../../tooling/console-proxy';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

/** Recomputes the SigV4 signature of what arrived, as the Function URL's AWS_IAM auth would. */
async function signatureIsValid(request: IncomingMessage, region: string): Promise<boolean> {
  const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({
    service: 'lambda',
    region,
    credentials,
    sha256: Hash.bind(null, 'sha256'),
  });
  const expected = await signer.sign(
    {
      method: request.method ?? 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host, accept: String(request.headers.accept) },
    },
    { signingDate },
  );
  return expected.headers.authorization === request.headers.authorization;
}

describe('npm run console: a SigV4-signing proxy to the deployed read API', () => {
  let upstream: Server;
  let proxy: Server;
  let proxyUrl: string;
  const seen: { path: string; valid: boolean }[] = [];

  beforeAll(async () => {
    upstream = createServer(async (request, response) => {
      const valid = await signatureIsValid(request, 'eu-west-1');
      seen.push({ path: request.url ?? '', valid });
      response.writeHead(valid ? 200 : 403, {
        'content-type': 'application/json',
        'content-security-policy': "default-src 'none'",
        'x-content-type-options': 'nosniff',
      });
      response.end(JSON.stringify({ path: request.url }));
    });
    const port = await listenOnLoopback(upstream);
    ({ url: proxyUrl, server: proxy } = await startConsoleProxy({
      apiUrl: new URL(`http://127.0.0.1:${port}/`),
      region: 'eu-west-1',
      port: 0,
      credentials: async () => credentials,
    }));
  });
  afterAll(() => {
    proxy?.close();
    upstream?.close();
  });

  it('forwards GETs with a valid SigV4 signature for the lambda service, query included', async () => {
    const response = await fetch(`${proxyUrl}/api/metrics/dora?bucket=week&pipeline=checkout-service`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      path: '/api/metrics/dora?bucket=week&pipeline=checkout-service',
    });
    expect(seen.at(-1)).toEqual({
      path: '/api/metrics/dora?bucket=week&pipeline=checkout-service',
      valid: true,
    });
  });

  it('forwards nothing but GET', async () => {
    const before = seen.length;
    const response = await fetch(`${proxyUrl}/events`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
    expect(seen.length).toBe(before);
  });

  it('refuses to sign for anything but a plain path on its loopback host', async () => {
    const before = seen.length;
    const api = new URL('https://abcdefghij.lambda-url.eu-west-1.on.aws/');
    expect(forwardTarget('/api/pipelines?x=1', '127.0.0.1:3001', api)?.href).toBe(
      'https://abcdefghij.lambda-url.eu-west-1.on.aws/api/pipelines?x=1',
    );
    for (const path of ['//evil.example/x', 'http://evil.example/x', '/\\evil.example/x', 'api']) {
      expect(forwardTarget(path, '127.0.0.1:3001', api), path).toBeUndefined();
    }
    // DNS rebinding: a page on another name that resolves to 127.0.0.1.
    expect(forwardTarget('/api/pipelines', 'attacker.example:3001', api)).toBeUndefined();
    // Over HTTP: what a browser sends for <img src="http://127.0.0.1:3001//evil.example/x">.
    const response = await fetch(`${proxyUrl}//evil.example/x`);
    expect(response.status).toBe(400);
    expect(seen.length).toBe(before);
  });

  it('passes the console page its security headers', async () => {
    const response = await fetch(`${proxyUrl}/console`);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('reads the region from a Function URL host', () => {
    expect(functionUrlRegion(new URL('https://abcdefghij.lambda-url.eu-west-1.on.aws/'))).toBe('eu-west-1');
    expect(functionUrlRegion(new URL('https://example.com/'))).toBeUndefined();
  });
});
