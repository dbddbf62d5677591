import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCheckpointStore } from '../../../../functions/history/adapters/reconcile-checkpoint-store';
import type { ExecutionRecord } from '../../../../functions/history/domain/execution-record';
import type { RunRecord } from '../../../../functions/history/domain/run-record';
import { START_TOLERANCE_MS } from '../../../../functions/history/reconcile-history/plan-repairs';
import { reconcileHistory } from '../../../../functions/history/reconcile-history/reconcile-history';
import { recordEvent } from '../../../../functions/history/record-execution/record-event';
import { parseRecorderEvent } from '../../../../functions/history/record-execution/recorder-event-schema';
import { createTestTable } from '../../../support/dynamo';
import {
  ACCOUNT,
  EXECUTIONS,
  type FakeApiOptions,
  fakeApis,
  historyEvents,
  PIPELINE,
  REGION,
  RUNS,
} from '../../../support/recorded-history';

/**
 * The reconciler repairs every combination of lost events: a realistic history (successes, a failed
 * deployment, a rollback execution, a stopped execution with its comment), any subset of its events
 * delivered, then scheduled runs against a faithful fake CodePipeline / CodeDeploy that pages and
 * throttles, must leave the same records as full delivery.
 */
const HUB = { account: ACCOUNT, region: REGION };
const REF = { ...HUB, pipeline: PIPELINE };
// Two hours after the last execution ended: everything has settled.
const NOW = '2026-11-24T11:30:00.000Z';
const EVENTS = historyEvents();
const NO_FAULTS: FakeApiOptions = { pageSize: 100, throttledCalls: new Set() };

interface Outcome {
  executions: Map<string, ExecutionRecord | undefined>;
  runs: Map<string, RunRecord | undefined>;
}

async function deliverAndReconcile(delivered: readonly unknown[], api: FakeApiOptions, maxRepairs: number) {
  const table = await createTestTable(400, HUB);
  const { pipelines, deployments, builds } = fakeApis(api);
  for (const event of delivered) {
    await recordEvent(parseRecorderEvent(event), {
      store: table.store,
      fetchExecutionDetails: (pipeline, executionId, at) =>
        pipelines.fetchExecutionDetails(pipeline, executionId, at).catch((error) => Promise.reject(error)),
      warn: () => {},
    });
  }
  const deps = {
    store: table.store,
    checkpoints: createCheckpointStore({ client: table.client, tableName: table.tableName }),
    pipelines,
    deployments,
    builds,
    region: REGION,
    account: ACCOUNT,
    settings: {
      staleAfterMinutes: 60,
      initialLookbackHours: 24,
      overlapMinutes: 30,
      maxPagesPerPipeline: 10,
    },
    onRepaired: () => {},
    onPipelineFailed: () => {},
  };
  // Scheduled runs, each a minute apart, until one finishes with nothing failed, deferred or repaired.
  let runs = 0;
  for (; runs < 20; runs++) {
    const now = new Date(Date.parse(NOW) + runs * 60_000).toISOString();
    const outcome = await reconcileHistory(deps, { now, maxRepairs, configuredPipelines: [PIPELINE] });
    if (outcome.failed.length === 0 && outcome.deferred === 0 && outcome.repaired === 0) break;
  }
  const result: Outcome = { executions: new Map(), runs: new Map() };
  for (const plan of EXECUTIONS) result.executions.set(plan.id, await table.store.getExecution(REF, plan.id));
  for (const run of RUNS) result.runs.set(run.runId, await table.store.getRun(run.kind, run.runId, HUB));
  return { result, runs };
}

/**
 * Compared as history, not as arrival bookkeeping: a run's first and last event times say when its events
 * came (a lost START cannot be told from the API once the run has ended), and so does an execution's
 * `firstEventAt` once its `start-time` is known (compared exactly, with everything else): when only its
 * first events were lost, nothing is wrong with the record (executionStartTime reads `startTime`), so the
 * reconciler does not re-read it and its earliest event stays later. Without a `start-time`, the earliest
 * event is the start, within the start tolerance (plan-repairs.ts START_TOLERANCE_MS).
 */
function expectSameHistory(actual: Outcome, expected: Outcome) {
  for (const [id, record] of expected.executions) {
    const got = actual.executions.get(id);
    expect(got, `execution ${id}`).toBeDefined();
    const lag = Date.parse(got?.firstEventAt ?? '') - Date.parse(record?.firstEventAt ?? '');
    expect(lag, `execution ${id}`).toBeGreaterThanOrEqual(0);
    if (!record?.startTime) expect(lag, `execution ${id}`).toBeLessThanOrEqual(START_TOLERANCE_MS);
    expect({ ...got, firstEventAt: record?.firstEventAt }, `execution ${id}`).toEqual(record);
  }
  const history = (run: RunRecord | undefined) => run && { ...run, firstEventAt: '', lastEventAt: '' };
  for (const [id, run] of expected.runs) {
    expect(history(actual.runs.get(id)), `run ${id}`).toEqual(history(run));
  }
}

let full: Outcome;
beforeAll(async () => {
  full = (await deliverAndReconcile(EVENTS, NO_FAULTS, 50)).result;
}, 120_000);

describe('reconciler: drop any subset of a history’s events (dynalite, fake paged and throttled API)', () => {
  it('full delivery records every execution and run, and reconciling it changes nothing', async () => {
    const { result } = await deliverAndReconcile(EVENTS, NO_FAULTS, 50);
    expect([...full.executions.values()].every(Boolean)).toBe(true);
    expect(full.executions.get('e4')).toMatchObject({
      stopComments: 'Wrong branch',
      status: { status: 'STOPPED' },
    });
    expect(full.executions.get('e3')).toMatchObject({
      executionType: 'ROLLBACK',
      rollbackTargetExecutionId: 'e1',
    });
    expect(full.runs.get('d-E2')).toMatchObject({ status: { status: 'FAILURE' }, rollback: {} });
    expect(full.runs.get('web-build:e1')).toMatchObject({
      status: { status: 'SUCCEEDED', statusAt: '2026-11-24T08:00:20.000Z' },
      attributes: { batch: 'true' },
      pipelineLink: { executionId: 'e1', stage: 'Build' },
    });
    expect(result).toEqual(full);
  });

  it('repairs every lost-event combination to the records of full delivery', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Indices of the delivered events (a counterexample reads short: historyEvents() order).
        fc.subarray(EVENTS.map((_, index) => index)),
        fc.record({
          pageSize: fc.integer({ min: 1, max: 3 }),
          throttledCalls: fc.uniqueArray(fc.nat(40), { maxLength: 4 }).map((calls) => new Set(calls)),
        }),
        fc.integer({ min: 1, max: 6 }),
        async (delivered, api, maxRepairs) => {
          const { result } = await deliverAndReconcile(
            delivered.map((index) => EVENTS[index]),
            api,
            maxRepairs,
          );
          expectSameHistory(result, full);
        },
      ),
      {
        numRuns: 20,
        // Counterexamples it found (each fixed): a lone terminal event; a stop, a rollback, a success whose
        // other stages' events were all lost; looks that took the whole cap run after run.
        examples: [[3, 4, 15], [15], [48, 49, 50], [36, 37, 39], [58, 59, 66], [66]].map((delivered) => [
          delivered,
          { pageSize: 1, throttledCalls: new Set<number>() },
          1,
        ]),
      },
    );
  }, 600_000);
});
