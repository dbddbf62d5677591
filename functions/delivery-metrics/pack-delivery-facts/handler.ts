import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createDeliveryFactsPacker } from '#delivery-metrics/adapters/delivery-facts-packer';
import { listCatalogPipelines } from '#history/adapters/pipeline-catalog';
import { documentClient } from '#platform/dynamodb/document-client';
import { awsPlatform, type HandlerPlatform } from '#platform/handler-platform';
import { hubScopeFromEnvironment } from '#platform/hub-scope';
import { lambdaHandler } from '#platform/middleware/lambda-handler';
import { createObservability } from '#platform/observability';
import { config } from './config';
import { PackingFailedError, type PackRunDependencies, packDeliveryFacts } from './pack-delivery-facts';

const { logger, metrics } = createObservability('pack-delivery-facts');

function runDependencies({ clients }: HandlerPlatform): PackRunDependencies {
  const storage = {
    client: documentClient(clients),
    tableName: config.TABLE_NAME,
    retentionDays: config.HISTORY_RETENTION_DAYS,
  };
  return {
    pipelines: async () =>
      (await listCatalogPipelines(storage.client, storage.tableName, hubScopeFromEnvironment())).map(
        ({ account, region, pipeline }) => ({ account, region, pipeline }),
      ),
    packer: createDeliveryFactsPacker(storage),
    onPipelineFailed: (pipeline, error) =>
      logger.error('Could not pack delivery facts; the next run packs them again', {
        ...pipeline,
        error: error.name,
        reason: error.message,
      }),
  };
}

/** The schedule's event carries nothing: every run packs every catalogued pipeline. */
async function packRun(dependencies: PackRunDependencies) {
  const outcome = await packDeliveryFacts(dependencies);
  metrics.addMetric('PackedItemsWritten', MetricUnit.Count, outcome.packedItemsWritten);
  metrics.addMetric('PipelinesNotPacked', MetricUnit.Count, outcome.failed.length);
  logger.info('Packed delivery facts', { ...outcome });
  if (outcome.failed.length) {
    throw new PackingFailedError(`${outcome.failed.length} of ${outcome.pipelines} pipelines not packed`);
  }
  return outcome;
}

export function createHandler(platform: HandlerPlatform) {
  const dependencies = runDependencies(platform);
  return lambdaHandler(() => packRun(dependencies), { logger, metrics });
}

export const handler = createHandler(awsPlatform());
