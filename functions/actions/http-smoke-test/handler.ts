import { setTimeout as sleep } from 'node:timers/promises';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import { actionMiddyOptions } from '#lib/actions/action-middy-options';
import { awsClient } from '#lib/aws/clients';
import { createObservability } from '#lib/observability/powertools';
import { createActionHandler } from '../../../layers/action-runtime/src/create-action-handler';
import { config } from './config';
import { readHeaderSecret } from './read-header-secret';
import { runSmokeChecks } from './run-smoke-checks';
import { smokeTestParams, smokeTestState } from './smoke-test-params';

const { logger, metrics } = createObservability('http-smoke-test');

const runSmokeTest = createActionHandler(
  {
    name: 'http-smoke-test',
    paramsSchema: smokeTestParams,
    stateSchema: smokeTestState,
    run: async ({ params, state, remainingTimeMs, signal }) => {
      const headers = params.headersSecretId
        ? await readHeaderSecret(
            awsClient(SecretsManagerClient),
            params.headersSecretId,
            config.SMOKE_TEST_SECRET_PREFIX,
          )
        : {};
      return runSmokeChecks(params, state, {
        fetch,
        now: Date.now,
        sleep: (ms, abortSignal) => sleep(ms, undefined, { signal: abortSignal }),
        remainingTimeMs,
        signal,
        headers,
      });
    },
  },
  { codePipeline: () => awsClient(CodePipelineClient), logger },
);

export const handler = middy(runSmokeTest, actionMiddyOptions)
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(logMetrics(metrics));
