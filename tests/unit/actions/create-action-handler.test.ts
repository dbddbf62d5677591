import {
  CodePipelineClient,
  InvalidJobStateException,
  JobNotFoundException,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  type ActionDefinition,
  ActionFailure,
  createActionHandler,
} from '@pipeline-control-plane/action-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
// The limits are the package's internals, not its public entry: tested from the source.
import {
  OUTPUT_VARIABLES_MAX_BYTES,
  TRUNCATED_VARIABLES_KEY,
} from '../../../layers/action-runtime/src/job-limits';
import { codePipelineJobEvent, lambdaContext, silentLogger } from '../../support/codepipeline-job';

const codePipeline = mockClient(CodePipelineClient);
const s3 = mockClient(S3Client);

beforeEach(() => {
  codePipeline.reset();
  s3.reset();
  codePipeline.on(PutJobSuccessResultCommand).resolves({});
  codePipeline.on(PutJobFailureResultCommand).resolves({});
});

const params = z.object({ target: z.string(), count: z.optional(z.number()) });

function handlerFor<S = never>(
  run: ActionDefinition<z.infer<typeof params>, S>['run'],
  extra = {},
  safetyMarginMs = 50,
) {
  return createActionHandler<z.infer<typeof params>, S>(
    { name: 'test-action', paramsSchema: params, run, ...extra },
    {
      codePipeline: () => new CodePipelineClient({ region: 'us-east-1' }),
      logger: silentLogger,
      safetyMarginMs,
    },
  );
}

function reports() {
  const successes = codePipeline.commandCalls(PutJobSuccessResultCommand).map((call) => call.args[0].input);
  const failures = codePipeline.commandCalls(PutJobFailureResultCommand).map((call) => call.args[0].input);
  return { successes, failures, total: successes.length + failures.length };
}

const ok = async () => ({ summary: 'done' });

