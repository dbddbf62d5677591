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
import { handleGitHubDelivery } from './handle-github-delivery';

const { logger, metrics } = createObservability('github-webhook');

export function createHandler(platform: WebhookHandlerPlatform) {
  const secrets = platform.webhookSecrets?.github ?? secretsManagerWebhookSecrets(platform.clients);
  const ingestion = ingestionDependencies(platform, config);
  return lambdaHandler(
    async (event: unknown) => {
      const request = webhookRequestOf(event);
      if (!request) return rejected('not a Function URL request');
      const delivery = request.headers['x-github-delivery']?.slice(0, 64);
      const githubEvent = request.headers['x-github-event']?.slice(0, 64);
      const result = await handleGitHubDelivery(request, {
        secret: () => secrets.secret(config.GITHUB_WEBHOOK_SECRET_ARN),
        policy: config.CI_DEPLOYMENT_POLICY,
        record: (observed) => recordIngestion(observed, ingestion),
      });
      const outcome = JSON.parse(result.body) as Record<string, unknown>;
      metrics.addMetric(`GitHubDelivery_${String(outcome.status)}`, MetricUnit.Count, 1);
      logger.info('Handled GitHub delivery', {
        delivery,
        githubEvent,
        statusCode: result.statusCode,
        ...outcome,
      });
      return result;
    },
    { logger, metrics },
  );
}

export const handler = createHandler(awsPlatform());
