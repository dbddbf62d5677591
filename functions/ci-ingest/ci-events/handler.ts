import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { awsPlatform } from '#platform/handler-platform';
import { lambdaHandler } from '#platform/middleware/lambda-handler';
import { createObservability } from '#platform/observability';
import { secretsManagerWebhookSecrets } from '../adapters/webhook-secrets';
import { rejected, webhookRequestOf } from '../function-url';
import { ingestionDependencies } from '../ingestion-dependencies';
import type { WebhookHandlerPlatform } from '../ports';
import { recordIngestion } from '../record-ingestion';
import { config } from './config';
import { handleCiEvent } from './handle-ci-event';

const { logger, metrics } = createObservability('ci-events');

export function createHandler(platform: WebhookHandlerPlatform) {
  const secrets = platform.webhookSecrets?.ci ?? secretsManagerWebhookSecrets(platform.clients);
  const ingestion = ingestionDependencies(platform, config);
  return lambdaHandler(
    async (event: unknown) => {
      const request = webhookRequestOf(event);
      if (!request) return rejected('not a Function URL request');
      const result = await handleCiEvent(request, {
        secret: () => secrets.secret(config.CI_WEBHOOK_SECRET_ARN),
        policy: config.CI_DEPLOYMENT_POLICY,
        record: (observed) => recordIngestion(observed, ingestion),
        nowSeconds: () => Math.floor(Date.now() / 1000),
      });
      const outcome = JSON.parse(result.body) as Record<string, unknown>;
      metrics.addMetric(`CiEvent_${String(outcome.status)}`, MetricUnit.Count, 1);
      logger.info('Handled CI event', { statusCode: result.statusCode, ...outcome });
      return result;
    },
    { logger, metrics },
  );
}

export const handler = createHandler(awsPlatform());
