import { createHistoryStore } from '#history/adapters/history-store';
import { documentClient } from '#platform/dynamodb/document-client';
import type { HandlerPlatform } from '#platform/handler-platform';
import type { IngestionDependencies } from './record-ingestion';

export interface IngestionConfig {
  TABLE_NAME: string;
  HISTORY_RETENTION_DAYS: number;
}

/** The history store exactly as the recorder wires it. */
export function ingestionDependencies(
  { clients }: HandlerPlatform,
  config: IngestionConfig,
): IngestionDependencies {
  const history = createHistoryStore({
    client: documentClient(clients),
    tableName: config.TABLE_NAME,
    retentionDays: config.HISTORY_RETENTION_DAYS,
  });
  return { history };
}
