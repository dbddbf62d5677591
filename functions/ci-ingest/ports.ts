import type { ExecutionObservation } from '#history/domain/merge-execution';
import type { HandlerPlatform } from '#platform/handler-platform';

/**
 * The history's store as CI ingestion uses it: the recorder's own write path (one conditional write per
 * observation, order-proof and idempotent). Delivery metrics follow from the table's stream, as for the
 * recorder's writes.
 */
export interface ExecutionHistory {
  recordObservation(observation: ExecutionObservation): Promise<{ changed: boolean }>;
}

/** Where a webhook's shared secret comes from (Secrets Manager; development values in local mode). */
export interface WebhookSecretSource {
  secret(secretArn: string | undefined): Promise<string>;
}

/** The endpoints' platform: local mode and the tests give development secrets; in AWS, Secrets Manager. */
export interface WebhookHandlerPlatform extends HandlerPlatform {
  webhookSecrets?: { github: WebhookSecretSource; ci: WebhookSecretSource };
}
