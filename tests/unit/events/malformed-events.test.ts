import { describe, expect, it } from 'vitest';
import { parseApprovalNotifications } from '../../../functions/approvals/domain/approval-notification';
import { actionExecutionEvent } from '../../../functions/events/codepipeline-events';
import { parseRecorderEvent } from '../../../functions/history/record-execution/recorder-event-schema';
import { describeIssues, MalformedEventError } from '../../../functions/platform/errors';
import { parseAlarmEvent } from '../../../functions/rollback/rollback-on-alarm/alarm-event';
import { readEvent } from '../../support/events';
import { MALFORMED_EVENTS, type TargetFunction } from './malformed-event-catalogue';

/** Each function's parser, reduced to "the reason it rejects this event" (undefined: accepted). */
const rejectionReason: Record<TargetFunction, (event: unknown) => string | undefined> = {
  'record-execution': (event) => reasonOf(() => parseRecorderEvent(event)),
  'rollback-on-alarm': (event) => reasonOf(() => parseAlarmEvent(event)),
  'approval-completed': (event) => {
    const parsed = actionExecutionEvent.safeParse(event);
    return parsed.success ? undefined : describeIssues(parsed.error.issues);
  },
  'request-approval': (event) => reasonOf(() => parseApprovalNotifications(event)),
};

function reasonOf(parse: () => unknown): string | undefined {
  try {
    parse();
    return undefined;
  } catch (error) {
    // Anything but a MalformedEventError is a throw the handler would not answer: fail the test with it.
    if (!(error instanceof MalformedEventError)) throw error;
    return error.message;
  }
}

describe('malformed events derived from the samples', () => {
  it('cover every EventBridge- and SNS-triggered function, at least 41 in all', () => {
    expect(MALFORMED_EVENTS.length).toBeGreaterThanOrEqual(41);
    expect(new Set(MALFORMED_EVENTS.map((entry) => entry.target)).size).toBe(4);
  });

  it.each(MALFORMED_EVENTS.map((entry) => [`${entry.target}: ${entry.name}`, entry] as const))(
    '%s is rejected with a reason naming the field',
    (_, { target, event, field }) => {
      const reason = rejectionReason[target](event);
      expect(reason).toEqual(expect.stringContaining(field));
      expect((reason ?? '').length).toBeLessThan(2000);
    },
  );
});

describe('field rules that stay out of the way of real events', () => {
  const started = readEvent('record-execution/pipeline-started.json');

  it('reject a 200 KB build id in linear time (no regex backtracking)', () => {
    const build = readEvent<{ detail: Record<string, unknown> }>(
      'record-execution/codebuild-pipeline-build-succeeded.json',
    );
    build.detail['build-id'] = `arn:aws:codebuild:us-east-1:123456789012:build/${'p'.repeat(200_000)}`;
    const startedAt = performance.now();
    expect(() => parseRecorderEvent(build)).toThrow(/detail\.build-id/);
    expect(performance.now() - startedAt).toBeLessThan(200);
  });

  it.each([
    ['CodePipeline', '2026-11-20T10:00:00Z', '2026-11-20T10:00:00.000Z'],
    ['CloudWatch', '2026-11-20T10:00:00.985+0000', '2026-11-20T10:00:00.985Z'],
    ['an offset with a colon', '2026-11-20T12:00:00+02:00', '2026-11-20T10:00:00.000Z'],
    ['nanoseconds', '2026-11-20T10:00:00.123456789Z', '2026-11-20T10:00:00.123Z'],
  ])('accept %s times (%s)', (_, time, normalised) => {
    expect(parseRecorderEvent({ ...started, time }).time).toBe(normalised);
  });

  it('accepts attempts as AWS writes them: 2, 2.0 and "2"', () => {
    for (const attempt of [2, 2.0, '2', '2.0']) {
      const event = {
        ...started,
        detail: { ...(started.detail as object), 'pipeline-execution-attempt': attempt },
      };
      expect(parseRecorderEvent(event)).toMatchObject({ detail: { 'pipeline-execution-attempt': 2 } });
    }
  });

  it('accepts a 100 KB commit message (free text, clipped when observed, never a reason to lose the status)', () => {
    const detail = started.detail as { 'execution-trigger': Record<string, unknown> };
    const event = {
      ...started,
      detail: {
        ...detail,
        'execution-trigger': { ...detail['execution-trigger'], 'commit-message': 'm'.repeat(100_000) },
      },
    };
    expect(() => parseRecorderEvent(event)).not.toThrow();
  });
});