describe('createActionHandler', () => {
  it('succeeds with the summary and output variables the action returns', async () => {
    const handler = handlerFor(async ({ params }) => ({
      summary: `checked ${params.target}`,
      outputVariables: { checkedCount: 3, 'slowest ms': 120 },
    }));
    const outcome = await handler(codePipelineJobEvent('{"target":"api"}'), lambdaContext());
    expect(outcome).toMatchObject({ status: 'succeeded', report: 'reported' });
    const { successes, total } = reports();
    expect(total).toBe(1);
    expect(successes[0]).toMatchObject({
      jobId: '11111111-abcd-1111-abcd-111111abcdef',
      executionDetails: { summary: 'checked api', percentComplete: 100 },
      outputVariables: { checkedCount: '3', slowest_ms: '120' },
    });
  });

  it('fails with ConfigurationError when UserParameters is not JSON', async () => {
    const outcome = await handlerFor(ok)(codePipelineJobEvent('{target:'), lambdaContext());
    expect(outcome).toMatchObject({ status: 'failed', failureType: 'ConfigurationError' });
    const { failures, total } = reports();
    expect(total).toBe(1);
    expect(failures[0]?.failureDetails?.message).toMatch(/UserParameters is not valid JSON/);
  });

  it('fails with ConfigurationError naming the bad field when UserParameters breaks the schema', async () => {
    await handlerFor(ok)(codePipelineJobEvent('{"target":"api","count":"three"}'), lambdaContext());
    const { failures, total } = reports();
    expect(total).toBe(1);
    expect(failures[0]?.failureDetails).toMatchObject({ type: 'ConfigurationError' });
    expect(failures[0]?.failureDetails?.message).toMatch(/count: expected number/);
  });

  it('fails with JobFailed and the error text when the action throws', async () => {
    await handlerFor(async () => {
      throw new TypeError('boom');
    })(codePipelineJobEvent('{"target":"api"}'), lambdaContext());
    const { failures, total } = reports();
    expect(total).toBe(1);
    expect(failures[0]?.failureDetails).toEqual({
      type: 'JobFailed',
      message: 'test-action failed: TypeError: boom',
    });
  });

  it('uses the failure type an ActionFailure chooses', async () => {
    await handlerFor(async () => {
      throw new ActionFailure('no access to the bucket', 'PermissionError');
    })(codePipelineJobEvent('{"target":"api"}'), lambdaContext());
    expect(reports().failures[0]?.failureDetails).toEqual({
      type: 'PermissionError',
      message: 'no access to the bucket',
    });
  });

  it('keeps the failure type of an ActionFailure from another copy of the runtime', async () => {
    await handlerFor(async () => {
      throw Object.assign(new Error('stale revision'), { name: 'ActionFailure', type: 'RevisionOutOfSync' });
    })(codePipelineJobEvent('{"target":"api"}'), lambdaContext());
    expect(reports().failures[0]?.failureDetails).toEqual({
      type: 'RevisionOutOfSync',
      message: 'stale revision',
    });
  });

  it('fails the job before the Lambda timeout when the action hangs, and aborts its signal', async () => {
    let aborted = false;
    const outcome = await handlerFor(
      ({ signal }) =>
        new Promise(() => {
          signal.addEventListener('abort', () => {
            aborted = true;
          });
        }),
      {},
      // A margin a loaded machine's event-loop lag cannot eat: the report must still fit in it.
      1_000,
    )(codePipelineJobEvent('{"target":"api"}'), lambdaContext(1_150));
    expect(outcome).toMatchObject({ status: 'failed', failureType: 'JobFailed' });
    expect(aborted).toBe(true);
    const { failures, total } = reports();
    expect(total).toBe(1);
    expect(failures[0]?.failureDetails?.message).toMatch(
      /did not finish within .* Raise the function timeout/,
    );
  });

  it('fails the job when an input artifact cannot be read, naming the object', async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    await handlerFor(async ({ artifacts }) => ({ summary: await artifacts.text('BuildOutput') }))(
      codePipelineJobEvent('{"target":"api"}'),
      lambdaContext(),
    );
    const { failures, total } = reports();
    expect(total).toBe(1);
    expect(failures[0]?.failureDetails?.message).toMatch(
      /s3:\/\/artifact-bucket\/app\/BuildOutput\/abc\.zip \(AccessDenied: Access Denied\)/,
    );
  });

  it('reads input artifacts from S3 with the job artifact credentials', async () => {
    s3.on(GetObjectCommand, { Bucket: 'artifact-bucket', Key: 'app/BuildOutput/abc.zip' }).resolves({
      // Only the SDK stream method the runtime uses; the real mixin package is not a direct dependency.
      Body: { transformToByteArray: async () => new TextEncoder().encode('artifact body') } as never,
    });
    let credentials: unknown;
    const handler = createActionHandler(
      {
        name: 'reader',
        paramsSchema: params,
        run: async ({ artifacts }) => ({ summary: await artifacts.text('BuildOutput') }),
      },
      {
        codePipeline: () => new CodePipelineClient({ region: 'us-east-1' }),
        logger: silentLogger,
        artifactClient: (creds) => {
          credentials = creds;
          return new S3Client({ region: 'us-east-1' });
        },
      },
    );
    await handler(codePipelineJobEvent('{"target":"api"}'), lambdaContext());
    expect(credentials).toMatchObject({
      accessKeyId: 'ASIAEXAMPLEARTIFACT',
      sessionToken: 'artifact-session',
    });
    expect(reports().successes[0]?.executionDetails?.summary).toBe('artifact body');
  });

  it.each([
    ['InvalidJobStateException', new InvalidJobStateException({ message: 'ended', $metadata: {} })],
    ['JobNotFoundException', new JobNotFoundException({ message: 'gone', $metadata: {} })],
  ])('does not throw or report twice when the job already ended (%s)', async (_name, error) => {
    codePipeline.on(PutJobSuccessResultCommand).rejects(error);
    const outcome = await handlerFor(ok)(codePipelineJobEvent('{"target":"api"}'), lambdaContext());
    expect(outcome).toMatchObject({ status: 'succeeded', report: 'already-ended' });
    expect(reports().total).toBe(1);
  });

  it('does not throw when CodePipeline cannot be reached at all', async () => {
    codePipeline.on(PutJobFailureResultCommand).rejects(new Error('socket hang up'));
    const outcome = await handlerFor(async () => {
      throw new Error('x');
    })(codePipelineJobEvent('{"target":"api"}'), lambdaContext());
    expect(outcome).toMatchObject({ status: 'unreported' });
  });

  it('reports a failure when CodePipeline refuses the success result, so the job does not hang', async () => {
    codePipeline.on(PutJobSuccessResultCommand).rejects(
      Object.assign(new Error('Output variables too big'), {
        name: 'OutputVariablesSizeExceededException',
      }),
    );
    const outcome = await handlerFor(ok)(codePipelineJobEvent('{"target":"api"}'), lambdaContext());
    expect(outcome).toMatchObject({ status: 'failed', failureType: 'JobFailed' });
    expect(reports().failures[0]?.failureDetails?.message).toMatch(
      /refused the result: OutputVariablesSizeExceeded/,
    );
  });

  it('fails the job when the continuation state cannot be written as JSON', async () => {
    await handlerFor<bigint>(async () => ({ continueWith: 1n }))(
      codePipelineJobEvent('{"target":"api"}'),
      lambdaContext(),
    );
    expect(reports().failures[0]?.failureDetails?.message).toMatch(/continuation state is not JSON/);
  });

  it('fails the job when the continuation state serialises to nothing (a function)', async () => {
    const outcome = await handlerFor<() => void>(async () => ({ continueWith: () => {} }))(
      codePipelineJobEvent('{"target":"api"}'),
      lambdaContext(),
    );
    expect(outcome).toMatchObject({ status: 'failed' });
    expect(reports().failures[0]?.failureDetails?.message).toMatch(/serialises to nothing/);
  });

  it('reports a failure with an empty message as one CodePipeline accepts (1 to 5000 characters)', async () => {
    await handlerFor(async () => {
      throw new ActionFailure('');
    })(codePipelineJobEvent('{"target":"api"}'), lambdaContext());
    expect(reports().failures[0]?.failureDetails?.message).toBe('test-action failed');
  });

  it('still ends a hung job when invoked without a Lambda context', async () => {
    const handler = createActionHandler(
      { name: 'hung', paramsSchema: params, run: () => new Promise(() => {}) },
      {
        codePipeline: () => new CodePipelineClient({ region: 'us-east-1' }),
        logger: silentLogger,
        safetyMarginMs: 59_900,
      },
    );
    await expect(handler(codePipelineJobEvent('{"target":"api"}'))).resolves.toMatchObject({
      status: 'failed',
    });
  });

  it('ignores an event that is not a CodePipeline job', async () => {
    const outcome = await handlerFor(ok)({ hello: 'world' }, lambdaContext());
    expect(outcome).toMatchObject({ status: 'unreported' });
    expect(reports().total).toBe(0);
  });

  it('round-trips typed state through the continuation token', async () => {
    const state = z.object({ checked: z.number() });
    const handler = handlerFor<z.infer<typeof state>>(
      async ({ state }) => {
        const checked = (state?.checked ?? 0) + 1;
        return checked < 3
          ? { continueWith: { checked }, summary: `checked ${checked}`, percentComplete: checked * 33 }
          : { summary: `finished after ${checked}`, outputVariables: { checked } };
      },
      { stateSchema: state },
    );
    let token: string | undefined;
    for (let invocation = 0; invocation < 3; invocation++) {
      await handler(
        codePipelineJobEvent('{"target":"api"}', token === undefined ? {} : { continuationToken: token }),
        lambdaContext(),
      );
      token = reports().successes.at(-1)?.continuationToken;
    }
    const { successes } = reports();
    expect(successes.map((input) => input.continuationToken)).toEqual([
      '{"checked":1}',
      '{"checked":2}',
      undefined,
    ]);
    expect(successes[0]).not.toHaveProperty('outputVariables');
    expect(successes[2]).toMatchObject({ outputVariables: { checked: '3' } });
  });

  it('fails the job when a continuation token does not hold the action state', async () => {
    const handler = handlerFor(ok, { stateSchema: z.object({ checked: z.number() }) });
    await handler(
      codePipelineJobEvent('{"target":"api"}', { continuationToken: '{"checked":"x"}' }),
      lambdaContext(),
    );
    expect(reports().failures[0]?.failureDetails?.message).toMatch(
      /continuation token .* checked: expected number/,
    );
  });

  it('fails the job instead of sending a continuation state over 2048 characters', async () => {
    await handlerFor<string>(async () => ({ continueWith: 'x'.repeat(3000) }))(
      codePipelineJobEvent('{"target":"api"}'),
      lambdaContext(),
    );
    const { failures, total } = reports();
    expect(total).toBe(1);
    expect(failures[0]?.failureDetails?.message).toMatch(/at most 2048/);
  });

  it('truncates output variables to 122,880 bytes with a marker instead of failing', async () => {
    const big = 'é'.repeat(40_000); // 80,000 bytes each
    await handlerFor(async () => ({ outputVariables: { first: big, second: big, third: 'x' } }))(
      codePipelineJobEvent('{"target":"api"}'),
      lambdaContext(),
    );
    const variables = reports().successes[0]?.outputVariables ?? {};
    const size = Object.entries(variables).reduce(
      (sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v),
      0,
    );
    expect(size).toBeLessThanOrEqual(OUTPUT_VARIABLES_MAX_BYTES);
    expect(variables.first).toBe(big);
    expect(variables.second?.endsWith('…[truncated]')).toBe(true);
    expect(variables[TRUNCATED_VARIABLES_KEY]).toBe('second,third');
  });

  it('clamps the summary to 2048 and the failure message to 5000 characters', async () => {
    await handlerFor(async () => ({ summary: 's'.repeat(5000) }))(
      codePipelineJobEvent('{"target":"a"}'),
      lambdaContext(),
    );
    await handlerFor(async () => {
      throw new Error('m'.repeat(9000));
    })(codePipelineJobEvent('{"target":"a"}'), lambdaContext());
    const { successes, failures } = reports();
    expect(successes[0]?.executionDetails?.summary).toHaveLength(2048);
    expect(failures[0]?.failureDetails?.message).toHaveLength(5000);
  });

  it('ends the job exactly once and never throws, whatever UserParameters holds', async () => {
    const handler = handlerFor(ok);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.json(), fc.constant('{"target":"x"}')),
        async (userParameters) => {
          codePipeline.resetHistory();
          const outcome = await handler(codePipelineJobEvent(userParameters), lambdaContext());
          expect(['succeeded', 'failed']).toContain(outcome.status);
          expect(reports().total).toBe(1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ends the job exactly once, whatever the action does and however CodePipeline answers', async () => {
    const behaviours = {
      succeed: async () => ({ summary: 'ok', outputVariables: { big: 'x'.repeat(200_000) } }),
      continue: async () => ({ continueWith: { step: 1 } }),
      'continue with too much state': async () => ({ continueWith: 'x'.repeat(5000) }),
      throw: async () => {
        throw new Error('boom');
      },
      'throw a string': async () => {
        throw 'not an error';
      },
      'choose a failure type': async () => {
        throw new ActionFailure('denied', 'PermissionError');
      },
    } as const;
    const answers = {
      accepted: undefined,
      'job already ended': new InvalidJobStateException({ message: 'ended', $metadata: {} }),
      'job not found': new JobNotFoundException({ message: 'gone', $metadata: {} }),
      'success refused': Object.assign(new Error('bad'), { name: 'ValidationException' }),
    } as const;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(behaviours) as (keyof typeof behaviours)[])),
        fc.constantFrom(...(Object.keys(answers) as (keyof typeof answers)[])),
        fc.constantFrom('accepted', 'job already ended'),
        async (behaviour, successAnswer, failureAnswer) => {
          codePipeline.reset();
          const onSuccess = codePipeline.on(PutJobSuccessResultCommand);
          const successError = answers[successAnswer];
          if (successError) onSuccess.rejects(successError);
          else onSuccess.resolves({});
          const onFailure = codePipeline.on(PutJobFailureResultCommand);
          if (failureAnswer === 'accepted') onFailure.resolves({});
          else onFailure.rejects(answers['job already ended']);

          const outcome = await handlerFor<unknown>(behaviours[behaviour])(
            codePipelineJobEvent('{"target":"api"}'),
            lambdaContext(),
          );
          expect(['succeeded', 'continued', 'failed']).toContain(outcome.status);
          const { successes, failures } = reports();
          const refusedSuccesses = successAnswer === 'success refused' ? successes.length : 0;
          expect(successes.length - refusedSuccesses + failures.length).toBe(1);
        },
      ),
      { numRuns: 100 },
    );
  });
});
