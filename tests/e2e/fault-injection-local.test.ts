import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalControlPlane, startLocalControlPlane } from '../../local/control-plane';
import { FAULT_KINDS } from '../../local/fault-injection';
import { demoScenario } from '../support/events';

/**
 * Local fault injection (`/local/faults`) and Lambda's async retries (`/local/dlq`), end to end: the
 * contract, and the recorder's promise under the faults DynamoDB really produces — throttles, writes applied
 * whose answer was lost, timeouts, invocations that die right after a call — with EventBridge's duplicate,
 * unordered delivery on top: the record ends exactly as in-order, fault-free delivery leaves it.
 */
describe('fault injection through the local control plane', () => {
  let controlPlane: LocalControlPlane;

  beforeAll(async () => {
    controlPlane = await startLocalControlPlane({ port: 0 });
  }, 60_000);
  afterAll(() => controlPlane.close());
  afterEach(async () => {
    await call('DELETE', '/local/faults');
    await call('DELETE', '/local/dlq');
  });

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${controlPlane.url}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('refuses rules it cannot apply, naming the field, and installs nothing', async () => {
    for (const rules of [
      [{ service: 'dynamo', fault: 'throttle' }],
      [{ service: 'dynamodb', fault: 'explode' }],
      [{ service: 'dynamodb', fault: 'throttle', nth: 0 }],
      [{ service: 'dynamodb', fault: 'throttle', times: 1.5 }],
      [{ service: 'dynamodb', fault: 'throttle', extra: true }],
    ]) {
      const answer = await call('POST', '/local/faults', { rules });
      expect(answer.status, JSON.stringify(rules)).toBe(400);
      expect(String(answer.body.message)).toMatch(/^Invalid fault rules: rules\.0/);
    }
    expect((await call('POST', '/local/faults', 'not rules')).status).toBe(400);
    expect((await call('GET', '/local/faults')).body).toEqual({ rules: [] });
  });

  it('fails the nth matching call and the ones after it, and reports how often each rule fired', async () => {
    await call('POST', '/local/faults', {
      rules: [{ service: 'dynamodb', operation: 'UpdateItem', fault: 'throttle', nth: 1, times: 2 }],
    });
    const [started] = pipelineEvents('fault-counts');
    const { deliveries } = (await call('POST', '/events', [started])).body as {
      deliveries: { matched: { attempts: number; result?: { status: string } }[] }[];
    };
    // The SDK's own retries (adaptive, 5 attempts) absorb two throttles inside one invocation.
    expect(deliveries[0]?.matched[0]).toMatchObject({ attempts: 1, result: { status: 'recorded' } });
    const { rules } = (await call('GET', '/local/faults')).body as {
      rules: { matched: number; fired: number }[];
    };
    // Exactly the first two matching calls failed; the SDK's retry of the second then went through, and the
    // recorder's other UpdateItem calls (how many is the store's business) matched without failing.
    expect(rules[0]?.fired).toBe(2);
    expect(rules[0]?.matched).toBeGreaterThanOrEqual(3);
  });

  it('retries a failing invocation as Lambda does, then dead-letters the event with the last error', async () => {
    await call('POST', '/local/faults', {
      // Every invocation dies after its first DynamoDB call: the SDK cannot retry a dead process, Lambda can.
      rules: [{ service: 'dynamodb', operation: '*', fault: 'crash-after', times: 1000 }],
    });
    const [started] = pipelineEvents('fault-dlq');
    const { deliveries } = (await call('POST', '/events', [started])).body as {
      deliveries: { matched: { function: string; attempts: number; error?: string }[] }[];
    };
    expect(deliveries[0]?.matched[0]).toMatchObject({
      function: 'RecordExecutionFunction',
      attempts: 3,
      error: expect.stringContaining('LocalFunctionCrash'),
    });
    const { deadLetters } = (await call('GET', '/local/dlq')).body as {
      deadLetters: { function: string; attempts: number; event: unknown }[];
    };
    expect(deadLetters).toEqual([
      expect.objectContaining({ function: 'RecordExecutionFunction', attempts: 3, event: started }),
    ]);
  });

  it('records every execution exactly as fault-free, in-order delivery does, under any DynamoDB fault schedule', async () => {
    const baseline = await recordAndRead('baseline', pipelineEvents('baseline'));
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            operation: fc.constantFrom('GetItem', 'PutItem', 'UpdateItem', 'Query', '*'),
            fault: fc.constantFrom(...FAULT_KINDS),
            nth: fc.integer({ min: 1, max: 12 }),
            times: fc.integer({ min: 1, max: 2 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        fc.infiniteStream(fc.nat()),
        async (faults, seeds) => {
          const runId = `run-${runs++}`;
          const events = pipelineEvents(runId);
          // Duplicated and shuffled, as EventBridge may deliver them.
          const delivered = [...events, ...events.filter(() => seeds.next().value % 3 === 0)]
            .map((event) => ({ event, key: seeds.next().value }))
            .sort((a, b) => a.key - b.key)
            .map(({ event }) => event);
          await call('POST', '/local/faults', {
            rules: faults.map((fault) => ({ service: 'dynamodb', ...fault })),
          });
          const record = await recordAndRead(runId, delivered);
          expect(normalise(record, runId)).toEqual(normalise(baseline, 'baseline'));
        },
      ),
      { numRuns: 10 },
    );
  }, 240_000);

  let runs = 0;

  /** Delivers, then redrives whatever exhausted its retries (as an operator redrives the DLQ), then reads. */
  async function recordAndRead(runId: string, events: unknown[]) {
    await call('POST', '/events', events);
    await call('DELETE', '/local/faults');
    const { deadLetters } = (await call('GET', '/local/dlq')).body as { deadLetters: { event: unknown }[] };
    if (deadLetters.length > 0)
      await call(
        'POST',
        '/events',
        deadLetters.map((letter) => letter.event),
      );
    await call('DELETE', '/local/dlq');
    const { body } = await call('GET', `/api/pipelines/${PIPELINE}/executions/${executionId(runId)}`);
    return body.execution;
  }
});

const PIPELINE = 'checkout-service';
const scenario = demoScenario();
const firstExecution = String(
  scenario.events
    .map((event) => event.detail as Record<string, unknown>)
    .find((detail) => detail?.pipeline === PIPELINE)?.['execution-id'],
);
const executionId = (runId: string) => `${firstExecution.slice(0, 24)}${runId}`;

/** The demo's first checkout-service execution, re-identified per run so runs do not share a record. */
function pipelineEvents(runId: string): Record<string, unknown>[] {
  return scenario.events
    .filter((event) => (event.detail as Record<string, unknown>)?.['execution-id'] === firstExecution)
    .map((event, index) => ({
      ...event,
      id: `${runId}-${index}`,
      detail: { ...(event.detail as Record<string, unknown>), 'execution-id': executionId(runId) },
    }));
}

function normalise(record: unknown, runId: string): unknown {
  return JSON.parse(JSON.stringify(record).replaceAll(executionId(runId), '<execution>'));
}
