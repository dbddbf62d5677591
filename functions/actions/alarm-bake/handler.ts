import { setTimeout as sleep } from 'node:timers/promises';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { actionMiddyOptions, createActionHandler } from '@pipeline-control-plane/action-runtime';
import { awsPlatform, type HandlerPlatform } from '#platform/handler-platform';
import { lambdaHandler } from '#platform/middleware/lambda-handler';
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
  return lambdaHandler(runAlarmBake, { logger, metrics }, { plugin: actionMiddyOptions });
}

export const handler = createHandler(awsPlatform());
