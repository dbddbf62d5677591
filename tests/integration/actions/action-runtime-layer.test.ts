import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { CodePipelineClient, PutJobFailureResultCommand } from '@aws-sdk/client-codepipeline';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { codePipelineJobEvent, lambdaContext, silentLogger } from '../../support/codepipeline-job';

describe('the action runtime layer as SAM builds it', () => {
  it('is a CommonJS package under nodejs/node_modules that ends a job', async () => {
    // Inside the repository (.scratch is git-ignored) so the layer's require('@aws-sdk/…') resolves, as
    // it does through NODE_PATH in Lambda.
    execFileSync('mkdir', ['-p', '.scratch']);
    const artifacts = mkdtempSync(resolve('.scratch/layer-'));
    execFileSync(
      'make',
      ['-s', '-C', 'layers/action-runtime', 'build-ActionRuntimeLayer', `ARTIFACTS_DIR=${artifacts}`],
      {
        stdio: 'pipe',
      },
    );
    const packageDir = join(artifacts, 'nodejs/node_modules/@pipeline-control-plane/action-runtime');
    expect(JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))).toMatchObject({
      main: './index.cjs',
    });

    const runtime = createRequire(join(artifacts, 'nodejs/index.js'))(
      '@pipeline-control-plane/action-runtime',
    );
    expect(Object.keys(runtime).sort()).toEqual(['ActionFailure', 'createActionHandler']);

    const codePipeline = mockClient(CodePipelineClient).on(PutJobFailureResultCommand).resolves({});
    const handler = runtime.createActionHandler(
      {
        name: 'team-action',
        paramsSchema: { safeParse: () => ({ success: true, data: {} }) },
        run: async () => ({}),
      },
      { codePipeline: () => new CodePipelineClient({ region: 'us-east-1' }), logger: silentLogger },
    );
    const outcome = await handler(codePipelineJobEvent('not json'), lambdaContext());
    expect(outcome).toMatchObject({ status: 'failed', failureType: 'ConfigurationError' });
    expect(codePipeline.commandCalls(PutJobFailureResultCommand)).toHaveLength(1);
    codePipeline.restore();
  });
});
