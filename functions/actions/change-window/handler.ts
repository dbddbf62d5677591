import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import {
  ActionFailure,
  actionMiddyOptions,
  createActionHandler,
} from '@pipeline-control-plane/action-runtime';
import { awsPlatform, type HandlerPlatform } from '#platform/handler-platform';
import { lambdaHandler } from '#platform/middleware/lambda-handler';
import { createObservability } from '#platform/observability';
import { changeWindowParams } from './change-window-params';
import { decideChangeWindow } from './decide-change-window';

const { logger, metrics } = createObservability('change-window');

export function createHandler({ clients }: HandlerPlatform) {
  const runChangeWindow = createActionHandler(
    {
      name: 'change-window',
      paramsSchema: changeWindowParams,
      run: async ({ params }) => {
        const decision = decideChangeWindow(params, new Date());
        if (!decision.open) throw new ActionFailure(decision.message);
        return { summary: decision.message };
      },
    },
    { codePipeline: () => clients.client(CodePipelineClient), logger },
  );
  return lambdaHandler(runChangeWindow, { logger, metrics }, { plugin: actionMiddyOptions });
}

export const handler = createHandler(awsPlatform());
