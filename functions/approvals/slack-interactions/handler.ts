import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import * as z from 'zod/mini';
import { createApprovalStore } from '#approvals/adapters/approval-store';
import { approvalResultSender } from '#approvals/adapters/put-approval-result';
import { parseApprovalsPolicy } from '#approvals/domain/approvals-policy';
import { documentClient } from '#platform/dynamodb/document-client';
import { addMetricWithDimension, createObservability } from '#platform/observability';
import { createSlackApi } from '#platform/slack/slack-client';
import { awsSlackPlatform, type SlackHandlerPlatform } from '#platform/slack/slack-platform';
import { config } from './config';
import { handleInteraction, type InteractionDependencies } from './handle-interaction';

const { logger, metrics } = createObservability('slack-interactions');
// Parsed at cold start: a broken policy stops the function with the field's name, not on the first click.
const policy = parseApprovalsPolicy(config.APPROVALS_POLICY);

/** Built on the first request (the bot token is read then), again after a failed attempt. */
function interactionDependencies({
  clients,
  slackCredentials,
}: SlackHandlerPlatform): () => Promise<InteractionDependencies> {
  const putApprovalResult = approvalResultSender(clients);
  let deps: Promise<InteractionDependencies> | undefined;
  return () => {
    deps ??= (async (): Promise<InteractionDependencies> => {
      const credentials = await slackCredentials.credentials(config.SLACK_SECRET_ARN);
      return {
        policy,
        store: createApprovalStore({ client: documentClient(clients), tableName: config.TABLE_NAME }),
        slack: createSlackApi(credentials.botToken, config.SLACK_API_URL),
        signingSecret: () =>
          slackCredentials.signingSecret(config.SLACK_SECRET_ARN, config.SLACK_SIGNING_SECRET_ARN),
        putApprovalResult: async (record, status, summary) => {
          await putApprovalResult(record, status, summary);
          // Accepted by CodePipeline: the approval's wait is over (delivery dashboard, per pipeline).
          addMetricWithDimension(
            metrics,
            ['Pipeline', record.pipeline],
            'ApprovalWaitTime',
            MetricUnit.Seconds,
            (Date.now() - Date.parse(record.createdAt)) / 1000,
          );
        },
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
  const response = await handleInteraction({ headers: lowerCased, rawBody }, await dependencies());
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
  return middy((event: unknown) => slackInteractions(event, dependencies))
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(logMetrics(metrics));
}

export const handler = createHandler(awsSlackPlatform());
