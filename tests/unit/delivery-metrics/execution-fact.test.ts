import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AlarmIncident,
  type DeliveryExecution,
  deliveryTimeline,
} from '../../../functions/delivery-metrics/domain/delivery-timeline';
import { doraReport } from '../../../functions/delivery-metrics/domain/dora-report';
import {
  executionFactOf,
  factDay,
  readsAsNothing,
  recordOfFact,
} from '../../../functions/delivery-metrics/domain/execution-fact';
import { factWriteFor } from '../../../functions/delivery-metrics/domain/fact-write';
import type { ExecutionRecord } from '../../../functions/history/domain/execution-record';
import { execution, HOUR, shop } from './dora-fixtures';

const BASE = Date.parse('2026-11-01T00:00:00.000Z');
const iso = (offsetMinutes: number) => new Date(BASE + offsetMinutes * 60_000).toISOString();

/**
 * A random history of one or two pipelines: successes, production failures (some retried), rollbacks, and
 * (`v2`) the CodePipeline V2 cases: gate blocks, entry-condition skips, rollbacks of another stage, PARALLEL
 * executions, each execution carrying its declared production stage as the recorder files it.
 */
const historiesOf = (outcomes: readonly Outcome[], v2: boolean) =>
  fc
    .array(
      fc.record({
        pipeline: fc.constantFrom('shop', 'billing'),
        startMinute: fc.integer({ min: 0, max: 40 * 24 * 60 }),
        // Stages run in sequence: Production comes after the fixture's Source (+1 min) and Build (+2 min).
        durationMinutes: fc.integer({ min: 3, max: 3 * 24 * 60 }),
        commitMinutesBefore: fc.option(fc.integer({ min: 0, max: 3 * 24 * 60 })),
        outcome: fc.constantFrom(...outcomes),
        deploymentId: fc.option(fc.constantFrom('d-1', 'd-2', 'd-3')),
        parallel: fc.boolean(),
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
          status: ['failed', 'gate-blocked'].includes(draft.outcome)
            ? 'FAILED'
            : draft.outcome === 'running'
              ? 'STARTED'
              : 'SUCCEEDED',
          productionAt: iso(draft.startMinute + draft.durationMinutes),
          productionStatus: ['failed', 'gate-blocked'].includes(draft.outcome)
            ? 'FAILED'
            : draft.outcome === 'skipped'
              ? 'SKIPPED'
              : 'SUCCEEDED',
          ...(draft.outcome.startsWith('failed') || draft.outcome === 'gate-blocked'
            ? { failedAt: iso(draft.startMinute + Math.floor(draft.durationMinutes / 2)) }
            : {}),
          gate: draft.outcome === 'gate-blocked',
          rollback: draft.outcome === 'rollback',
          ...(draft.outcome === 'rollback-of-build' ? { rollbackOf: 'Build' as const } : {}),
          ...(draft.deploymentId ? { deploymentIds: [draft.deploymentId] } : {}),
          ...(v2 ? { productionStage: 'Production' } : {}),
          ...(v2 && draft.parallel ? { executionMode: 'PARALLEL' as const } : {}),
        }),
      ),
    );

type Outcome =
  | 'deployed'
  | 'failed'
  | 'failed-then-retried'
  | 'running'
  | 'rollback'
  | 'gate-blocked'
  | 'skipped'
  | 'rollback-of-build';
const CLASSIC: Outcome[] = ['deployed', 'failed', 'failed-then-retried', 'running', 'rollback'];
const histories = historiesOf(CLASSIC, false);
const v2Histories = historiesOf([...CLASSIC, 'gate-blocked', 'skipped', 'rollback-of-build'], true);

const incidents = fc.array(
  fc.record({
    at: fc.integer({ min: 0, max: 40 * 24 * 60 }).map(iso),
    alarmName: fc.constant('latency'),
    deploymentId: fc.option(fc.constantFrom('d-1', 'd-2'), { nil: undefined }),
  }),
  { maxLength: 5 },
);

