import {
  BatchGetBuildBatchesCommand,
  BatchGetBuildsCommand,
  CodeBuildClient,
} from '@aws-sdk/client-codebuild';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { codeBuildHistoryApi } from '../../../../functions/history/adapters/codebuild-history-api';

const codebuildMock = mockClient(CodeBuildClient);
afterAll(() => codebuildMock.restore());

describe('codeBuildHistoryApi', () => {
  it('asks every id as a batch build first, and only the ids it does not know as builds', async () => {
    codebuildMock.on(BatchGetBuildBatchesCommand).resolves({
      buildBatches: [{ id: 'web-build:batch-1', buildBatchStatus: 'SUCCEEDED', projectName: 'web-build' }],
      buildBatchesNotFound: ['web-build:build-1'],
    });
    codebuildMock.on(BatchGetBuildsCommand).resolves({
      builds: [{ id: 'web-build:build-1', buildStatus: 'FAILED', projectName: 'web-build' }],
    });

    const reports = await codeBuildHistoryApi(new CodeBuildClient({ region: 'eu-west-1' })).getBuilds([
      'web-build:batch-1',
      'web-build:build-1',
    ]);

    expect(reports).toMatchObject([
      { id: 'web-build:batch-1', batch: true, status: 'SUCCEEDED' },
      { id: 'web-build:build-1', batch: false, status: 'FAILED' },
    ]);
    expect(codebuildMock.commandCalls(BatchGetBuildsCommand)[0]?.args[0].input).toEqual({
      ids: ['web-build:build-1'],
    });
  });
});
