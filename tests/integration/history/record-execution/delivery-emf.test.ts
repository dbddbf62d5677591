import { CodePipelineClient, GetPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { handler as RecordHandler } from '../../../../functions/history/record-execution/handler';
import { createTestTable } from '../../../support/dynamo';
import { captureEmf } from '../../../support/emf';
import { pipelineEvent, stageEvent } from '../../../support/pipeline-events';
import { testPlatform } from '../../../support/platform';

const context = { functionName: 'record-execution', awsRequestId: 'emf' } as Context;

/** The recorder's EMF output as CloudWatch receives it (metrics are disabled in every other test). */
describe('record-execution delivery metrics (EMF on stdout)', () => {
  let handler: typeof RecordHandler;

  beforeAll(async () => {
    const table = await createTestTable();
    vi.stubEnv('TABLE_NAME', table.tableName);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', table.endpoint);
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    mockClient(CodePipelineClient).on(GetPipelineExecutionCommand).resolves({ pipelineExecution: {} });
    handler = (await import('../../../../functions/history/record-execution/handler')).createHandler(
      testPlatform(),
    );
  });

  it('emits one deployment with Account, Region and Pipeline dimensions when the execution succeeds, and none for a duplicate', async () => {
    const documents = await captureEmf(async () => {
      const common = { pipeline: 'metered', executionId: 'deployed', time: '2026-11-20T10:20:00Z' };
      await handler(pipelineEvent('STARTED', { ...common, time: '2026-11-20T10:00:00Z' }), context);
      await handler(stageEvent('Deploy', 'SUCCEEDED', common), context);
      await handler(pipelineEvent('SUCCEEDED', common), context);
      await handler(pipelineEvent('SUCCEEDED', common), context);
    });
    const deployments = documents.filter((document) => 'Deployments' in document);
    expect(deployments).toHaveLength(1);
    expect(deployments[0]).toMatchObject({
      Account: '123456789012',
      Region: 'us-east-1',
      Pipeline: 'metered',
      service: 'record-execution',
      Deployments: 1,
    });
    const { _aws } = deployments[0] as { _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] } };
    expect(_aws.CloudWatchMetrics[0]?.Dimensions[0]).toEqual(
      expect.arrayContaining(['Account', 'Region', 'Pipeline', 'service']),
    );
    // Three events changed the history and count nothing of their own (each is a Lambda invocation); the
    // duplicate counts one UnchangedEvents.
    expect(documents.filter((document) => 'RecordedEvents' in document)).toEqual([]);
    expect(
      documents
        .filter((document) => 'UnchangedEvents' in document)
        .map((document) => document.UnchangedEvents),
    ).toEqual([1]);
  });
});
