import type { PipelineSummary, Scope, ScopedPipeline } from '#history/adapters/history-store';

export type PipelineResolution =
  | { kind: 'found'; pipeline: ScopedPipeline }
  | { kind: 'ambiguous'; choices: Scope[] };

/**
 * Which account/region a per-pipeline route means. Both given: that one. Otherwise the catalog's pipelines
 * of that name that match what was given: one is it, several are a choice the caller must make (409), none
 * is the hub's own (a pipeline whose history is not in the catalog yet still answers, empty).
 */
export function resolvePipeline(
  name: string,
  wanted: Partial<Scope>,
  catalog: readonly PipelineSummary[],
  hub: Scope,
): PipelineResolution {
  if (wanted.account && wanted.region) {
    return { kind: 'found', pipeline: { account: wanted.account, region: wanted.region, pipeline: name } };
  }
  const matching = catalog.filter(
    (entry) =>
      entry.pipeline === name &&
      (!wanted.account || entry.account === wanted.account) &&
      (!wanted.region || entry.region === wanted.region),
  );
  if (matching.length > 1) {
    return {
      kind: 'ambiguous',
      choices: matching.map(({ account, region }) => ({ account, region })),
    };
  }
  const only = matching[0];
  if (only)
    return { kind: 'found', pipeline: { account: only.account, region: only.region, pipeline: name } };
  return {
    kind: 'found',
    pipeline: { account: wanted.account ?? hub.account, region: wanted.region ?? hub.region, pipeline: name },
  };
}
