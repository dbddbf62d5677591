import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createHistoryStore } from '../../../../functions/history/adapters/history-store';
import { recordEvent } from '../../../../functions/history/record-execution/record-event';
import { parseRecorderEvent } from '../../../../functions/history/record-execution/recorder-event-schema';
import { createTestTable } from '../../../support/dynamo';
import { pipelineEvent } from '../../../support/pipeline-events';
import { fixedExecutionDetails } from '../../../support/recorder';

describe('pipeline catalog (dynalite)', () => {
  it('keeps the catalog entry when noting the pipeline fails once and Lambda retries the event', async () => {
    const table = await createTestTable();
    let failNote = true;
    // The table's client, except that the first catalog update (notePipeline) is throttled.
    const client = {
      send: (command: unknown) => {
        if (failNote && command instanceof UpdateCommand && command.input.Key?.pk === 'PIPELINES') {
          failNote = false;
          return Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
        }
        return table.client.send(command as never);
      },
    } as typeof table.client;
    const store = createHistoryStore({ client, tableName: table.tableName, retentionDays: 400 });
    const deps = {
      store,
      fetchExecutionDetails: fixedExecutionDetails(),
      warn: () => {},
    };
    const started = parseRecorderEvent(
      pipelineEvent('STARTED', { pipeline: 'noted', executionId: 'n-1', time: '2026-11-20T10:00:00Z' }),
    );

    await expect(recordEvent(started, deps)).rejects.toThrow('Rate exceeded');
    await recordEvent(started, deps); // the Lambda retry of the same event

    expect(await store.listPipelines()).toEqual([
      {
        account: '123456789012',
        region: 'us-east-1',
        pipeline: 'noted',
        lastExecutionAt: '2026-11-20T10:00:00.000Z',
      },
    ]);
    expect((await store.getExecution('noted', 'n-1'))?.status?.status).toBe('STARTED');
  });
});
