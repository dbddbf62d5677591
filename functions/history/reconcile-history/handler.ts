import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import type { Context } from 'aws-lambda';
import { codeBuildHistoryApi } from '#history/adapters/codebuild-history-api';
import { codeDeployHistoryApi } from '#history/adapters/codedeploy-history-api';
import { codePipelineHistoryApi } from '#history/adapters/codepipeline-history-api';
import { createHistoryStore } from '#history/adapters/history-store';
import { createCheckpointStore } from '#history/adapters/reconcile-checkpoint-store';
import { documentClient } from '#platform/dynamodb/document-client';
import { awsPlatform, type HandlerPlatform } from '#platform/handler-platform';
import { lambdaHandler } from '#platform/middleware/lambda-handler';
import { createObservability } from '#platform/observability';
import { config } from './config';
import { type RunOutcome, reconcileHistory } from './reconcile-history';

const { logger, metrics } = createObservability('reconcile-history');

type RunDependencies = Parameters<typeof reconcileHistory>[0] & {
  onPipelineGone: (pipeline: string, marked: boolean) => void;
};

function runDependencies({ clients }: HandlerPlatform): RunDependencies {
  const client = documentClient(clients);
  const storage = { client, tableName: config.TABLE_NAME, retentionDays: config.HISTORY_RETENTION_DAYS };
  const store = createHistoryStore(storage);
  return {
    store,
    checkpoints: createCheckpointStore({ client, tableName: config.TABLE_NAME }),
    // The factory's default: adaptive retry with backoff, so throttling slows the run down instead of failing it.
    pipelines: codePipelineHistoryApi(clients.client(CodePipelineClient)),
    deployments: codeDeployHistoryApi(clients.client(CodeDeployClient)),
    builds: codeBuildHistoryApi(clients.client(CodeBuildClient)),
    region: config.AWS_REGION,
    // A spoke's pipelines are read in its account and region (the factory's scope gives the credentials).
    clientsFor: (scope) => ({
      pipelines: codePipelineHistoryApi(clients.client(CodePipelineClient, scope)),
      deployments: codeDeployHistoryApi(clients.client(CodeDeployClient, scope)),
      builds: codeBuildHistoryApi(clients.client(CodeBuildClient, scope)),
    }),
    settings: {
      staleAfterMinutes: config.RECONCILE_STALE_AFTER_MINUTES,
      initialLookbackHours: config.RECONCILE_INITIAL_LOOKBACK_HOURS,
      overlapMinutes: config.RECONCILE_OVERLAP_MINUTES,
      maxPagesPerPipeline: config.RECONCILE_MAX_PAGES,
    },
    onRepaired: (repair) => logger.info('Repaired record from the API', { ...repair }),
    onPipelineFailed: (pipeline, error) =>
      logger.error('Could not reconcile pipeline; retried next run', {
        pipeline,
        error: error.name,
        reason: error.message,
      }),
    onPipelineGone: (pipeline, marked) =>
      marked
        ? logger.warn('Pipeline no longer exists; marked deleted in the catalog and skipped from now on', {
            pipeline,
          })
        : logger.warn('Configured pipeline does not exist (ReconcilePipelines); skipped', { pipeline }),
  };
}

/** The schedule's event carries nothing we need: every run reconciles from the checkpoints. */
async function runReconciler(dependencies: RunDependencies, context: Context): Promise<RunOutcome> {
  const outcome = await reconcileHistory(dependencies, {
    now: new Date().toISOString(),
    remainingTimeMs: context?.getRemainingTimeInMillis ? () => context.getRemainingTimeInMillis() : undefined,
    maxRepairs: config.RECONCILE_MAX_REPAIRS,
    configuredPipelines: config.RECONCILE_PIPELINES.split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  });
  metrics.addMetric('RepairedRecords', MetricUnit.Count, outcome.repaired);
  metrics.addMetric('DeferredRepairs', MetricUnit.Count, outcome.deferred);
  metrics.addMetric('FailedPipelines', MetricUnit.Count, outcome.failed.length);
  if (outcome.notReached.length > 0) {
    logger.warn('Run ended before every pipeline was reconciled; the next run starts elsewhere in the list', {
      notReached: outcome.notReached,
    });
  }
  if (outcome.truncated.length > 0) {
    logger.warn('Listing stopped at RECONCILE_MAX_PAGES; checkpoints held back, raise it if this repeats', {
      pipelines: outcome.truncated,
    });
  }
  logger.info('Reconciled history', { ...outcome });
  return outcome;
}

export function createHandler(platform: HandlerPlatform) {
  const dependencies = runDependencies(platform);
  return lambdaHandler((_event: unknown, context: Context) => runReconciler(dependencies, context), {
    logger,
    metrics,
  });
}

export const handler = createHandler(awsPlatform());
