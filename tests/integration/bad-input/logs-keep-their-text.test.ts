import { Logger } from '@aws-lambda-powertools/logger';
import { CodeDeployClient, GetDeploymentCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { CodePipelineClient, PutJobFailureResultCommand } from '@aws-sdk/client-codepipeline';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { ActionFailure } from '../../../layers/action-runtime/src/action-failure';
import { createActionHandler } from '../../../layers/action-runtime/src/create-action-handler';
import { codePipelineJobEvent, lambdaContext } from '../../support/codepipeline-job';
import { createTestTable } from '../../support/dynamo';
import { readEvent } from '../../support/events';
import { seedDeployment } from '../../support/rollback';

const codeDeploy = mockClient(CodeDeployClient);
const codePipeline = mockClient(CodePipelineClient);

/** Every JSON log line Powertools writes (stdout and stderr) while `run` runs. */
async function captureLogLines(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const written: string[] = [];
  const capture = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await run();
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{') && line.includes('"level"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const reservedKeyWarnings = (lines: Record<string, unknown>[]) =>
  lines.filter((line) => String(line.message).includes('reserved key'));

/** Powertools drops attributes named `message` (and warns): each explanation must travel under its own name. */
describe('log lines keep their explanations (real Powertools Logger)', () => {
  beforeAll(() => {
    // The suite silences logs; these tests read them.
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'INFO');
    vi.resetModules();
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('rollback-on-alarm logs the refusal explanation and the decision text', async () => {
    const table = await createTestTable();
    await seedDeployment(table.store, 'd-BAD', 'START', '2026-11-24T11:40:00.000Z');
    codeDeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { creator: 'user' } });
    codeDeploy.on(StopDeploymentCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: codedeploy:StopDeployment'), {
        name: 'AccessDeniedException',
      }),
    );
    vi.stubEnv('TABLE_NAME', table.tableName);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', table.endpoint);
    vi.stubEnv(
      'ROLLBACK_CONFIG',
      JSON.stringify({
        targets: [
          {
            kind: 'codedeploy',
            application: 'checkout',
            deploymentGroup: 'prod',
            alarms: ['checkout-*'],
            mode: 'enforce',
          },
        ],
      }),
    );
    const { handler } = await import('../../../functions/rollback/rollback-on-alarm/handler');
    const context = { functionName: 'rollback-on-alarm', awsRequestId: 'logs' } as Context;

    let result: unknown;
    const lines = await captureLogLines(async () => {
      result = await handler(readEvent('rollback-on-alarm/alarm.json'), context);
    });

    expect(result).toMatchObject({ status: 'decided', targets: [{ outcome: 'failed' }] });
    const refused = lines.find((line) => line.message === 'Rollback call refused');
    expect(refused).toMatchObject({ error: 'AccessDeniedException', explanation: expect.any(String) });
    expect(String(refused?.explanation)).not.toBe('');
    const decision = lines.find((line) => line.message === 'Rollback decision');
    expect(decision).toMatchObject({ outcome: 'failed', decisionText: refused?.explanation });
    expect(reservedKeyWarnings(lines)).toEqual([]);
  });

  it('an invoke action logs the job failure reason', async () => {
    codePipeline.on(PutJobFailureResultCommand).resolves({});
    const logger = new Logger({ serviceName: 'test-action' });
    const handler = createActionHandler(
      {
        name: 'test-action',
        paramsSchema: z.object({}),
        run: async () => {
          throw new ActionFailure('Smoke check https://example.com/health answered 503', 'JobFailed');
        },
      },
      { codePipeline: () => new CodePipelineClient({ region: 'us-east-1' }), logger, safetyMarginMs: 50 },
    );

    const lines = await captureLogLines(() => handler(codePipelineJobEvent('{}'), lambdaContext()));

    expect(lines.find((line) => line.message === 'Job failed')).toMatchObject({
      failureType: 'JobFailed',
      failureReason: 'Smoke check https://example.com/health answered 503',
    });
    expect(reservedKeyWarnings(lines)).toEqual([]);
  });
});
