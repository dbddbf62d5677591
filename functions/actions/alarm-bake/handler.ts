import { setTimeout as sleep } from 'node:timers/promises';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import middy from '@middy/core';
import { actionMiddyOptions, createActionHandler } from '@pipeline-control-plane/action-runtime';
import { awsPlatform, type HandlerPlatform } from '#platform/handler-platform';
import { createObservability } from '#platform/observability';
import { describeAlarmStates } from './adapters/describe-alarm-states';
import { alarmBakeParams, alarmBakeState } from './alarm-bake-params';
import { bakeAlarms } from './bake-alarms';

const { logger, metrics } = createObservability('alarm-bake');

export function createHandler({ clients }: HandlerPlatform) {
  const runAlarmBake = createActionHandler(
    {
      name: 'alarm-bake',
      paramsSchema: alarmBakeParams,
      stateSchema: alarmBakeState,
      run: ({ params, state, remainingTimeMs, signal }) =>
        bakeAlarms(params, state, {
          describeAlarms: (names) => describeAlarmStates(clients.client(CloudWatchClient), names, signal),
          now: Date.now,
          sleep: (ms, abortSignal) => sleep(ms, undefined, { signal: abortSignal }),
          remainingTimeMs,
          signal,
        }),
    },
    { codePipeline: () => clients.client(CodePipelineClient), logger },
  );
  return middy(runAlarmBake, actionMiddyOptions)
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(metrics));
}

export const handler = createHandler(awsPlatform());
