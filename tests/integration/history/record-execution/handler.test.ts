import { CodePipelineClient, GetPipelineExecutionCommand } from '@aws-sdk/client-codepipeline';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { handler as RecordHandler } from '../../../../functions/history/record-execution/handler';
import { createTestTable } from '../../../support/dynamo';
import { readEvent } from '../../../support/events';
import { actionEvent, pipelineEvent, stageEvent } from '../../../support/pipeline-events';
import { testPlatform } from '../../../support/platform';

const context = {
  functionName: 'record-execution',
  awsRequestId: 'test',
  getRemainingTimeInMillis: () => 30_000,
} as Context;
const codePipeline = mockClient(CodePipelineClient);

describe('record-execution handler (dynalite, CodePipeline mocked)', () => {
  let handler: typeof RecordHandler;
  let table: Awaited<ReturnType<typeof createTestTable>>;

  beforeAll(async () => {
    table = await createTestTable();
    vi.stubEnv('TABLE_NAME', table.tableName);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', table.endpoint);
    handler = (await import('../../../../functions/history/record-execution/handler')).createHandler(
      testPlatform(),
    );
  });

  const answer = {
    pipelineExecution: {
      pipelineName: 'checkout-service',
      pipelineExecutionId: 'x',
      artifactRevisions: [
        {
          name: 'Source',
          revisionId: '9b2f0c4d',
          revisionSummary: 'Retry payment capture on 503',
          created: new Date('2026-11-20T09:41:07Z'),
          revisionUrl: 'https://github.com/acme/checkout-service/commit/9b2f0c4d',
        },
      ],
    },
  };
  beforeEach(() => {
    codePipeline.reset();
    codePipeline.on(GetPipelineExecutionCommand).resolves(answer);
  });

  it('records an execution with its source revisions, fetched once per execution', async () => {
    const started = readEvent('record-execution/pipeline-started.json');
    const succeeded = readEvent('record-execution/pipeline-succeeded.json');
    await handler(started, context);
    await handler(succeeded, context);
    await handler(started, context);

    const execution = await table.store.getExecution(
      'checkout-service',
      '0f6c1c2e-1111-4a7b-8e1d-5a4b3c2d1e0f',
    );
    expect(execution?.status?.status).toBe('SUCCEEDED');
    expect(execution?.sourceRevisions?.[0]).toMatchObject({
      revisionId: '9b2f0c4d',
      createdAt: '2026-11-20T09:41:07.000Z',
    });
    expect(execution?.trigger?.commitId).toBe('9b2f0c4d7e1a3b5c6d8e9f0a1b2c3d4e5f6a7b8c');
    expect(codePipeline.commandCalls(GetPipelineExecutionCommand)).toHaveLength(1);
  });

  it('still records the event when GetPipelineExecution fails, and tries again on the next event that may read it', async () => {
    codePipeline
      .on(GetPipelineExecutionCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves(answer);
    const common = { executionId: 'throttled' };
    await handler(pipelineEvent('STARTED', { ...common, time: '2026-11-20T10:00:00Z' }), context);
    const sourced = await handler(
      stageEvent('Source', 'SUCCEEDED', { ...common, time: '2026-11-20T10:01:00Z' }),
      context,
    );
    expect(sourced).toMatchObject({ status: 'recorded', state: 'STARTED' });
    expect((await table.store.getExecution('orders', 'throttled'))?.sourceRevisions).toBeUndefined();

    await handler(pipelineEvent('SUCCEEDED', { ...common, time: '2026-11-20T10:05:00Z' }), context);
    expect((await table.store.getExecution('orders', 'throttled'))?.sourceRevisions).toHaveLength(1);
    expect(codePipeline.commandCalls(GetPipelineExecutionCommand)).toHaveLength(2);
  });

  it('reads GetPipelineExecution at most once per execution: when the first stage succeeds, never on other events', async () => {
    const common = { executionId: 'once' };
    const events = [
      pipelineEvent('STARTED', { ...common, time: '2026-11-20T10:00:00Z' }),
      ...['Source', 'Build', 'Deploy'].flatMap((stage, index) => [
        stageEvent(stage, 'STARTED', { ...common, time: `2026-11-20T10:0${index * 2 + 1}:00Z` }),
        ...['Compile', 'Test', 'Package'].flatMap((action) => [
          actionEvent(stage, action, 'STARTED', { ...common, time: `2026-11-20T10:0${index * 2 + 1}:10Z` }),
          actionEvent(stage, action, 'SUCCEEDED', { ...common, time: `2026-11-20T10:0${index * 2 + 1}:50Z` }),
        ]),
        stageEvent(stage, 'SUCCEEDED', { ...common, time: `2026-11-20T10:0${index * 2 + 2}:00Z` }),
      ]),
      pipelineEvent('SUCCEEDED', { ...common, time: '2026-11-20T10:07:00Z' }),
    ];
    // Delivered twice, the second time in reverse: duplicates and late events read nothing either.
    for (const event of [...events, ...[...events].reverse()]) await handler(event, context);
    expect(codePipeline.commandCalls(GetPipelineExecutionCommand)).toHaveLength(1);
    expect((await table.store.getExecution('orders', 'once'))?.sourceRevisions).toHaveLength(1);
  });

  it('reads once even when the revisions never appear (the answer is remembered on the header)', async () => {
    codePipeline
      .on(GetPipelineExecutionCommand)
      .resolves({ pipelineExecution: { ...answer.pipelineExecution, artifactRevisions: [] } });
    const common = { executionId: 'no-revisions' };
    for (const event of [
      pipelineEvent('STARTED', { ...common, time: '2026-11-20T10:00:00Z' }),
      stageEvent('Source', 'SUCCEEDED', { ...common, time: '2026-11-20T10:01:00Z' }),
      stageEvent('Build', 'SUCCEEDED', { ...common, time: '2026-11-20T10:02:00Z' }),
      pipelineEvent('SUCCEEDED', { ...common, time: '2026-11-20T10:05:00Z' }),
    ]) {
      await handler(event, context);
    }
    expect(codePipeline.commandCalls(GetPipelineExecutionCommand)).toHaveLength(1);
  });

  it('links a CodeDeploy deployment to the action that started it, whichever event comes first', async () => {
    await handler(readEvent('record-execution/codedeploy-deployment-success.json'), context);
    await handler(
      actionEvent('Deploy', 'Deploy', 'SUCCEEDED', {
        executionId: 'linked',
        time: '2016-06-30T22:06:40Z',
        externalId: 'd-123456789',
      }),
      context,
    );
    expect(await table.store.getRun('deployment', 'd-123456789')).toMatchObject({
      status: { status: 'SUCCESS' },
      attributes: { application: 'myApplication', deploymentGroup: 'myDeploymentGroup' },
      pipelineLink: { pipeline: 'orders', executionId: 'linked', stage: 'Deploy', action: 'Deploy' },
    });
    expect((await table.store.getExecution('orders', 'linked'))?.deploymentIds).toEqual(['d-123456789']);
  });

  it('records pipeline CodeBuild builds under their build id', async () => {
    await handler(readEvent('record-execution/codebuild-pipeline-build-succeeded.json'), context);
    expect(
      await table.store.getRun('build', 'checkout-build:8745a7a9-c340-456a-9166-edf953571bef'),
    ).toMatchObject({
      status: { status: 'SUCCEEDED' },
      attributes: { project: 'checkout-build', initiator: 'codepipeline/checkout-service' },
    });
  });

  it('rejects a malformed event with a specific reason and writes nothing', async () => {
    const malformed = pipelineEvent('STARTED', { executionId: 'broken', time: '2026-11-20T10:00:00Z' });
    (malformed.detail as Record<string, unknown>).state = 'EXPLODED';
    const result = await handler(malformed, context);
    expect(result).toEqual({
      status: 'rejected',
      reason: expect.stringMatching(/detail\.state: expected one of/),
    });
    expect(await table.store.getExecution('orders', 'broken')).toBeUndefined();
  });
});
