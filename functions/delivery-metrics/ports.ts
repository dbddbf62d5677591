import type { ExecutionFact } from '#delivery-metrics/domain/execution-fact';
import type { FactWrite } from '#delivery-metrics/domain/fact-write';

/** One execution's fact as read back from the rollups. */
export interface StoredFact {
  executionId: string;
  fact: ExecutionFact;
}

/** A pipeline named by its account and region. */
export interface PipelineIdentity {
  account: string;
  region: string;
  pipeline: string;
}

/**
 * Per-pipeline, per-day DORA rollups: one small item per pipeline (account, region, name) and UTC day holding the facts of the
 * executions that started that day, each under its execution id.
 */
export interface DeliveryFactsStore {
  /** Files the fact under its day (replacing the execution's earlier fact), unless a newer one is stored. */
  write(change: FactWrite): Promise<void>;
  /** The facts of executions that started on the days from `fromDay` to `toDay` (yyyy-mm-dd, inclusive). */
  factsBetween(pipeline: PipelineIdentity, fromDay: string, toDay: string): Promise<StoredFact[]>;
}
