import {
  ActionFailure,
  type ActionOutcome,
  createActionHandler,
} from '@pipeline-control-plane/action-runtime';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePipelineJobEvent, lambdaContext, silentLogger } from '../../support/codepipeline-job';
import { fakeCodePipeline, REPORT_FAULTS, type ReportFault } from './fake-codepipeline';

const anySchema = { safeParse: (input: unknown) => ({ success: true as const, data: input }) };

/**
 * Without faults an attempt may take as long as it likes (a slow machine must not look like a timeout);
 * with them, a hung attempt is given up after 25 ms to keep the property fast.
 */
function runAction(
  run: () => Promise<unknown>,
  codePipeline: ReturnType<typeof fakeCodePipeline>,
  attemptTimeoutMs = 10_000,
): Promise<ActionOutcome> {
  const handler = createActionHandler(
    { name: 'hostile', paramsSchema: anySchema, run: run as never },
    {
      codePipeline: () => codePipeline.client,
      logger: silentLogger,
      safetyMarginMs: 50,
      reportRetry: { attemptTimeoutMs, backoffMs: () => 0 },
    },
  );
  return handler(codePipelineJobEvent('{}'), lambdaContext(30_000));
}

/**
 * Values plain JavaScript can return or throw that break naive String(), JSON or property reads. Each is
 * made on demand: fast-check itself inspects generated values, and a throwing Proxy throws at it too.
 */
const hostileValues: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
    withUnicodeString: true,
  }),
  fc.constant(Object.create(null)),
  fc.string().map((description) => Symbol(description)),
  fc.bigInt(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 1e300),
  fc.constantFrom('', '   ', 'x'.repeat(10_000), 'é'.repeat(200_000), '\ud800 lone surrogate'),
  fc.constant(
    (() => {
      const cyclic: Record<string, unknown> = { name: 'cyclic' };
      cyclic.self = cyclic;
      return cyclic;
    })(),
  ),
  fc.constant({
    toString() {
      throw new Error('toString throws');
    },
    valueOf() {
      throw new Error('valueOf throws');
    },
  }),
  fc.constant(
    Object.defineProperty({}, 'message', {
      enumerable: true,
      get() {
        throw new Error('getter throws');
      },
    }),
  ),
  fc.constant(
    Object.assign(Object.create(null), {
      toString() {
        throw Object.create(null);
      },
    }),
  ),
  fc.constant(() => {}),
  fc.constant(
    Object.assign(new Error('looks like an ActionFailure'), { name: 'ActionFailure', type: 'Bogus' }),
  ),
  fc.constant(new ActionFailure('chose no known type', 'NotAType' as never)),
);

function throwingProxy() {
  return new Proxy(
    {},
    {
      get: () => {
        throw new Error('get trap');
      },
      has: () => {
        throw new Error('has trap');
      },
      ownKeys: () => {
        throw new Error('ownKeys trap');
      },
      getPrototypeOf: () => {
        throw new Error('getPrototypeOf trap');
      },
      getOwnPropertyDescriptor: () => {
        throw new Error('getOwnPropertyDescriptor trap');
      },
    },
  );
}

const hostileValue: fc.Arbitrary<() => unknown> = fc.oneof(
  hostileValues.map((value) => () => value),
  fc.constant(throwingProxy),
);

/** Where the value ends up: returned as is, inside each field of a result, or thrown. */
const hostileBehaviour = fc.oneof(
  hostileValue.map((value) => ({ how: 'returns', run: async () => value() })),
  hostileValue.map((value) => ({ how: 'returns { summary }', run: async () => ({ summary: value() }) })),
  fc.tuple(fc.string(), hostileValue).map(([key, value]) => ({
    how: 'returns { outputVariables: { key: value } }',
    run: async () => ({ outputVariables: { [key]: value() } }),
  })),
  hostileValue.map((value) => ({
    how: 'returns { outputVariables }',
    run: async () => ({ outputVariables: value() }),
  })),
  hostileValue.map((value) => ({
    how: 'returns { continueWith }',
    run: async () => ({ continueWith: value() }),
  })),
  hostileValue.map((value) => ({
    how: 'returns { continueWith, summary, percentComplete }',
    run: async () => ({ continueWith: { step: 1 }, summary: value(), percentComplete: value() }),
  })),
  hostileValue.map((value) => ({
    how: 'throws',
    run: async () => {
      throw value();
    },
  })),
  hostileValue.map((value) => ({
    how: 'throws synchronously',
    run: () => {
      throw value();
    },
  })),
);

