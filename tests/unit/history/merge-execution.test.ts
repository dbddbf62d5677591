import { describe, expect, it } from 'vitest';
import { MAX_TEXT_LENGTH } from '../../../functions/history/domain/execution-record';
import { type ExecutionObservation, mergeAll } from '../../../functions/history/domain/merge-execution';
import { observeCodePipelineEvent } from '../../../functions/history/domain/observe-codepipeline-event';
import { parseRecorderEvent } from '../../../functions/history/record-execution/recorder-event-schema';
import { actionEvent, pipelineEvent, stageEvent } from '../../support/pipeline-events';

const observe = (events: unknown[]) =>
  events.map((event) => {
    const parsed = parseRecorderEvent(event);
    if (parsed.source !== 'aws.codepipeline') throw new Error('not a pipeline event');
    return observeCodePipelineEvent(parsed);
  });

const finalStatus = (events: unknown[]) => mergeAll(observe(events))?.status?.status;

describe('mergeExecution', () => {
  it('keeps SUCCEEDED when a late STARTED arrives', () => {
    const started = pipelineEvent('STARTED', { time: '2026-11-20T10:00:00Z' });
    const succeeded = pipelineEvent('SUCCEEDED', { time: '2026-11-20T10:05:00Z' });
    expect(finalStatus([succeeded, started])).toBe('SUCCEEDED');
  });

  it('keeps FAILED when a late STARTED arrives', () => {
    expect(
      finalStatus([
        pipelineEvent('FAILED', { time: '2026-11-20T10:05:00Z' }),
        pipelineEvent('STARTED', { time: '2026-11-20T10:00:00Z' }),
      ]),
    ).toBe('FAILED');
  });

  it('prefers the terminal state when STARTED and SUCCEEDED share a second', () => {
    expect(
      finalStatus([
        pipelineEvent('SUCCEEDED', { time: '2026-11-20T10:00:00Z' }),
        pipelineEvent('STARTED', { time: '2026-11-20T10:00:00Z' }),
      ]),
    ).toBe('SUCCEEDED');
  });

  it('re-opens a failed execution on RESUMED, even when the FAILED event arrives afterwards', () => {
    const failed = pipelineEvent('FAILED', { time: '2026-11-20T10:05:00Z', attempt: 1 });
    const resumed = pipelineEvent('RESUMED', { time: '2026-11-20T10:20:00Z', attempt: 2 });
    const record = mergeAll(observe([resumed, failed]));
    expect(record?.status).toMatchObject({ status: 'RESUMED', attempt: 2 });
    expect(record?.endTime).toBeUndefined();
  });

  it('ends a retried execution with the second attempt’s SUCCEEDED', () => {
    const events = [
      pipelineEvent('STARTED', { time: '2026-11-20T10:00:00Z' }),
      pipelineEvent('FAILED', { time: '2026-11-20T10:05:00Z' }),
      pipelineEvent('RESUMED', { time: '2026-11-20T10:20:00Z', attempt: 2 }),
      pipelineEvent('SUCCEEDED', { time: '2026-11-20T10:25:00Z', attempt: 2 }),
    ];
    const record = mergeAll(observe([events[3], events[1], events[0], events[2]]));
    expect(record?.status).toMatchObject({ status: 'SUCCEEDED', attempt: 2 });
    expect(record?.endTime).toBe('2026-11-20T10:25:00.000Z');
  });

  it.each([
    ['STOPPING', 'STOPPED'],
    ['STARTED', 'SUPERSEDED'],
    ['STARTED', 'CANCELED'],
  ])('moves from %s to %s and records the end time', (first, last) => {
    const record = mergeAll(
      observe([
        pipelineEvent(last, { time: '2026-11-20T10:06:00Z' }),
        pipelineEvent(first, { time: '2026-11-20T10:05:00Z' }),
      ]),
    );
    expect(record?.status?.status).toBe(last);
    expect(record?.endTime).toBe('2026-11-20T10:06:00.000Z');
  });

  it('leaves STOPPING open: the execution has not ended yet', () => {
    const record = mergeAll(observe([pipelineEvent('STOPPING', { time: '2026-11-20T10:05:00Z' })]));
    expect(record?.status?.status).toBe('STOPPING');
    expect(record?.endTime).toBeUndefined();
  });

  it('nests stages and actions, and links the CodeDeploy deployment the action started', () => {
    const record = mergeAll(
      observe([
        stageEvent('Deploy', 'STARTED', { time: '2026-11-20T10:01:00Z' }),
        actionEvent('Deploy', 'Deploy', 'FAILED', { time: '2026-11-20T10:04:00Z', externalId: 'd-ABC123' }),
        actionEvent('Deploy', 'Deploy', 'STARTED', { time: '2026-11-20T10:01:00Z' }),
      ]),
    );
    expect(record?.stages.Deploy?.status?.status).toBe('STARTED');
    expect(record?.stages.Deploy?.actions.Deploy).toMatchObject({
      status: 'FAILED',
      externalExecutionId: 'd-ABC123',
    });
    expect(record?.deploymentIds).toEqual(['d-ABC123']);
  });

  it('changes nothing when the same event is merged twice', () => {
    const event = actionEvent('Build', 'Build', 'SUCCEEDED', {
      time: '2026-11-20T10:03:00Z',
      provider: 'CodeBuild',
    });
    const once = mergeAll(observe([event]));
    expect(mergeAll(observe([event]), once)).toEqual(once);
  });

  it('keeps the earliest start-time and the full time span of events', () => {
    const record = mergeAll(
      observe([
        stageEvent('Build', 'SUCCEEDED', { time: '2026-11-20T10:09:00Z' }),
        stageEvent('Build', 'STARTED', { time: '2026-11-20T10:02:00Z' }),
      ]),
    );
    expect(record).toMatchObject({
      startTime: '2026-11-20T10:00:00.000Z',
      firstEventAt: '2026-11-20T10:02:00.000Z',
      lastEventAt: '2026-11-20T10:09:00.000Z',
    });
  });

  describe('source revisions', () => {
    const details = (
      at: string,
      sourceRevisions?: { actionName: string; revisionId?: string; createdAt?: string }[],
    ) =>
      ({
        kind: 'details',
        pipeline: 'orders',
        executionId: 'exec-1',
        at,
        sourceRevisions,
      }) as ExecutionObservation;
    const source = { actionName: 'Source', revisionId: 'abc123', createdAt: '2026-11-20T09:50:00.000Z' };
    const config = { actionName: 'Config', revisionId: 'cfg9' };
    const orders = (observations: ExecutionObservation[]) => [observations, [...observations].reverse()];

    it('an empty list never beats a real one, in either order, and alone means unknown', () => {
      const empty = details('2026-11-20T10:00:00.000Z', []);
      const real = details('2026-11-20T10:05:00.000Z', [source]);
      for (const order of orders([empty, real])) expect(mergeAll(order)?.sourceRevisions).toEqual([source]);
      expect(mergeAll([empty])?.sourceRevisions).toBeUndefined();
      expect(mergeAll([details('2026-11-20T10:00:00.000Z')])?.sourceRevisions).toBeUndefined();
    });

    it('joins the revisions of several source actions by action, whatever the order of the reads', () => {
      const partial = details('2026-11-20T10:00:00.000Z', [{ actionName: 'Source', revisionId: 'abc123' }]);
      const full = details('2026-11-20T10:05:00.000Z', [config, source]);
      for (const order of orders([partial, full])) {
        expect(mergeAll(order)?.sourceRevisions).toEqual([config, source]);
      }
    });
  });

  it('clips action summaries and commit messages to MAX_TEXT_LENGTH, so the item stays bounded', () => {
    const long = 'x'.repeat(2048);
    const withResult = actionEvent('Deploy', 'Blue', 'SUCCEEDED', { time: '2026-11-20T10:01:00Z' });
    withResult.detail = {
      ...withResult.detail,
      'execution-result': { 'external-execution-id': 'd-1', 'external-execution-summary': long },
    };
    const started = pipelineEvent('STARTED', { time: '2026-11-20T10:00:00Z' });
    const record = mergeAll(
      observe([
        {
          ...started,
          detail: {
            ...started.detail,
            'execution-trigger': { 'trigger-type': 'Webhook', 'commit-message': `🚀${long}` },
          },
        },
        withResult,
      ]),
    );
    const summary = record?.stages.Deploy?.actions.Blue?.summary ?? '';
    const message = record?.trigger?.commitMessage ?? '';
    expect(summary).toHaveLength(MAX_TEXT_LENGTH);
    expect(summary.endsWith('…')).toBe(true);
    expect(message.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
    expect(message.startsWith('🚀x')).toBe(true);
  });
});
