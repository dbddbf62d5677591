import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../../../local/loopback';
import { codePipelineJobEvent } from '../../support/codepipeline-job';

const run = promisify(execFile);

/**
 * A team's function as Lambda runs it: plain JavaScript outside this repository that finds the runtime only
 * in the layer (/opt/nodejs/node_modules) and the AWS SDK only in the Node.js runtime
 * (/var/runtime/node_modules), both through NODE_PATH.
 */
const THIRD_PARTY_ACTION = `
const { ActionFailure, createActionHandler } = require('@pipeline-control-plane/action-runtime');

const handler = createActionHandler({
  name: 'team-action',
  paramsSchema: {
    safeParse: (input) =>
      typeof input.service === 'string'
        ? { success: true, data: input }
        : { success: false, error: { issues: [{ path: ['service'], message: 'expected a string' }] } },
  },
  run: async ({ params }) => {
    if (params.service === 'down') throw new ActionFailure('down is down', 'ConfigurationError');
    return { summary: params.service + ' is operational', outputVariables: { status: 'operational' } };
  },
});

handler(JSON.parse(process.argv[2]), { getRemainingTimeInMillis: () => 30000 })
  .then((outcome) => process.stdout.write('\\n' + JSON.stringify(outcome)));
`;

interface ReceivedCall {
  readonly target: string;
  readonly body: Record<string, unknown>;
}

describe('the action runtime layer as SAM builds it', () => {
  const work = mkdtempSync(join(tmpdir(), 'action-runtime-layer-'));
  const layer = join(work, 'opt');
  const lambdaRuntime = join(work, 'var-runtime/node_modules');
  const received: ReceivedCall[] = [];
  let endpoint: Server;
  let endpointUrl: string;

  beforeAll(async () => {
    execFileSync(
      'make',
      ['-s', '-C', 'layers/action-runtime', 'build-ActionRuntimeLayer', `ARTIFACTS_DIR=${layer}`],
      { stdio: 'pipe' },
    );
    // The Node.js 22 runtime's copy of the SDK, standing in for /var/runtime/node_modules: nothing else.
    mkdirSync(join(lambdaRuntime, '@aws-sdk'), { recursive: true });
    for (const client of ['client-codepipeline', 'client-s3']) {
      symlinkSync(resolve('node_modules/@aws-sdk', client), join(lambdaRuntime, '@aws-sdk', client));
    }
    writeFileSync(join(work, 'index.js'), THIRD_PARTY_ACTION);

    // CodePipeline's JSON 1.1 protocol: the operation in X-Amz-Target, the input as the body.
    endpoint = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push({ target: String(request.headers['x-amz-target']), body: JSON.parse(body) });
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{}');
      });
    });
    endpointUrl = `http://127.0.0.1:${await listenOnLoopback(endpoint)}`;
  });

  afterAll(() => {
    endpoint.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function invokeThirdPartyAction(userParameters: string) {
    received.length = 0;
    const { stdout } = await run(
      process.execPath,
      [join(work, 'index.js'), JSON.stringify(codePipelineJobEvent(userParameters))],
      {
        cwd: work,
        env: {
          PATH: process.env.PATH,
          NODE_PATH: [join(layer, 'nodejs/node_modules'), lambdaRuntime].join(':'),
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_ENDPOINT_URL_CODEPIPELINE: endpointUrl,
        },
      },
    );
    // The runtime logs to stdout as Lambda functions do; the outcome is the last line.
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
  }

  it('is a CommonJS package under nodejs/node_modules with the public entry only', () => {
    const packageDir = join(layer, 'nodejs/node_modules/@pipeline-control-plane/action-runtime');
    expect(JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))).toEqual({
      name: '@pipeline-control-plane/action-runtime',
      version: expect.any(String),
      description: expect.any(String),
      license: 'Apache-2.0',
      main: './index.cjs',
    });
    const bundle = readFileSync(join(packageDir, 'index.cjs'), 'utf8');
    // Nothing of the application comes along: the package may not import it.
    expect(bundle).not.toMatch(/functions\/platform|#platform/);
  });

  it('lets a third-party action outside the repository end its job through the layer alone', async () => {
    const outcome = await invokeThirdPartyAction('{"service":"checkout"}');
    expect(outcome).toEqual({
      status: 'succeeded',
      jobId: '11111111-abcd-1111-abcd-111111abcdef',
      report: 'reported',
    });
    expect(received).toEqual([
      {
        target: 'CodePipeline_20150709.PutJobSuccessResult',
        body: {
          jobId: '11111111-abcd-1111-abcd-111111abcdef',
          executionDetails: { summary: 'checkout is operational', percentComplete: 100 },
          outputVariables: { status: 'operational' },
        },
      },
    ]);
  });

  it("keeps the failure type of the layer's ActionFailure and fails malformed parameters", async () => {
    await invokeThirdPartyAction('{"service":"down"}');
    expect(received.map((call) => [call.target, call.body.failureDetails])).toEqual([
      ['CodePipeline_20150709.PutJobFailureResult', { type: 'ConfigurationError', message: 'down is down' }],
    ]);
    await invokeThirdPartyAction('{"service":42}');
    expect(received.map((call) => call.body.failureDetails)).toEqual([
      {
        type: 'ConfigurationError',
        message: 'team-action: invalid UserParameters: service: expected a string',
      },
    ]);
  });
});
