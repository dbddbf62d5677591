import { type CodePipelineClient, GetPipelineCommand } from '@aws-sdk/client-codepipeline';
import type { ExecutionMode, PipelineStructure } from '#delivery-metrics/domain/pipeline-structure';
import type { PipelineIdentity, PipelineStructureSource } from '#delivery-metrics/ports';
import type { ClientScope } from '#platform/aws-clients';

export interface PipelineStructureApiOptions {
  /** A CodePipeline client in the pipeline's account and region (the platform's client factory). */
  clientFor: (scope: ClientScope) => CodePipelineClient;
  /** How long the current version's structure is trusted; a numbered version never changes. */
  currentVersionTtlMs?: number;
  /** How long a failed read (not allowed, throttled) is answered with the same error without calling again. */
  failureTtlMs?: number;
  now?: () => number;
}

// A container serves a few pipelines with a few versions each; past this many entries it starts over.
const MAX_CACHED = 500;
const GONE = new Set(['PipelineNotFoundException', 'PipelineVersionNotFoundException']);

/**
 * GetPipeline, cached per account, region, pipeline and version: a pipeline version's declaration never
 * changes, so one call per version and container is enough, and most events cost no call at all.
 */
export function pipelineStructureApi({
  clientFor,
  currentVersionTtlMs = 300_000,
  failureTtlMs = 60_000,
  now = Date.now,
}: PipelineStructureApiOptions): PipelineStructureSource {
  const cache = new Map<string, { structure: PipelineStructure | undefined; until: number }>();
  // A role without codepipeline:GetPipeline would otherwise cost a refused call on every event of the pipeline.
  const failures = new Map<string, { error: unknown; until: number }>();

  const read = async (identity: PipelineIdentity, version: number | undefined) => {
    const { account, region, pipeline } = identity;
    try {
      const { pipeline: declared } = await clientFor({ account, region }).send(
        new GetPipelineCommand({ name: pipeline, ...(version === undefined ? {} : { version }) }),
      );
      if (!declared?.stages?.length) return undefined;
      return {
        stages: declared.stages.flatMap((stage) => (stage.name ? [stage.name] : [])),
        // V1 pipelines have no execution mode: they supersede.
        executionMode: (declared.executionMode ?? 'SUPERSEDED') as ExecutionMode,
      };
    } catch (error) {
      if (GONE.has((error as Error).name)) return undefined;
      throw error;
    }
  };

  return {
    async structureOf(identity, version) {
      const key = JSON.stringify([
        identity.account ?? '',
        identity.region ?? '',
        identity.pipeline,
        version ?? null,
      ]);
      const cached = cache.get(key);
      if (cached && cached.until > now()) return cached.structure;
      const failed = failures.get(key);
      if (failed && failed.until > now()) throw failed.error;
      let structure: PipelineStructure | undefined;
      let fellBack = false;
      try {
        // A version the API no longer knows: the current declaration is the best there is.
        const ofVersion = await read(identity, version);
        fellBack = ofVersion === undefined && version !== undefined;
        structure = ofVersion ?? (fellBack ? await read(identity, undefined) : undefined);
      } catch (error) {
        if (failures.size >= MAX_CACHED) failures.clear();
        failures.set(key, { error, until: now() + failureTtlMs });
        throw error;
      }
      failures.delete(key);
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(key, {
        structure,
        // A version's own declaration never changes; the current one standing in for a lost version may.
        until:
          version === undefined || fellBack || !structure
            ? now() + currentVersionTtlMs
            : Number.POSITIVE_INFINITY,
      });
      return structure;
    },
  };
}
