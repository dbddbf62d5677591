import type { ExecutionFact } from '#delivery-metrics/domain/execution-fact';
import type { FactWrite } from '#delivery-metrics/domain/fact-write';
import type { StoredFact } from '#delivery-metrics/domain/packed-facts';
import type { PipelineStructure } from '#delivery-metrics/domain/pipeline-structure';

export type { StoredFact };

/**
 * Per-pipeline DORA rollups by UTC day: the fact of each execution, filed under the day it started, in one
 * partition per pipeline (account, region, name).
 */
export interface DeliveryFactsStore {
  /**
   * Files the fact under its day (replacing the execution's earlier fact), unless a newer one is stored
   * (`applied: false`); `previous` is the execution's fact as it was (under this day or the day it left).
   */
  write(change: FactWrite): Promise<{ applied: boolean; previous?: ExecutionFact }>;
  /**
   * The facts of executions that started on the days from `fromDay` to `toDay` (yyyy-mm-dd, inclusive), each
   * execution once (its newest fact). May hold others of the same months (a packed month is read whole): the
   * caller keeps the times it wants.
   */
  factsBetween(pipeline: Required<PipelineIdentity>, fromDay: string, toDay: string): Promise<StoredFact[]>;
}

/** What one packing of a pipeline's rollups did. */
export interface PackOutcome {
  /** Packed items written: a month (or a part of a busy month) whose facts changed. */
  packedItemsWritten: number;
  /** Facts still alive as their own items (the last few weeks'). */
  liveFacts: number;
  /** Facts written before packing existed, given the live facts' lifetime now that their month holds them. */
  expiriesShortened: number;
}

/** Packs a pipeline's facts into one item per month, so a long report reads months, not single facts. */
export interface DeliveryFactsPacker {
  pack(pipeline: Required<PipelineIdentity>): Promise<PackOutcome>;
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
