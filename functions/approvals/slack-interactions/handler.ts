import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { createApprovalStore } from '#approvals/adapters/approval-store';
import { lambdaDecisionWorkQueue } from '#approvals/adapters/decision-work-queue';
import { SLACK_RESPONSE_ORIGIN, slackResponder } from '#approvals/adapters/slack-response-url';
import type { AwsClientFactory } from '#platform/aws-clients';
import { lambdaHandler } from '#platform/middleware/lambda-handler';
import { createObservability } from '#platform/observability';
import { createSlackApi } from '#platform/slack/slack-client';
import { awsSlackPlatform, type SlackHandlerPlatform } from '#platform/slack/slack-platform';
import { config } from './config';
import { handleInteraction, type InteractionDependencies } from './handle-interaction';

const { logger, metrics } = createObservability('slack-interactions');

/**
 * Slack shows the clicker an error after 3 s. Whatever AWS or Slack do, the endpoint answers by then: its
 * calls are bounded below, and past this budget it answers 200 without waiting for them.
 */
export const ACK_BUDGET_MS = 2_500;
// A modal's views.open and the approval read before it share what is left after the signature check.
const MODAL_SLACK_TIMEOUT_MS = 1_500;
const RESPONSE_URL_TIMEOUT_MS = 700;

/** The approval read for a modal's title: two short attempts instead of the factory's five adaptive ones. */
function boundedDocumentClient(clients: AwsClientFactory) {
  const client = clients.client(DynamoDBClient, {
    overrides: {
      maxAttempts: 2,
      retryMode: 'standard',
      requestHandler: { connectionTimeout: 300, requestTimeout: 500, throwOnRequestTimeout: true },
    },
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** Built on the first request (the bot token is read then), again after a failed attempt. */
function interactionDependencies({
  clients,
  slackCredentials,
}: SlackHandlerPlatform): () => Promise<InteractionDependencies> {
  let deps: Promise<InteractionDependencies> | undefined;
  return () => {
    deps ??= (async (): Promise<InteractionDependencies> => {
      const credentials = await slackCredentials.credentials(config.SLACK_SECRET_ARN);
      return {
        store: createApprovalStore({ client: boundedDocumentClient(clients), tableName: config.TABLE_NAME }),
        slack: createSlackApi(credentials.botToken, config.SLACK_API_URL, MODAL_SLACK_TIMEOUT_MS),
        queue: lambdaDecisionWorkQueue(clients, config.DECISIONS_FUNCTION_NAME),
        tellClicker: slackResponder({
          allowedOrigins: [
            SLACK_RESPONSE_ORIGIN,
            ...(config.SLACK_API_URL ? [new URL(config.SLACK_API_URL).origin] : []),
          ],
          timeoutMs: RESPONSE_URL_TIMEOUT_MS,
        }),
        signingSecret: () =>
          slackCredentials.signingSecret(config.SLACK_SECRET_ARN, config.SLACK_SIGNING_SECRET_ARN),
        now: () => new Date(),
        warn: (message, context) => logger.warn(message, context),
      };
    })().catch((error) => {
      deps = undefined;
      throw error;
    });
    return deps;
  };
}

const functionUrlEvent = z.object({
  headers: z._default(z.record(z.string(), z.string()), {}),
  body: z.optional(z.string()),
  isBase64Encoded: z._default(z.boolean(), false),
});

async function slackInteractions(event: unknown, dependencies: () => Promise<InteractionDependencies>) {
  const parsed = functionUrlEvent.safeParse(event);
  if (!parsed.success) return { statusCode: 400 };
  const { headers, body = '', isBase64Encoded } = parsed.data;
  // Function URLs base64-encode bodies they do not consider text; the signature covers the decoded bytes.
  const rawBody = isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  const lowerCased = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ACK_BUDGET_MS);
  });
  const work = (async () => handleInteraction({ headers: lowerCased, rawBody }, await dependencies()))();
  const response = await Promise.race([work, late]).finally(() => clearTimeout(timer));
  if (response === 'late') {
    // Nothing decided is lost by answering now: a click is recorded only by the worker, which a late
    // hand-over still reaches or the clicker's repeat does (a repeated click never counts twice).
    work.catch((error: unknown) => logger.warn('Late Slack interaction failed', { error: String(error) }));
    metrics.addMetric('SlackInteraction_late', MetricUnit.Count, 1);
    logger.warn('Answered Slack before the interaction finished', { budgetMs: ACK_BUDGET_MS });
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '' };
  }
  metrics.addMetric(`SlackInteraction_${response.outcome}`, MetricUnit.Count, 1);
  logger.info('Handled Slack interaction', { outcome: response.outcome, statusCode: response.statusCode });
  return {
    statusCode: response.statusCode,
    headers: { 'content-type': 'application/json' },
    body: response.body ?? '',
  };
}

export function createHandler(platform: SlackHandlerPlatform) {
  const dependencies = interactionDependencies(platform);
  return lambdaHandler((event: unknown) => slackInteractions(event, dependencies), { logger, metrics });
}

export const handler = createHandler(awsSlackPlatform());
