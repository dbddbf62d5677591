import { CodePipelineClient, GetPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import type { Context, DynamoDBBatchResponse } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createStreamDelivery, type StreamDelivery } from '../../../local/stream-delivery';
import { streamSourceOf } from '../../../tooling/template';
import { createStreamedTestTable } from '../../support/delivery-stream';
import { captureEmf } from '../../support/emf';
import { pipelineEvent, stageEvent } from '../../support/pipeline-events';
import { testPlatform } from '../../support/platform';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * The recorder and record-delivery-changes as deployed (their handlers, EMF on stdout as CloudWatch receives
 * it; metrics are disabled in every other test), the second fed by the table's stream.
 */
describe('delivery metrics (EMF on stdout): the recorder writes, record-delivery-changes counts', () => {
  let recorder: Handler;
  let delivery: StreamDelivery;

  beforeAll(async () => {
    const table = await createStreamedTestTable();
    vi.stubEnv('TABLE_NAME', table.tableName);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', table.endpoint);
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    mockClient(CodePipelineClient).on(GetPipelineExecutionCommand).resolves({ pipelineExecution: {} });
    recorder = (await import('../../../functions/history/record-execution/handler')).createHandler(
      testPlatform(),
    ) as Handler;
    const consumer = (
      await import('../../../functions/delivery-metrics/record-delivery-changes/handler')
    ).createHandler(testPlatform()) as Handler;
    const source = streamSourceOf('RecordDeliveryChangesFunction');
    const context = { functionName: 'record-delivery-changes', awsRequestId: 'emf' } as Context;
    delivery = createStreamDelivery(table.stream, [
      { source, handler: async (event) => (await consumer(event, context)) as DynamoDBBatchResponse },
    ]);
  });

  it('emits one deployment with Account, Region and Pipeline dimensions when the execution succeeds, and none for a duplicate', async () => {
    const context = { functionName: 'record-execution', awsRequestId: 'emf' } as Context;
    const documents = await captureEmf(async () => {
      const common = { pipeline: 'metered', executionId: 'deployed', time: '2026-11-20T10:20:00Z' };
      for (const event of [
        pipelineEvent('STARTED', { ...common, time: '2026-11-20T10:00:00Z' }),
        stageEvent('Deploy', 'SUCCEEDED', common),
        pipelineEvent('SUCCEEDED', common),
        pipelineEvent('SUCCEEDED', common),
      ]) {
        await recorder(event, context);
        await delivery.drain();
      }
    });
    expect(delivery.failed).toEqual([]);
    const deployments = documents.filter((document) => 'Deployments' in document);
    expect(deployments).toHaveLength(1);
    expect(deployments[0]).toMatchObject({
      Account: '123456789012',
      Region: 'us-east-1',
      Pipeline: 'metered',
      service: 'record-delivery-changes',
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
