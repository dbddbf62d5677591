import type { ExecutionFact } from '#delivery-metrics/domain/execution-fact';
import type { FactWrite } from '#delivery-metrics/domain/fact-write';
import type { PipelineStructure } from '#delivery-metrics/domain/pipeline-structure';

/** One execution's fact as read back from the rollups. */
export interface StoredFact {
  executionId: string;
  fact: ExecutionFact;
}

/**
 * Per-pipeline DORA rollups by UTC day: the fact of each execution, filed under the day it started, in one
 * partition per pipeline (account, region, name).
 */
export interface DeliveryFactsStore {
  /** Files the fact under its day (replacing the execution's earlier fact), unless a newer one is stored. */
  write(change: FactWrite): Promise<void>;
  /** The facts of executions that started on the days from `fromDay` to `toDay` (yyyy-mm-dd, inclusive). */
  factsBetween(pipeline: Required<PipelineIdentity>, fromDay: string, toDay: string): Promise<StoredFact[]>;
}

/** A pipeline as it is identified everywhere: its account, region and name (absent: the function's own). */
export interface PipelineIdentity {
  account?: string;
  region?: string;
  pipeline: string;
}

/** The declared structure of a pipeline version, read where the pipeline lives. */
export interface PipelineStructureSource {
  /**
   * `version` undefined: the current version. Undefined when the pipeline (or that version) no longer
   * exists; throws when it cannot be read now (throttled, not allowed), which the caller decides about.
   */
  structureOf(
    pipeline: PipelineIdentity,
    version: number | undefined,
  ): Promise<PipelineStructure | undefined>;
}
