import { describe, expect, it } from 'vitest';
import { mayChangeDeliveryMetrics } from '../../../../functions/delivery-metrics/domain/delivery-metrics';
import { executionFactOf } from '../../../../functions/delivery-metrics/domain/execution-fact';
import { headerImpliesFactsOf, itemWriteFor } from '../../../../functions/history/adapters/execution-items';
import type { RecordedObservation } from '../../../../functions/history/adapters/history-store';
import type { ExecutionRecord } from '../../../../functions/history/domain/execution-record';
import { type ExecutionObservation, mergeAll } from '../../../../functions/history/domain/merge-execution';
import { mayChangeDeliveryFacts } from '../../../../functions/history/record-execution/record-event';

type PipelineObservation = Extract<ExecutionObservation, { kind: 'pipeline' }>;
type PipelineState = PipelineObservation['status']['status'];

const START = '2026-11-20T10:00:00Z';
const BASE = { pipeline: 'shop', executionId: 'e-1', startTime: START, pipelineVersion: 3 };
const TRIGGER = { type: 'Webhook', commitId: 'abc', authorDate: '2026-11-20T09:55:00Z' };

function pipelineEvent(state: PipelineState, at: string, changes: Partial<PipelineObservation> = {}) {
  return {
    ...BASE,
    at,
    kind: 'pipeline',
    status: { status: state, statusAt: at, attempt: state === 'RESUMED' ? 2 : 1 },
    trigger: TRIGGER,
    ...changes,
  } as PipelineObservation;
}

function stageEvent(stage: string, state: string, at: string): ExecutionObservation {
  return {
    ...BASE,
    at,
    kind: 'stage',
    stage,
    status: { status: state, statusAt: at, attempt: 1 },
  } as ExecutionObservation;
}

/** The header the pipeline events make (their facts' sets, the newest status), as the store holds it. */
function headerOf(events: readonly PipelineObservation[]): Record<string, unknown> {
  const header: Record<string, unknown> = {};
  for (const event of events) {
    for (const [name, values] of Object.entries(itemWriteFor(event).facts)) {
      header[name] = new Set([...((header[name] as Set<unknown> | undefined) ?? []), ...values]);
    }
    header.status = event.status;
  }
  return header;
}

const started = pipelineEvent('STARTED', START);
const failedAt = '2026-11-20T10:13:00Z';
const history: ExecutionObservation[] = [
  started,
  stageEvent('Build', 'SUCCEEDED', '2026-11-20T10:05:00Z'),
  stageEvent('Prod', 'FAILED', failedAt),
  pipelineEvent('FAILED', failedAt),
];
const pipelineHistory = history.filter((event): event is PipelineObservation => event.kind === 'pipeline');
const LATER = '2026-11-20T10:33:00Z';

const written = (
  header: Record<string, unknown> | undefined,
  event: PipelineObservation,
): RecordedObservation => ({
  changed: true,
  advanced: true,
  header,
  previousItem: header,
  onlyStatus: headerImpliesFactsOf(header, event),
});

const rows: [string, PipelineObservation, Record<string, unknown> | undefined, boolean][] = [
  ['RESUMED after FAILED, facts known', pipelineEvent('RESUMED', LATER), headerOf(pipelineHistory), false],
  ['STOPPING, facts known', pipelineEvent('STOPPING', LATER), headerOf([started]), false],
  [
    'RESUMED naming no start, version or trigger',
    pipelineEvent('RESUMED', LATER, { startTime: undefined, pipelineVersion: undefined, trigger: undefined }),
    headerOf(pipelineHistory),
    false,
  ],
  ['STARTED (the first fact), facts known', pipelineEvent('STARTED', START), headerOf([started]), true],
  ['RESUMED on a header this write created', pipelineEvent('RESUMED', LATER), undefined, true],
  [
    'RESUMED on a header of stage events only (no facts)',
    pipelineEvent('RESUMED', LATER),
    { itemType: 'execution' },
    true,
  ],
  [
    'RESUMED after SUCCEEDED',
    pipelineEvent('RESUMED', LATER),
    headerOf([started, pipelineEvent('SUCCEEDED', failedAt)]),
    true,
  ],
  [
    'STOPPING with an earlier start',
    pipelineEvent('STOPPING', LATER, { startTime: '2026-11-20T09:59:00Z' }),
    headerOf([started]),
    true,
  ],
  [
    'STOPPING with a newer version',
    pipelineEvent('STOPPING', LATER, { pipelineVersion: 4 }),
    headerOf([started]),
    true,
  ],
  [
    'STOPPING with a trigger the header did not hold',
    pipelineEvent('STOPPING', LATER, { trigger: { ...TRIGGER, authorDate: '2026-11-20T09:50:00Z' } }),
    headerOf([started]),
    true,
  ],
  [
    'STOPPING earlier than the first event',
    pipelineEvent('STOPPING', '2026-11-20T09:58:00Z'),
    headerOf([started]),
    true,
  ],
  ...(['SUCCEEDED', 'FAILED', 'STOPPED', 'SUPERSEDED', 'CANCELED'] as const).map(
    (state): [string, PipelineObservation, Record<string, unknown>, boolean] => [
      `${state}, facts known`,
      pipelineEvent(state, LATER),
      headerOf([started]),
      true,
    ],
  ),
];

describe('mayChangeDeliveryFacts: which pipeline events read the execution for the listener', () => {
  it.each(rows)('%s → %s', (_name, event, header, expected) => {
    expect(mayChangeDeliveryFacts(event, written(header, event))).toBe(expected);
  });
});

describe('a pipeline event the listener is not told of changes neither its fact nor its metrics', () => {
  // Running (only STARTED recorded) and failed (every event of the history).
  const previousRecords = [mergeAll([started]), mergeAll(history)] as ExecutionRecord[];
  const withoutStamp = (record: ExecutionRecord, productionStage?: string) => {
    const { v: _stamp, ...fact } = executionFactOf(record, { productionStage });
    return fact;
  };
  const skipped = rows.filter(([, , header, expected]) => !expected && header !== undefined);

  it('has rows to prove', () => {
    expect(skipped.map(([name]) => name)).toEqual([
      'RESUMED after FAILED, facts known',
      'STOPPING, facts known',
      'RESUMED naming no start, version or trigger',
    ]);
  });

  it.each(skipped)('%s', (_name, event) => {
    for (const previous of previousRecords) {
      const next = mergeAll([event], previous) as ExecutionRecord;
      expect(next).not.toEqual(previous);
      for (const productionStage of [undefined, 'Prod', 'Build']) {
        expect(withoutStamp(next, productionStage)).toEqual(withoutStamp(previous, productionStage));
        expect(mayChangeDeliveryMetrics(previous, next, productionStage)).toBe(false);
      }
    }
  });
});
