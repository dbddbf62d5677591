import type { DeliveryFactsPacker, PackOutcome, PipelineIdentity } from '#delivery-metrics/ports';

export interface PackRunDependencies {
  /** Every pipeline the history's catalog holds, in every account and region. */
  pipelines: () => Promise<Required<PipelineIdentity>[]>;
  packer: DeliveryFactsPacker;
  onPipelineFailed: (pipeline: Required<PipelineIdentity>, error: Error) => void;
}

export interface PackRunOutcome extends PackOutcome {
  pipelines: number;
  failed: Required<PipelineIdentity>[];
}

// Pipelines packed side by side: each is a Query and a write or two, so a few at once keep a run of
// thousands of pipelines within minutes without a burst of writes on the table.
const CONCURRENCY = 8;

/**
 * One run of the daily packer: every catalogued pipeline's facts packed into their months. A pipeline that
 * fails is reported and the others go on; a fact lives LIVE_FACT_DAYS, so a run that fails is made up by the
 * next ones. The run throws at the end if any failed, so the failure shows (Lambda errors, dead letters).
 */
export async function packDeliveryFacts(deps: PackRunDependencies): Promise<PackRunOutcome> {
  const pipelines = await deps.pipelines();
  const outcome: PackRunOutcome = {
    pipelines: pipelines.length,
    packedItemsWritten: 0,
    liveFacts: 0,
    expiriesShortened: 0,
    failed: [],
  };
  let next = 0;
  const worker = async () => {
    while (next < pipelines.length) {
      const pipeline = pipelines[next++] as Required<PipelineIdentity>;
      try {
        const packed = await deps.packer.pack(pipeline);
        outcome.packedItemsWritten += packed.packedItemsWritten;
        outcome.liveFacts += packed.liveFacts;
        outcome.expiriesShortened += packed.expiriesShortened;
      } catch (error) {
        outcome.failed.push(pipeline);
        deps.onPipelineFailed(pipeline, error as Error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, pipelines.length) }, worker));
  return outcome;
}

export class PackingFailedError extends Error {
  override name = 'PackingFailedError';
}
