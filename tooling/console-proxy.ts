import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { listenOnLoopback } from '../local/loopback';

const HELP = `Usage: npm run console -- --api-url <ApiUrl output> [options]

Opens the deployed read API and its console page in your browser. The API's Function URL uses AWS_IAM
auth, which a browser cannot sign, so this serves it on 127.0.0.1 and signs each GET with SigV4 using your
AWS credentials (the default provider chain: AWS_PROFILE, environment, SSO, instance role). Read-only:
only GET is forwarded, and only to the URL you give.

Options:
  --api-url <url>   The stack's ApiUrl output (https://<id>.lambda-url.<region>.on.aws/)
  --region <name>   Region of the Function URL (default: read from the URL, else $AWS_REGION)
  --port <n>        Local port (default 3001; 0 picks a free one)
  -h, --help        Show this help
`;

export interface ConsoleProxyOptions {
  apiUrl: URL;
  region: string;
  port: number;
  /** Defaults to the AWS SDK's provider chain; tests pass fixed keys. */
  credentials?: ReturnType<typeof defaultProvider>;
}

const FORWARDED_HEADERS = [
  'content-type',
  'content-security-policy',
  'x-content-type-options',
  'referrer-policy',
  'cache-control',
];
const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

/**
 * The API URL a request maps to, or undefined unless it is a plain path (one leading slash) on this proxy's
 * loopback host, and resolves to the API's own origin.
 */
export function forwardTarget(
  path: string | undefined,
  host: string | undefined,
  apiUrl: URL,
): URL | undefined {
  if (!path?.startsWith('/') || path.startsWith('//') || path.includes('\\')) return undefined;
  if (!host || !LOOPBACK_HOST.test(host)) return undefined;
  const target = new URL(path, apiUrl);
  return target.origin === apiUrl.origin ? target : undefined;
}

/** Region of a Function URL host such as `abc.lambda-url.eu-west-1.on.aws`. */
export function functionUrlRegion(url: URL): string | undefined {
  return /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(url.hostname)?.[1];
}

export async function startConsoleProxy(
  options: ConsoleProxyOptions,
): Promise<{ url: string; server: Server }> {
  const signer = new SignatureV4({
    service: 'lambda',
    region: options.region,
    credentials: options.credentials ?? defaultProvider(),
    sha256: Hash.bind(null, 'sha256'),
  });
  const server = createServer(async (request, response) => {
    if (request.method !== 'GET') {
      response.writeHead(405, { allow: 'GET' }).end('Only GET is forwarded: the read API is read-only.');
      return;
    }
    const target = forwardTarget(request.url, request.headers.host, options.apiUrl);
    if (!target) {
      // An absolute or protocol-relative URL ("//evil.example/x", which any web page can make the browser
      // request) would otherwise get a signed request, with the caller's access key id, sent elsewhere; a
      // foreign Host header means DNS rebinding (another site reading the API through this proxy).
      response
        .writeHead(400, { 'content-type': 'text/plain' })
        .end('Only paths of the read API are forwarded.');
      return;
    }
    try {
      const signed = await signer.sign({
        method: 'GET',
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port ? Number(target.port) : undefined,
        path: target.pathname,
        query: Object.fromEntries(target.searchParams),
        headers: { host: target.host, accept: request.headers.accept ?? '*/*' },
      });
      const upstream = await fetch(target, { headers: signed.headers });
      // The console's own security headers (CSP, nosniff, no framing) reach the browser as the API sent them.
      const passed = Object.fromEntries(
        FORWARDED_HEADERS.flatMap((name) => {
          const value = upstream.headers.get(name);
          return value === null ? [] : [[name, value]];
        }),
      );
      response.writeHead(upstream.status, {
        'content-type': 'application/octet-stream',
        ...passed,
      });
      response.end(Buffer.from(await upstream.arrayBuffer()));
    } catch (error) {
      response
        .writeHead(502, { 'content-type': 'text/plain' })
        .end(`Could not reach ${target.origin}: ${(error as Error).message}`);
    }
  });
  const port = await listenOnLoopback(server, options.port);
  return { url: `http://127.0.0.1:${port}`, server };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'api-url': { type: 'string' },
      region: { type: 'string' },
      port: { type: 'string', default: '3001' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (!values['api-url'])
    throw new Error('--api-url is required: the ApiUrl output of your stack (see --help)');
  const apiUrl = new URL(values['api-url']);
  const region = values.region ?? functionUrlRegion(apiUrl) ?? process.env.AWS_REGION;
  if (!region) throw new Error(`Cannot tell the region of ${apiUrl.host}: pass --region`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0-65535, got ${values.port}`);
  const { url } = await startConsoleProxy({ apiUrl, region, port });
  console.info(
    `Console of ${apiUrl.origin} at ${url}/console (requests signed for lambda in ${region}). Ctrl-C to stop.`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: Error) => {
    console.error(`console: ${error.message}`);
    process.exit(1);
  });
}
