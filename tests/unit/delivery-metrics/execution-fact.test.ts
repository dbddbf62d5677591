import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AlarmIncident,
  deliveryTimeline,
} from '../../../functions/delivery-metrics/domain/delivery-timeline';
import { doraReport } from '../../../functions/delivery-metrics/domain/dora-report';
import {
  executionFactOf,
  factDay,
  recordOfFact,
} from '../../../functions/delivery-metrics/domain/execution-fact';
import { factWriteFor } from '../../../functions/delivery-metrics/domain/fact-write';
import type { ExecutionRecord } from '../../../functions/history/domain/execution-record';
import { execution, HOUR, shop } from './dora-fixtures';

const BASE = Date.parse('2026-11-01T00:00:00.000Z');
const iso = (offsetMinutes: number) => new Date(BASE + offsetMinutes * 60_000).toISOString();

/** A random history of one or two pipelines: successes, production failures (some retried), rollbacks. */
const histories = fc
  .array(
    fc.record({
      pipeline: fc.constantFrom('shop', 'billing'),
      startMinute: fc.integer({ min: 0, max: 40 * 24 * 60 }),
      // Stages run in sequence: Production comes after the fixture's Source (+1 min) and Build (+2 min).
      durationMinutes: fc.integer({ min: 3, max: 3 * 24 * 60 }),
      commitMinutesBefore: fc.option(fc.integer({ min: 0, max: 3 * 24 * 60 })),
      outcome: fc.constantFrom('deployed', 'failed', 'failed-then-retried', 'running', 'rollback'),
      deploymentId: fc.option(fc.constantFrom('d-1', 'd-2', 'd-3')),
    }),
    { maxLength: 60 },
  )
  .map((drafts) =>
    drafts.map((draft, index) =>
      execution({
        id: `x${index}`,
        pipeline: draft.pipeline,
        start: iso(draft.startMinute),
        ...(draft.commitMinutesBefore === null
          ? {}
          : { committed: iso(draft.startMinute - draft.commitMinutesBefore) }),
        status: draft.outcome === 'failed' ? 'FAILED' : draft.outcome === 'running' ? 'STARTED' : 'SUCCEEDED',
        productionAt: iso(draft.startMinute + draft.durationMinutes),
        productionStatus: draft.outcome === 'failed' ? 'FAILED' : 'SUCCEEDED',
        ...(draft.outcome.startsWith('failed')
          ? { failedAt: iso(draft.startMinute + Math.floor(draft.durationMinutes / 2)) }
          : {}),
        rollback: draft.outcome === 'rollback',
        ...(draft.deploymentId ? { deploymentIds: [draft.deploymentId] } : {}),
      }),
    ),
  );

const incidents = fc.array(
  fc.record({
    at: fc.integer({ min: 0, max: 40 * 24 * 60 }).map(iso),
    alarmName: fc.constant('latency'),
    deploymentId: fc.option(fc.constantFrom('d-1', 'd-2'), { nil: undefined }),
  }),
  { maxLength: 5 },
);

function reportOf(
  executions: readonly ExecutionRecord[],
  alarms: readonly AlarmIncident[],
  productionStage?: string,
) {
  const pipelines = [...new Set(executions.map((e) => e.pipeline))];
  const timelines = pipelines.map((pipeline) =>
    deliveryTimeline(
      pipeline,
      executions.filter((e) => e.pipeline === pipeline),
      alarms,
      { productionStage, failureWindowMs: 24 * HOUR },
    ),
  );
  return doraReport(timelines, { from: iso(5 * 24 * 60), to: iso(35 * 24 * 60), bucket: 'day' });
}

const throughFacts = (executions: readonly ExecutionRecord[], productionStage?: string) =>
  executions.map((e) => recordOfFact(e.pipeline, e.executionId, executionFactOf(e, { productionStage })));

describe('execution facts (the DORA rollups)', () => {
  it('give the same report as the full records on the hand-checked history', () => {
    expect(reportOf(throughFacts(shop), [])).toEqual(reportOf(shop, []));
  });

  it('give the same report as the full records on random histories, with and without a configured stage', () => {
    fc.assert(
      fc.property(
        histories,
        incidents,
        fc.constantFrom(undefined, 'Production', 'Build'),
        (executions, alarms, stage) => {
          expect(reportOf(throughFacts(executions, stage), alarms, stage)).toEqual(
            reportOf(executions, alarms, stage),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keep one or two stages of an execution, not all of them', () => {
    const fact = executionFactOf(shop[0] as ExecutionRecord);
    expect(Object.keys(fact.g)).toEqual(['Production']);
    expect(JSON.stringify(fact).length).toBeLessThan(120);
  });

  it('are filed under the UTC day the execution started', () => {
    expect(factDay(executionFactOf(shop[3] as ExecutionRecord))).toBe('2026-11-17');
  });
});

describe('fact writes', () => {
  const started = execution({ id: 'e1', start: '2026-11-16T23:50:00.000Z', status: 'STARTED' });
  const deployed = shop[0] as ExecutionRecord;

  it('are skipped when a change leaves the fact as it was (most action events)', () => {
    const touched = { ...started, lastEventAt: started.lastEventAt };
    expect(factWriteFor(started, touched, undefined)).toBeUndefined();
  });

  it('are made again for a redelivered event, which may be the retry of a failed fact write', () => {
    expect(factWriteFor(deployed, deployed, undefined, true)?.fact).toEqual(executionFactOf(deployed));
  });

  it('leave the old day when a late event moves the start to another day', () => {
    const earlier = { ...started, startTime: '2026-11-15T22:00:00.000Z' };
    expect(factWriteFor(started, earlier, undefined)).toMatchObject({
      day: '2026-11-15',
      leavesDay: '2026-11-16',
    });
  });
});
