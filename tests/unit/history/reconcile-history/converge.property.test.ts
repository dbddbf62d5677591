import type { ActionExecutionDetail, PipelineExecutionSummary } from '@aws-sdk/client-codepipeline';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../../../../functions/history/domain/execution-record';
import {
  type ExecutionObservation,
  mergeAll,
  mergeExecution,
} from '../../../../functions/history/domain/merge-execution';
import { observeApiRead } from '../../../../functions/history/domain/observe-api-execution';
import { observeCodePipelineEvent } from '../../../../functions/history/domain/observe-codepipeline-event';
import { parseRecorderEvent } from '../../../../functions/history/record-execution/recorder-event-schema';
import {
  events,
  finalActionDetails,
  finalSummary,
  PIPELINE,
  retriedActionDetails,
  retriedEvents,
  retriedSummary,
} from '../../../support/reconcile-scenario';

type CodePipelineRecorderEvent = Parameters<typeof observeCodePipelineEvent>[0];

interface ApiRead {
  summary: PipelineExecutionSummary;
  details: ActionExecutionDetail[];
}
type Item = { kind: 'event'; observation: ExecutionObservation } | { kind: 'read'; read: ApiRead };

// Event state → the API status a read would show at that moment (the inverse of mapPipelineStatus).
const API_STATUS: Record<string, PipelineExecutionSummary['status']> = {
  STARTED: 'InProgress',
  RESUMED: 'InProgress',
  FAILED: 'Failed',
  SUCCEEDED: 'Succeeded',
};

/** A recorded execution: its events, and the API's answers about it at any time. */
function scenario(
  rawEvents: readonly unknown[],
  summary: PipelineExecutionSummary,
  details: ActionExecutionDetail[],
) {
  const observations = rawEvents.map((event) =>
    observeCodePipelineEvent(parseRecorderEvent(event) as CodePipelineRecorderEvent),
  );
  const times = [...new Set(observations.map((observation) => observation.at))].sort();
  const end = times[times.length - 1] as string;

  /** What ListPipelineExecutions / ListActionExecutions answered at time `t`. */
  function apiReadAt(t: string): ApiRead {
    const lastUpdate = times.filter((time) => time <= t).pop() ?? t;
    const lastPipelineState = observations
      .filter((observation) => observation.kind === 'pipeline' && observation.at <= t)
      .map((observation) => (observation.kind === 'pipeline' ? observation.status.status : 'STARTED'))
      .pop();
    const visible = details
      .filter((detail) => (detail.startTime as Date).toISOString() <= t)
      .map((detail) =>
        (detail.lastUpdateTime as Date).toISOString() <= t
          ? detail
          : { ...detail, status: 'InProgress' as const, lastUpdateTime: detail.startTime, output: undefined },
      );
    return {
      summary: {
        ...summary,
        status: API_STATUS[lastPipelineState ?? 'STARTED'] ?? 'InProgress',
        lastUpdateTime: new Date(lastUpdate),
      },
      details: visible,
    };
  }

  const readTimes = [
    ...times,
    '2026-11-24T10:01:30.000Z',
    '2026-11-24T10:11:00.000Z',
    '2026-11-24T10:30:00.000Z',
  ];
  return {
    observations,
    eventsOnly: mergeAll(observations),
    apiReadAt,
    end,
    reads: fc.constantFrom(...readTimes).map((t): Item => ({ kind: 'read', read: apiReadAt(t) })),
    eventSubset: fc.subarray(observations.map((observation): Item => ({ kind: 'event', observation }))),
    allEvents: observations.map((observation): Item => ({ kind: 'event', observation })),
  };
}

const single = scenario(events, finalSummary, finalActionDetails);
const retried = scenario(retriedEvents, retriedSummary, retriedActionDetails);

/** Events merge as they are; a read is labelled with the attempts of the record it meets, as in the reconciler. */
function fold(items: readonly Item[]): ExecutionRecord | undefined {
  let record: ExecutionRecord | undefined;
  for (const item of items) {
    record =
      item.kind === 'event'
        ? mergeExecution(record, item.observation)
        : mergeAll(observeApiRead(PIPELINE, item.read.summary, item.read.details, record), record);
  }
  return record;
}

function shuffled(items: readonly Item[]) {
  return fc.array(fc.nat(), { minLength: items.length, maxLength: items.length }).map((keys) =>
    items
      .map((item, index) => ({ item, key: keys[index] ?? 0, index }))
      .sort((a, b) => a.key - b.key || a.index - b.index)
      .map(({ item }) => item),
  );
}

/** The same record with every attempt label removed: what a read can restore when it cannot know attempts. */
function withoutAttempts(record: ExecutionRecord | undefined): unknown {
  return JSON.parse(JSON.stringify(record ?? null), (key, value) => (key === 'attempt' ? undefined : value));
}

describe('events and reconciler reads, in any interleaving (single attempt)', () => {
  it('converge to the same record whatever the order and duplication', () => {
    fc.assert(
      fc.property(
        fc.tuple(single.eventSubset, fc.array(single.reads, { maxLength: 4 })).chain(([chosen, reads]) => {
          const items = [...chosen, ...reads];
          return fc
            .tuple(shuffled(items), fc.subarray(items))
            .chain(([order, duplicates]) =>
              shuffled([...items, ...duplicates]).map((other) => ({ order, other })),
            );
        }),
        ({ order, other }) => {
          const once = new Set(order);
          expect(fold(order)).toEqual(fold(other.filter((item) => once.has(item)).concat(other)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never change the record of the full event stream (reads cannot regress it)', () => {
    fc.assert(
      fc.property(
        fc.array(single.reads, { maxLength: 4 }).chain((reads) => shuffled([...single.allEvents, ...reads])),
        (items) => {
          expect(fold(items)).toEqual(single.eventsOnly);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rebuild the full stream record from any subset of events plus a read of the final state', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(single.eventSubset, fc.array(single.reads, { maxLength: 3 }))
          .chain(([chosen, reads]) =>
            shuffled([...chosen, ...reads, { kind: 'read', read: single.apiReadAt(single.end) }]),
          ),
        (items) => {
          expect(fold(items)).toEqual(single.eventsOnly);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('events and reconciler reads of a retried execution (attempts 1 and 2)', () => {
  it('never change the record of the full event stream, whatever the order', () => {
    fc.assert(
      fc.property(
        fc
          .array(retried.reads, { maxLength: 4 })
          .chain((reads) => shuffled([...retried.allEvents, ...reads])),
        (items) => {
          expect(fold(items)).toEqual(retried.eventsOnly);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('restore every status and time from any subset of events once the final state is read last', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(retried.eventSubset, fc.array(retried.reads, { maxLength: 3 }))
          .chain(([chosen, reads]) => shuffled([...chosen, ...reads])),
        (items) => {
          const record = fold([...items, { kind: 'read', read: retried.apiReadAt(retried.end) }]);
          expect(withoutAttempts(record)).toEqual(withoutAttempts(retried.eventsOnly));
        },
      ),
      { numRuns: 300 },
    );
  });
});
