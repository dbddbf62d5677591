import type { ExecutionRecord } from '#history/domain/execution-record';
import type { ExecutionObservation } from '#history/domain/merge-execution';
import type { ExecutionChangeListener } from '#history/ports';
import type { HandlerPlatform } from '#platform/handler-platform';
import type { CiScope } from './domain/ci-identity';

/**
 * The history's store as CI ingestion uses it: the recorder's own write path (one conditional write per
 * observation, order-proof and idempotent) and the read of the execution around a write.
 */
export interface ExecutionHistory {
  recordObservation(observation: ExecutionObservation): Promise<{
    changed: boolean;
    /** The item the observation is about, before the write. */
    previousItem?: Record<string, unknown>;
  }>;
  executionAround(
    observation: ExecutionObservation,
    previousItem: Record<string, unknown> | undefined,
  ): Promise<{ previous?: ExecutionRecord; record?: ExecutionRecord }>;
}

/** Delivery metrics, told of each change of a CI execution (the listener reads that scope's executions). */
export type ChangeListenerFor = (scope: CiScope) => ExecutionChangeListener;

/** Where a webhook's shared secret comes from (Secrets Manager; development values in local mode). */
export interface WebhookSecretSource {
  secret(secretArn: string | undefined): Promise<string>;
}

/** The endpoints' platform: local mode and the tests give development secrets; in AWS, Secrets Manager. */
export interface WebhookHandlerPlatform extends HandlerPlatform {
  webhookSecrets?: { github: WebhookSecretSource; ci: WebhookSecretSource };
}
