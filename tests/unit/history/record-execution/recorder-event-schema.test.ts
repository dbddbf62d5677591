import { describe, expect, it } from 'vitest';
import { parseRecorderEvent } from '../../../../functions/history/record-execution/recorder-event-schema';
import { MalformedEventError } from '../../../../functions/platform/errors';
import { readEvent } from '../../../support/events';

const reasonFor = (event: unknown) => {
  try {
    parseRecorderEvent(event);
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedEventError);
    return (error as Error).message;
  }
  throw new Error('expected the event to be rejected');
};

describe('parseRecorderEvent', () => {
  const started = readEvent('record-execution/pipeline-started.json');

  it('accepts every sample event meant for the recorder', () => {
    for (const file of [
      'pipeline-started.json',
      'pipeline-succeeded.json',
      'stage-resumed.json',
      'action-codedeploy-failed.json',
      'codedeploy-deployment-success.json',
      'codebuild-pipeline-build-succeeded.json',
    ]) {
      expect(() => parseRecorderEvent(readEvent(`record-execution/${file}`))).not.toThrow();
    }
  });

  it('normalises CloudWatch-style +0000 offsets and numeric strings', () => {
    const event = { ...started, time: '2026-11-20T10:00:00.123+0000' };
    expect(parseRecorderEvent(event).time).toBe('2026-11-20T10:00:00.123Z');
  });

  it.each([
    [
      'an unknown detail-type',
      { ...started, 'detail-type': 'Something Else' },
      /unsupported detail-type "Something Else"/,
    ],
    ['no body at all', null, /unsupported detail-type undefined/],
    [
      'a missing execution id',
      { ...started, detail: { ...(started.detail as object), 'execution-id': undefined } },
      /detail\.execution-id: expected string/,
    ],
    [
      'an unknown state',
      { ...started, detail: { ...(started.detail as object), state: 'EXPLODED' } },
      /detail\.state: expected one of "STARTED"/,
    ],
    ['a bad time', { ...started, time: 'yesterday' }, /time: expected an ISO-8601 time/],
    ['a wrong source for the detail-type', { ...started, source: 'aws.codebuild' }, /source/],
  ])('rejects %s with a reason naming the field', (_name, event, reason) => {
    expect(reasonFor(event)).toMatch(reason);
  });
});