function reportOf(
  executions: readonly DeliveryExecution[],
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

/** The execution as its first events leave it: started, no stage result yet, no deployment, no end. */
function justStarted(e: DeliveryExecution): DeliveryExecution {
  const { endTime: _end, deploymentIds: _deployments, ...started } = e;
  return {
    ...started,
    status: { status: 'STARTED', statusAt: e.startTime ?? e.firstEventAt, attempt: 1 },
    stages: {},
  };
}

const throughFacts = (executions: readonly DeliveryExecution[], productionStage?: string) =>
  executions.map((e) =>
    recordOfFact(
      e.pipeline,
      e.executionId,
      executionFactOf(e, {
        productionStage: productionStage ?? e.productionStage,
        executionMode: e.executionMode,
      }),
    ),
  );

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

  it('give the same report on random V2 histories: gate blocks, skips, rollbacks of another stage, PARALLEL', () => {
    fc.assert(
      fc.property(v2Histories, incidents, (executions, alarms) => {
        const viaFacts = reportOf(throughFacts(executions), alarms);
        expect(viaFacts).toEqual(reportOf(executions, alarms));
      }),
      { numRuns: 300 },
    );
  });

  it('that read as nothing can be left unstored: executions not yet at a stage result count for nothing', () => {
    fc.assert(
      fc.property(v2Histories, incidents, fc.array(fc.boolean()), (executions, alarms, fresh) => {
        const history = executions.map((e, index) => (fresh[index] ? justStarted(e) : e));
        const stored = history.filter(
          (e) => !readsAsNothing(executionFactOf(e, { productionStage: e.productionStage })),
        );
        expect(stored.length).toBe(history.length - fresh.slice(0, history.length).filter(Boolean).length);
        // A pipeline with nothing stored yet (its every execution before its first result) has no facts to
        // name its production stage from: the read API lists it from the catalog, with zeros and no name.
        const named = new Set(stored.map((e) => e.pipeline));
        expect(reportOf(throughFacts(stored), alarms)).toEqual(
          reportOf(
            history.filter((e) => named.has(e.pipeline)),
            alarms,
          ),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('read as something from the first stage result, the end or a CodeDeploy deployment on', () => {
    const started = justStarted(shop[0] as DeliveryExecution);
    expect(readsAsNothing(executionFactOf(started))).toBe(true);
    expect(readsAsNothing(executionFactOf(shop[0] as ExecutionRecord))).toBe(false);
    expect(readsAsNothing(executionFactOf({ ...started, deploymentIds: ['d-1'] }))).toBe(false);
    expect(readsAsNothing(executionFactOf({ ...started, endTime: started.startTime }))).toBe(false);
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

  it("name the pipeline's account and region only when the record has both (else the hub's own)", () => {
    const placed = { ...deployed, account: '222222222222', region: 'eu-west-1' };
    expect(factWriteFor(undefined, placed, undefined)).toMatchObject({
      account: '222222222222',
      region: 'eu-west-1',
    });
    const accountOnly = { ...deployed, account: '222222222222', region: undefined };
    const write = factWriteFor(undefined, accountOnly, undefined);
    expect(write).not.toHaveProperty('account');
    expect(write).not.toHaveProperty('region');
  });

  it('leave no day behind for a first fact, nor when the day stays the same', () => {
    expect(factWriteFor(undefined, started, undefined)).toMatchObject({ day: '2026-11-16' });
    expect(factWriteFor(undefined, started, undefined)).not.toHaveProperty('leavesDay');
    const again = factWriteFor(started, started, undefined, true);
    expect(again).toMatchObject({ day: '2026-11-16' });
    expect(again).not.toHaveProperty('leavesDay');
  });

  it('leave the old day when a late event moves the start to another day', () => {
    const earlier = { ...started, startTime: '2026-11-15T22:00:00.000Z' };
    expect(factWriteFor(started, earlier, undefined)).toMatchObject({
      day: '2026-11-15',
      leavesDay: '2026-11-16',
    });
  });
});
