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

export interface AlarmBakeFunctionDependencies {
  readonly now: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

const production: AlarmBakeFunctionDependencies = {
  now: Date.now,
  sleep: (ms, abortSignal) => sleep(ms, undefined, { signal: abortSignal }),
};

/**
 * The Lambda handler with its clock: deliberately not configurable from the environment, so a deployed bake
 * always waits in real time (local mode passes a compressed clock so a ten-minute bake replays in seconds).
 */
export function createHandler(
  { clients }: HandlerPlatform,
  clock: AlarmBakeFunctionDependencies = production,
) {
  const runAlarmBake = createActionHandler(
    {
      name: 'alarm-bake',
      paramsSchema: alarmBakeParams,
      stateSchema: alarmBakeState,
      run: ({ params, state, remainingTimeMs, signal }) =>
        bakeAlarms(params, state, {
          describeAlarms: (names) => describeAlarmStates(clients.client(CloudWatchClient), names, signal),
          now: clock.now,
          sleep: clock.sleep,
          remainingTimeMs,
          signal,
        }),
    },
    { codePipeline: () => clients.client(CodePipelineClient), logger },
  );
  return lambdaHandler(runAlarmBake, { logger, metrics }, { plugin: actionMiddyOptions });
}

export const handler = createHandler(awsPlatform());
