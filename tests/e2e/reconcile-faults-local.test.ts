import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalControlPlane, startLocalControlPlane } from '../../local/control-plane';
import { FAULT_KINDS } from '../../local/fault-injection';
import {
  EXECUTION_ID,
  events,
  finalActionDetails,
  finalExecution,
  finalSummary,
  PIPELINE,
  RETRIED_EXECUTION_ID,
  retriedActionDetails,
  retriedEvents,
  retriedSummary,
} from '../support/reconcile-scenario';

/**
 * The reconciler end to end through local mode under injected faults (`/local/faults` on DynamoDB and
 * CodePipeline during a reconcile run, with local mode's Lambda retries): one execution lost its terminal event
 * and waits to be repaired, another was recorded completely. Whatever the faults, the run loses and regresses
 * nothing; once a later scheduled run goes through, the repair is complete and both records are exactly what a
 * fault-free reconcile leaves.
 */
describe('the history reconciler under DynamoDB and CodePipeline faults, through the local control plane', () => {
  let controlPlane: LocalControlPlane;
  let repaired: unknown;
  let complete: unknown;
  beforeAll(async () => {
    // The scenario has fixed dates; look back far enough that it is always inside the first run's window.
    process.env.RECONCILE_INITIAL_LOOKBACK_HOURS = '876000';
    controlPlane = await startLocalControlPlane({ port: 0 });
    // CodePipeline's answers, per pipeline: each run has its own copy of the scenario under its own name.
    const pipelineOf = (input: Record<string, unknown>) => String(input.pipelineName);
    controlPlane.outbox.respond('ListPipelineExecutions', (input) => ({
      pipelineExecutionSummaries: [retriedSummary, finalSummary].map((summary) =>
        renamed(summary, pipelineOf(input)),
      ),
    }));
    controlPlane.outbox.respond('GetPipelineExecution', (input) => ({
      pipelineExecution: {
        ...renamed(finalExecution, pipelineOf(input)),
        pipelineExecutionId: input.pipelineExecutionId,
      },
    }));
    controlPlane.outbox.respond('ListActionExecutions', (input) => {
      const executionId = (input.filter as { pipelineExecutionId?: string } | undefined)?.pipelineExecutionId;
      const details = executionId === RETRIED_EXECUTION_ID ? retriedActionDetails : finalActionDetails;
      return { actionExecutionDetails: details.map((detail) => renamed(detail, pipelineOf(input))) };
    });
    // What a fault-free reconcile leaves: the records every faulty run must end with.
    const pipeline = await recordScenario();
    complete = await read(pipeline, RETRIED_EXECUTION_ID);
    await call('POST', '/local/reconcile');
    repaired = await read(pipeline, EXECUTION_ID);
  }, 60_000);
  afterAll(async () => {
    await controlPlane.close();
    delete process.env.RECONCILE_INITIAL_LOOKBACK_HOURS;
  });

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${controlPlane.url}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const read = async (pipeline: string, executionId: string) =>
    normalise(
      (await call('GET', `/api/pipelines/${pipeline}/executions/${executionId}`)).body.execution,
      pipeline,
    );

  let runs = 0;

  /** Records the scenario under a new name, the lost execution without its terminal event; answers the name. */
  async function recordScenario() {
    const pipeline = `${PIPELINE}-r${runs++}`;
    const lost = events.at(-1);
    await call(
      'POST',
      '/events',
      events.filter((event) => event !== lost).map((event) => renamed(event, pipeline)),
    );
    await call(
      'POST',
      '/events',
      retriedEvents.map((event) => renamed(event, pipeline)),
    );
    return pipeline;
  }

  it('repairs the execution that lost its terminal event, and leaves the complete one as it was, without faults', () => {
    expect(repaired).toMatchObject({ status: { status: 'SUCCEEDED' }, endTime: '2026-11-24T10:02:01.000Z' });
    expect(complete).toMatchObject({ status: { status: 'SUCCEEDED' } });
  });

  it('loses and regresses nothing under any fault schedule, and the next run completes the repair', async () => {
    let fired = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            service: fc.constantFrom('dynamodb', 'codepipeline'),
            operation: fc.constantFrom(
              '*',
              'Query',
              'GetItem',
              'UpdateItem',
              'ListPipelineExecutions',
              'GetPipelineExecution',
              'ListActionExecutions',
            ),
            fault: fc.constantFrom(...FAULT_KINDS),
            nth: fc.integer({ min: 1, max: 10 }),
            times: fc.integer({ min: 1, max: 3 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        async (rules) => {
          const pipeline = await recordScenario();
          const context = JSON.stringify(rules);
          await call('POST', '/local/faults', { rules });
          // The scheduled run, with local mode's Lambda retries when it throws or dies.
          await call('POST', '/local/reconcile');
          const installed = (await call('GET', '/local/faults')).body.rules as { fired: number }[];
          fired += installed.reduce((sum, rule) => sum + rule.fired, 0);
          await call('DELETE', '/local/faults');
          const lost = (await read(pipeline, EXECUTION_ID)) as { status?: { status: string } };
          // Repaired already, or still as recorded: never anything in between, nothing lost.
          if (lost.status?.status === 'SUCCEEDED') expect(lost, context).toEqual(repaired);
          else expect(lost.status?.status, context).toBe('STARTED');
          expect(await read(pipeline, RETRIED_EXECUTION_ID), context).toEqual(complete);
          // The next scheduled run, without faults: the repair is complete.
          await call('POST', '/local/reconcile');
          expect(await read(pipeline, EXECUTION_ID), context).toEqual(repaired);
          expect(await read(pipeline, RETRIED_EXECUTION_ID), context).toEqual(complete);
          await call('DELETE', '/local/dlq');
        },
      ),
      { numRuns: 12 },
    );
    // The schedules did reach the reconciler's calls (a rule whose nth lies past the run's calls fires never).
    expect(fired).toBeGreaterThan(0);
  }, 300_000);
});

/** The scenario under another pipeline name (its Dates kept as Dates, as the SDK would answer them). */
function renamed<T>(value: T, pipeline: string): T {
  if (typeof value === 'string') return value.replaceAll(PIPELINE, pipeline) as T;
  if (Array.isArray(value)) return value.map((item) => renamed(item, pipeline)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, renamed(item, pipeline)]),
    ) as T;
  }
  return value;
}

function normalise(record: unknown, pipeline: string): unknown {
  return JSON.parse(JSON.stringify(record ?? null).replaceAll(pipeline, PIPELINE));
}