describe('the action runtime ends every job', () => {
  it('with one valid result, whatever the action returns or throws', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBehaviour, async ({ run }) => {
        const codePipeline = fakeCodePipeline();
        const outcome = await runAction(run as () => Promise<unknown>, codePipeline);
        expect(codePipeline.refusals).toEqual([]);
        expect(codePipeline.attempts).toBe(1);
        expect(codePipeline.applied).toHaveLength(1);
        expect(outcome).toMatchObject({ report: 'reported' });
        expect(['succeeded', 'continued', 'failed']).toContain(outcome.status);
      }),
      { numRuns: 500 },
    );
    // Hundreds of runs through a real SDK client: ample time on a busy two-core CI machine.
  }, 120_000);

  it.each([
    ['a numeric summary', async () => ({ summary: 42 })],
    ['an object summary', async () => ({ summary: { nested: true } })],
    [
      'an output variable of Object.create(null)',
      async () => ({ outputVariables: { x: Object.create(null) } }),
    ],
    [
      'throwing Object.create(null)',
      async () => {
        throw Object.create(null);
      },
    ],
    [
      'throwing an object whose toString throws',
      async () => {
        throw {
          toString() {
            throw new Error('no');
          },
        };
      },
    ],
  ])('when the action returns or throws %s', async (_, run) => {
    const codePipeline = fakeCodePipeline();
    const outcome = await runAction(run, codePipeline);
    expect(outcome).toMatchObject({ report: 'reported' });
    expect(codePipeline.applied).toHaveLength(1);
  });

  it('exactly once when reporting is throttled, fails, times out or loses its answer', async () => {
    const result = fc.constantFrom(
      async () => ({ summary: 'ok', outputVariables: { v: '1' } }),
      async () => ({ continueWith: { step: 1 } }),
      async () => {
        throw new ActionFailure('denied', 'PermissionError');
      },
    );
    const schedule = fc.array(fc.constantFrom<ReportFault>(...REPORT_FAULTS), { maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(result, schedule, async (run, faults) => {
        const codePipeline = fakeCodePipeline(faults);
        const outcome = await runAction(run, codePipeline, 25);
        expect(outcome.status).not.toBe('unreported');
        expect(codePipeline.applied).toHaveLength(1);
        // A retry after a lost answer meets the job it ended: recognised, not an error and not a second end.
        // (An answer that was sent but came after the 25 ms is lost to the runtime too, so only this way.)
        const [ending] = codePipeline.applied;
        if (!ending?.answerDelivered) expect(outcome).toMatchObject({ report: 'already-ended' });
        else expect(outcome).toMatchObject({ report: expect.stringMatching(/^(reported|already-ended)$/) });
      }),
      { numRuns: 150 },
    );
    // Hundreds of runs through a real SDK client: ample time on a busy two-core CI machine.
  }, 120_000);

  it('gives up at the deadline without throwing when CodePipeline never answers', async () => {
    const codePipeline = fakeCodePipeline(Array(1_000).fill('timeout'));
    const handler = createActionHandler(
      { name: 'hung-report', paramsSchema: anySchema, run: async () => ({}) },
      {
        codePipeline: () => codePipeline.client,
        logger: silentLogger,
        safetyMarginMs: 50,
        reportRetry: { attemptTimeoutMs: 25, backoffMs: () => 0 },
      },
    );
    const outcome = await handler(codePipelineJobEvent('{}'), lambdaContext(300));
    expect(outcome).toMatchObject({
      status: 'unreported',
      reason: expect.stringMatching(/did not answer|no time/),
    });
    expect(codePipeline.applied).toEqual([]);
  });
});
