import type { ActionExecutionDetail, PipelineExecutionSummary } from '@aws-sdk/client-codepipeline';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '#lib/history/execution-record';
import { type ExecutionObservation, mergeAll, mergeExecution } from '#lib/history/merge-execution';
import { observeApiRead } from '#lib/history/observe-api-execution';
import { observeCodePipelineEvent } from '#lib/history/observe-codepipeline-event';
import { parseRecorderEvent } from '../../../functions/record-execution/recorder-event';
import { events, finalActionDetails, finalSummary, PIPELINE } from '../../support/reconcile-scenario';

type CodePipelineRecorderEvent = Parameters<typeof observeCodePipelineEvent>[0];
const eventObservations = events.map((event) =>
  observeCodePipelineEvent(parseRecorderEvent(event) as CodePipelineRecorderEvent),
);
const eventTimes = [...new Set(eventObservations.map((observation) => observation.at))].sort();
const END = eventTimes[eventTimes.length - 1] as string;

interface ApiRead {
  summary: PipelineExecutionSummary;
  details: ActionExecutionDetail[];
}

/** What ListPipelineExecutions / ListActionExecutions answered at time `t` of the recorded execution. */
function apiReadAt(t: string): ApiRead {
  if (t >= END) return { summary: finalSummary, details: finalActionDetails };
  const lastUpdate = eventTimes.filter((time) => time <= t).pop() ?? t;
  const details = finalActionDetails
    .filter((detail) => (detail.startTime as Date).toISOString() <= t)
    .map((detail) =>
      (detail.lastUpdateTime as Date).toISOString() <= t
        ? detail
        : { ...detail, status: 'InProgress' as const, lastUpdateTime: detail.startTime, output: undefined },
    );
  return {
    summary: { ...finalSummary, status: 'InProgress', lastUpdateTime: new Date(lastUpdate) },
    details,
  };
}

type Item = { kind: 'event'; observation: ExecutionObservation } | { kind: 'read'; read: ApiRead };

/** Events merge as they are; a read is labelled with the attempt of the record it meets, as in the reconciler. */
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

const eventsOnly = mergeAll(eventObservations);
const readArbitrary = fc
  .constantFrom(...eventTimes, '2026-11-24T10:01:00.000Z', '2026-11-24T10:30:00.000Z')
  .map((t): Item => ({ kind: 'read', read: apiReadAt(t) }));
const eventSubset = fc.subarray(
  eventObservations.map((observation): Item => ({ kind: 'event', observation })),
);

/** Two independent shuffles (with duplicates) of the same items. */
function twoOrders(items: readonly Item[]) {
  return fc.tuple(
    fc.array(fc.nat(), { minLength: items.length, maxLength: items.length }),
    fc.array(fc.nat(), { minLength: items.length, maxLength: items.length }),
    fc.subarray(items as Item[]),
  );
}
function shuffle(items: readonly Item[], keys: readonly number[]): Item[] {
  return items
    .map((item, index) => ({ item, key: keys[index] ?? 0, index }))
    .sort((a, b) => a.key - b.key || a.index - b.index)
    .map(({ item }) => item);
}

describe('events and reconciler reads, in any interleaving', () => {
  it('converge to the same record whatever the order and duplication', () => {
    fc.assert(
      fc.property(
        fc.tuple(eventSubset, fc.array(readArbitrary, { maxLength: 4 })).chain(([chosen, reads]) => {
          const items = [...chosen, ...reads];
          return twoOrders(items).map(([a, b, duplicates]) => ({ items, a, b, duplicates }));
        }),
        ({ items, a, b, duplicates }) => {
          const first = fold([...shuffle(items, a), ...duplicates]);
          const second = fold(shuffle([...items, ...duplicates], b));
          expect(first).toEqual(second);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never change the record of the full event stream (reads cannot regress it)', () => {
    fc.assert(
      fc.property(
        fc.array(readArbitrary, { maxLength: 4 }).chain((reads) => {
          const items = [
            ...eventObservations.map((observation): Item => ({ kind: 'event', observation })),
            ...reads,
          ];
          return fc
            .array(fc.nat(), { minLength: items.length, maxLength: items.length })
            .map((keys) => shuffle(items, keys));
        }),
        (items) => {
          expect(fold(items)).toEqual(eventsOnly);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rebuild the full stream record from any subset of events plus a read of the final state', () => {
    fc.assert(
      fc.property(
        fc.tuple(eventSubset, fc.array(readArbitrary, { maxLength: 3 })).chain(([chosen, reads]) => {
          const items: Item[] = [...chosen, ...reads, { kind: 'read', read: apiReadAt(END) }];
          return fc
            .array(fc.nat(), { minLength: items.length, maxLength: items.length })
            .map((keys) => shuffle(items, keys));
        }),
        (items) => {
          expect(fold(items)).toEqual(eventsOnly);
        },
      ),
      { numRuns: 300 },
    );
  });
});
