import { setTimeout as sleep } from 'node:timers/promises';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { actionMiddyOptions, createActionHandler } from '@pipeline-control-plane/action-runtime';
import { awsPlatform, type HandlerPlatform } from '#platform/handler-platform';
import { lambdaHandler } from '#platform/middleware/lambda-handler';
import { createObservability } from '#platform/observability';
import { readHeaderSecret } from './adapters/read-header-secret';
import { type AddressPolicy, type ResolveHost, refuseLocalAddresses, resolveWithDns } from './address-guard';
import { config } from './config';
import { runSmokeChecks } from './run-smoke-checks';
import { smokeTestParams, smokeTestState } from './smoke-test-params';

const { logger, metrics } = createObservability('http-smoke-test');

export interface SmokeTestFunctionDependencies {
  /** Which addresses checks may not target; production refuses loopback, link-local and unspecified ones. */
  readonly addressPolicy: AddressPolicy;
  readonly resolveHost: ResolveHost;
}

const production: SmokeTestFunctionDependencies = {
  addressPolicy: refuseLocalAddresses,
  resolveHost: resolveWithDns,
};

/**
 * The Lambda handler with its dependencies: deliberately not configurable from the environment, so a
 * deployed function cannot be told to allow loopback targets (tests pass their own address policy here).
 */
export function createHandler(
  { clients }: HandlerPlatform,
  dependencies: SmokeTestFunctionDependencies = production,
) {
  const runSmokeTest = createActionHandler(
    {
      name: 'http-smoke-test',
      paramsSchema: smokeTestParams,
      stateSchema: smokeTestState,
      run: async ({ params, state, remainingTimeMs, signal }) => {
        const secret = params.headersSecretId
          ? await readHeaderSecret(
              clients.client(SecretsManagerClient),
              params.headersSecretId,
              config.SMOKE_TEST_SECRET_PREFIX,
            )
          : undefined;
        return runSmokeChecks(params, state, {
          fetch,
          now: Date.now,
          sleep: (ms, abortSignal) => sleep(ms, undefined, { signal: abortSignal }),
          remainingTimeMs,
          signal,
          ...(secret && { secret }),
          resolveHost: dependencies.resolveHost,
          addressPolicy: dependencies.addressPolicy,
        });
      },
    },
    { codePipeline: () => clients.client(CodePipelineClient), logger },
  );

  return lambdaHandler(runSmokeTest, { logger, metrics }, { plugin: actionMiddyOptions });
}

export const handler = createHandler(awsPlatform());
