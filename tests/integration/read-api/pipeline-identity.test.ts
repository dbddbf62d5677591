import { describe, expect, it } from 'vitest';
import { observeCodePipelineEvent } from '../../../functions/history/domain/observe-codepipeline-event';
import { parseRecorderEvent } from '../../../functions/history/record-execution/recorder-event-schema';
import { readHistory } from '../../../functions/read-api/read-history';
import { createTestTable, TEST_HUB } from '../../support/dynamo';
import { pipelineEvent } from '../../support/pipeline-events';

const SPOKE = { account: '210987654321', region: 'eu-west-1' };

async function recordStart(
  store: Awaited<ReturnType<typeof createTestTable>>['store'],
  scope: { account: string; region: string },
  executionId: string,
) {
  const event = parseRecorderEvent({
    ...pipelineEvent('STARTED', { pipeline: 'orders', executionId, time: '2026-11-20T10:00:00Z' }),
    ...scope,
  });
  if (event.source !== 'aws.codepipeline') throw new Error('not a pipeline event');
  await store.recordObservation(observeCodePipelineEvent(event));
}

describe('read API: a pipeline is account + region + name (dynalite)', () => {
  it('lists pipelines with their account and region, and asks which one when a name is ambiguous', async () => {
    const { store } = await createTestTable();
    const readers = {
      history: store,
      checkpoints: { list: async () => [] },
      approvals: { pendingByDeadline: async () => [], forActionBetween: async () => [] },
      rollbacks: { incidentsBetween: async () => [] },
    };
    await recordStart(store, TEST_HUB, 'hub-1');
    await recordStart(store, SPOKE, 'spoke-1');

    const listed = await readHistory(readers, { name: 'listPipelines' });
    expect((listed.body as { pipelines: object[] }).pipelines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ...TEST_HUB, pipeline: 'orders' }),
        expect.objectContaining({ ...SPOKE, pipeline: 'orders' }),
      ]),
    );

    const ambiguous = await readHistory(readers, { name: 'listExecutions', pipeline: 'orders' });
    expect(ambiguous.statusCode).toBe(409);
    expect((ambiguous.body as { choices: object[] }).choices).toEqual(
      expect.arrayContaining([TEST_HUB, SPOKE]),
    );

    const spoke = await readHistory(readers, { name: 'listExecutions', pipeline: 'orders' }, { ...SPOKE });
    expect(spoke.body).toMatchObject({ ...SPOKE, executions: [{ executionId: 'spoke-1', ...SPOKE }] });

    const byAccount = await readHistory(
      readers,
      { name: 'getExecution', pipeline: 'orders', executionId: 'hub-1' },
      { account: TEST_HUB.account },
    );
    expect(byAccount.statusCode).toBe(200);
    expect(byAccount.body).toMatchObject({ execution: { executionId: 'hub-1', ...TEST_HUB } });
  });
});
