import type { APIGatewayProxyResultV2, LambdaFunctionURLEvent } from 'aws-lambda';
import { createApprovalStore } from '#approvals/adapters/approval-store';
import { createDeliveryFactsStore } from '#delivery-metrics/adapters/delivery-facts-store';
import type { DeliveryFactsStore } from '#delivery-metrics/ports';
import { createHistoryStore } from '#history/adapters/history-store';
import { createCheckpointStore } from '#history/adapters/reconcile-checkpoint-store';
import { documentClient } from '#platform/dynamodb/document-client';
import { BadRequestError } from '#platform/errors';
import { awsPlatform, type HandlerPlatform } from '#platform/handler-platform';
import { lambdaHandler } from '#platform/middleware/lambda-handler';
import { createObservability } from '#platform/observability';
import { createRollbackStore } from '#rollback/adapters/rollback-store';
import { alarmIncidents } from './alarm-incidents';
import { config } from './config';
import { parseDoraQuery } from './dora-query';
import { parseExecutionQuery } from './execution-query';
import { readDoraMetrics } from './read-dora-metrics';
import { type HistoryReaders, readHistory } from './read-history';
import { matchRoute, type Route } from './routes';

const { logger } = createObservability('api');

type ApiReaders = HistoryReaders & { facts: DeliveryFactsStore };

function readStores({ clients }: HandlerPlatform): ApiReaders {
  const client = documentClient(clients);
  return {
    // Reads never write, so retention does not matter here.
    history: createHistoryStore({ client, tableName: config.TABLE_NAME, retentionDays: 1 }),
    checkpoints: createCheckpointStore({ client, tableName: config.TABLE_NAME }),
    approvals: createApprovalStore({ client, tableName: config.TABLE_NAME }),
    rollbacks: createRollbackStore({ client, tableName: config.TABLE_NAME, retentionDays: 1 }),
    facts: createDeliveryFactsStore({ client, tableName: config.TABLE_NAME, retentionDays: 1 }),
  };
}

async function serveApi(
  readers: ApiReaders,
  event: LambdaFunctionURLEvent,
): Promise<APIGatewayProxyResultV2> {
  const method = event.requestContext?.http?.method ?? 'GET';
  let route: Route | undefined;
  try {
    route = matchRoute(method, event.rawPath ?? '/');
    if (!route) return json(404, { message: `No route for ${method} ${event.rawPath}` });
    if (route.name === 'console') {
      // The page (its script and styles, about 26 KB) is loaded on the console's first request only: the API's
      // JSON requests, most of its cold starts, never carry it.
      const { CONSOLE_HEADERS, consolePage } = await import('#read-api/console/console-page');
      return { statusCode: 200, headers: CONSOLE_HEADERS, body: consolePage() };
    }
    if (route.name === 'doraMetrics') {
      const query = parseDoraQuery(event.queryStringParameters);
      return json(200, await readDoraMetrics(readers, alarmIncidents(readers.rollbacks), config, query));
    }
    const response = await readHistory(readers, route, parseExecutionQuery(event.queryStringParameters));
    return json(response.statusCode, response.body);
  } catch (error) {
    if (error instanceof BadRequestError) return json(400, { message: error.message });
    logger.error('Read API request failed', { route: route?.name, error: error as Error });
    return json(500, { message: 'Internal error; see the function logs' });
  }
}

function json(statusCode: number, body: unknown): APIGatewayProxyResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export function createHandler(platform: HandlerPlatform) {
  const readers = readStores(platform);
  return lambdaHandler((event: LambdaFunctionURLEvent) => serveApi(readers, event), { logger });
}

export const handler = createHandler(awsPlatform());
