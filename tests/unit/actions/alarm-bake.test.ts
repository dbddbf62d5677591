import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { alarmBakeParams } from '../../../functions/actions/alarm-bake/alarm-bake-params';
import {
  type AlarmStatus,
  type BakeDependencies,
  bakeAlarms,
} from '../../../functions/actions/alarm-bake/bake-alarms';
import { handler } from '../../../functions/actions/alarm-bake/handler';
import { codePipelineJobEvent, lambdaContext } from '../../support/codepipeline-job';

/** A fake clock: sleeping advances it, so a 30-minute bake runs instantly. */
function clock(start = Date.parse('2026-11-24T18:00:00Z')) {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

function deps(statesByPoll: AlarmStatus[][], overrides: Partial<BakeDependencies> = {}) {
  const time = clock();
  let poll = 0;
  return {
    polls: () => poll,
    deps: {
      describeAlarms: async () => statesByPoll[Math.min(poll++, statesByPoll.length - 1)] ?? [],
      now: time.now,
      sleep: time.sleep,
      remainingTimeMs: () => 60 * 60_000,
      signal: new AbortController().signal,
      ...overrides,
    } satisfies BakeDependencies,
  };
}

const ok = (name: string): AlarmStatus => ({ name, state: 'OK' });
const params = alarmBakeParams.parse({
  alarmNames: ['api-5xx', 'api-latency'],
  bakeMinutes: 10,
  pollSeconds: 60,
});

describe('alarm-bake', () => {
  it('succeeds when every alarm stays OK for the whole bake', async () => {
    const { deps: d, polls } = deps([[ok('api-5xx'), ok('api-latency')]]);
    await expect(bakeAlarms(params, undefined, d)).resolves.toMatchObject({
      outputVariables: { bakedMinutes: 10 },
    });
    expect(polls()).toBe(11);
  });

  it('fails as soon as an alarm goes into ALARM, naming it and its reason', async () => {
    const { deps: d, polls } = deps([
      [ok('api-5xx'), ok('api-latency')],
      [ok('api-5xx'), { name: 'api-latency', state: 'ALARM', reason: 'Threshold Crossed: p99 > 800' }],
    ]);
    await expect(bakeAlarms(params, undefined, d)).rejects.toThrow(
      'Bake failed: api-latency is ALARM (Threshold Crossed: p99 > 800).',
    );
    expect(polls()).toBe(2);
  });

  it('fails with a configuration error when an alarm does not exist', async () => {
    const { deps: d } = deps([[ok('api-5xx')]]);
    await expect(bakeAlarms(params, undefined, d)).rejects.toMatchObject({
      type: 'ConfigurationError',
      message: expect.stringContaining('api-latency'),
    });
  });

  it('hands the deadline over in a continuation token and keeps it on the next invocation', async () => {
    const { deps: d } = deps([[ok('api-5xx'), ok('api-latency')]], { remainingTimeMs: () => 0 });
    const first = await bakeAlarms(params, undefined, d);
    expect(first).toMatchObject({
      continueWith: { deadline: Date.parse('2026-11-24T18:10:00Z') },
      percentComplete: 0,
    });
    const state = 'continueWith' in first ? first.continueWith : undefined;
    const again = await bakeAlarms(params, state, d);
    expect(again).toMatchObject({ continueWith: state });
  });

  it('hands over rather than sleep into the time the next DescribeAlarms call needs', async () => {
    // 5 s more than the sleep itself: not enough for a slow or throttled DescribeAlarms after it.
    const wait = params.pollSeconds * 1000;
    const { deps: d, polls } = deps([[ok('api-5xx'), ok('api-latency')]], {
      remainingTimeMs: () => wait + 5_000,
    });
    const result = await bakeAlarms(params, undefined, d);
    expect(result).toMatchObject({ continueWith: { deadline: expect.any(Number) } });
    expect(polls()).toBe(1);
  });

  describe('as a CodePipeline action', () => {
    const codePipeline = mockClient(CodePipelineClient);
    const cloudWatch = mockClient(CloudWatchClient);
    beforeEach(() => {
      codePipeline
        .reset()
        .on(PutJobSuccessResultCommand)
        .resolves({})
        .on(PutJobFailureResultCommand)
        .resolves({});
      cloudWatch.reset();
    });
    afterAll(() => {
      codePipeline.restore();
      cloudWatch.restore();
    });

    it('continues with the deadline while the alarms are OK and the invocation is short', async () => {
      cloudWatch
        .on(DescribeAlarmsCommand)
        .resolves({ MetricAlarms: [{ AlarmName: 'api-5xx', StateValue: 'OK' }] });
      await handler(
        codePipelineJobEvent('{"alarmNames":["api-5xx"],"bakeMinutes":30}'),
        lambdaContext(6_000) as never,
      );
      const token = codePipeline.commandCalls(PutJobSuccessResultCommand)[0]?.args[0].input.continuationToken;
      expect(JSON.parse(token ?? '{}')).toEqual({ deadline: expect.any(Number) });
    });

    it('fails the job naming the composite alarm in ALARM', async () => {
      cloudWatch.on(DescribeAlarmsCommand).resolves({
        CompositeAlarms: [
          { AlarmName: 'checkout-health', StateValue: 'ALARM', StateReason: 'api-5xx in ALARM' },
        ],
      });
      await handler(
        codePipelineJobEvent('{"alarmNames":["checkout-health"],"bakeMinutes":5}'),
        lambdaContext() as never,
      );
      expect(codePipeline.commandCalls(PutJobFailureResultCommand)[0]?.args[0].input.failureDetails).toEqual({
        type: 'JobFailed',
        message: 'Bake failed: checkout-health is ALARM (api-5xx in ALARM).',
      });
    });

    it('answers instead of throwing when even the report outlives the Lambda timeout', async () => {
      codePipeline.on(PutJobFailureResultCommand).callsFake(() => new Promise(() => {}));
      const outcome = await handler(codePipelineJobEvent('not json'), lambdaContext(50) as never);
      expect(outcome).toMatchObject({ status: 'unreported' });
    });
  });
});
