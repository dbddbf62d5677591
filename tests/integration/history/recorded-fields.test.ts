import { describe, expect, it } from 'vitest';
import { observeDeploymentRollback } from '../../../functions/history/domain/observe-api-deployment';
import { recordEvent } from '../../../functions/history/record-execution/record-event';
import { parseRecorderEvent } from '../../../functions/history/record-execution/recorder-event-schema';
import { readHistory } from '../../../functions/read-api/read-history';
import { createTestTable } from '../../support/dynamo';
import { actionEvent, pipelineEvent } from '../../support/pipeline-events';

// The Git-tag trigger of the CodePipeline user guide's "Pipeline SUCCEEDED" sample.
const CONNECTION_TRIGGER = {
  'author-display-name': 'Mary Major',
  'full-repository-name': 'mmajor/sample-project',
  'provider-type': 'GitLab',
  'author-email': 'mary.major@example.com',
  'commit-message': 'Update file README.md',
  'author-date': '2023-08-16T21:08:08Z',
  'tag-name': 'gitlab-v4.2.1',
  'commit-id': '3f5a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39',
  'connection-arn':
    'arn:aws:codestar-connections:us-east-1:123456789012:connection/aEXAMPLE-8aad-4d5d-8878-dfcab0bc441f',
  'author-id': 'Mary Major',
};

async function recordAll(store: Awaited<ReturnType<typeof createTestTable>>['store'], events: unknown[]) {
  for (const event of events) {
    await recordEvent(parseRecorderEvent(event), {
      store,
      // GetPipelineExecution's `variables`, read on the call the recorder already makes.
      fetchExecutionDetails: async (pipeline, executionId, at) => ({
        kind: 'details',
        pipeline,
        executionId,
        at,
        sourceRevisions: [{ actionName: 'Source', revisionId: 'abc' }],
        variables: [
          { name: 'ENVIRONMENT', value: 'production' },
          { name: 'RELEASE', value: 'gitlab-v4.2.1' },
        ],
      }),
      warn: () => {},
    });
  }
}

const readers = (store: Awaited<ReturnType<typeof createTestTable>>['store']) => ({
  history: store,
  checkpoints: { list: async () => [] },
  approvals: { pendingByDeadline: async () => [], forActionBetween: async () => [] },
  rollbacks: { incidentsBetween: async () => [] },
});

describe('recorded V2 fields, through the real store and the execution detail (dynalite)', () => {
  it('keeps the connection trigger, the stop comments and the pipeline variables, in any order', async () => {
    const { store } = await createTestTable();
    const started = pipelineEvent('STARTED', { time: '2026-11-20T10:00:00Z' });
    const stopping = pipelineEvent('STOPPING', { time: '2026-11-20T10:03:00Z' });
    const stopped = pipelineEvent('STOPPED', { time: '2026-11-20T10:04:00Z' });
    await recordAll(store, [
      stopped,
      { ...stopping, detail: { ...stopping.detail, 'stop-execution-comments': 'Bad config in eu-west-1' } },
      { ...started, detail: { ...started.detail, 'execution-trigger': CONNECTION_TRIGGER } },
    ]);

    const { body } = await readHistory(readers(store), {
      name: 'getExecution',
      pipeline: 'orders',
      executionId: 'exec-1',
    });
    const { execution } = body as { execution: Record<string, unknown> };
    expect(execution).toMatchObject({
      status: { status: 'STOPPED' },
      stopComments: 'Bad config in eu-west-1',
      trigger: {
        providerType: 'GitLab',
        connectionArn: CONNECTION_TRIGGER['connection-arn'],
        authorEmail: 'mary.major@example.com',
        author: 'Mary Major',
        tag: 'gitlab-v4.2.1',
      },
      variables: [
        { name: 'ENVIRONMENT', value: 'production' },
        { name: 'RELEASE', value: 'gitlab-v4.2.1' },
      ],
    });
  });

  it('shows the automatic rollback deployment with the deployment it rolled back', async () => {
    const { store } = await createTestTable();
    await recordAll(store, [
      actionEvent('Prod', 'Deploy', 'FAILED', { time: '2026-11-20T10:05:00Z', externalId: 'd-FAILED001' }),
      pipelineEvent('FAILED', { time: '2026-11-20T10:05:01Z' }),
    ]);
    const failed = await store.getRun('deployment', 'd-FAILED001');
    // What BatchGetDeployments says of the failed deployment: CodeDeploy rolled it back with d-ROLLBACK1.
    const observations = observeDeploymentRollback(
      {
        deploymentId: 'd-FAILED001',
        rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK1', rollbackMessage: 'Automatic rollback' },
      },
      '2026-11-20T10:05:00.000Z',
      failed?.pipelineLink,
    );
    for (const observation of observations) {
      await store.recordRun(observation);
    }

    const { body } = await readHistory(readers(store), {
      name: 'getExecution',
      pipeline: 'orders',
      executionId: 'exec-1',
    });
    expect((body as { deployments: unknown[] }).deployments).toMatchObject([
      { runId: 'd-FAILED001', rollback: { rolledBackBy: 'd-ROLLBACK1' } },
      {
        runId: 'd-ROLLBACK1',
        rollback: { rollsBack: 'd-FAILED001', execution: { pipeline: 'orders', executionId: 'exec-1' } },
      },
    ]);
  });
});
