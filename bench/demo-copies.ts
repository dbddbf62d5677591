import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The demo scenario the bench replays (events/demo/scenario.json). */
export const demoScenario = JSON.parse(
  readFileSync(join(ROOT, 'events', 'demo', 'scenario.json'), 'utf8'),
) as {
  events: Record<string, unknown>[];
  sourceRevisions: Record<string, unknown>;
};

/**
 * Each demo pipeline's stages in the order its events first name them: what GetPipeline declares for it (the
 * last one is the production stage record-delivery-changes reads, as deployed with its GetPipeline allowed).
 */
export function declaredStagesOf(events: readonly Record<string, unknown>[]): Map<string, string[]> {
  const stages = new Map<string, string[]>();
  for (const event of events) {
    const { pipeline, stage } = (event.detail ?? {}) as { pipeline?: unknown; stage?: unknown };
    if (typeof pipeline !== 'string' || typeof stage !== 'string') continue;
    const known = stages.get(pipeline) ?? [];
    if (!known.includes(stage)) stages.set(pipeline, [...known, stage]);
  }
  return stages;
}

/**
 * `copies` copies of the demo's events, copy `first + n` under its own event, execution, deployment and build
 * ids (and the actions' links to them), so each copy records new executions and runs instead of merging into
 * the first's: a copy's run writes and action links cost what a new execution's do.
 */
export function demoEventCopies(copies: number, first = 0): Record<string, unknown>[] {
  return Array.from({ length: copies }, (_, copy) =>
    demoScenario.events.map((event) => withCopyIds(event, first + copy)),
  ).flat();
}

// The providers whose action names a run by its id (CodeDeploy's deployment id, CodeBuild's build id).
const DEPLOYMENT_PROVIDERS = new Set(['CodeDeploy', 'CodeDeployToECS']);

const deploymentIdOf = (id: string, copy: number) => `${id}${copy}`;
/** A build id is `<project>:<uuid>` (and the tail of the build's ARN): the copy goes on the uuid. */
const buildIdOf = (id: string, copy: number) => `${id}-${copy}`;

function withCopyIds(event: Record<string, unknown>, copy: number): Record<string, unknown> {
  const detail = { ...(event.detail as Record<string, unknown>) };
  if (typeof detail['execution-id'] === 'string')
    detail['execution-id'] = `${detail['execution-id']}-${copy}`;
  if (typeof detail.deploymentId === 'string')
    detail.deploymentId = deploymentIdOf(detail.deploymentId, copy);
  if (typeof detail['build-id'] === 'string') detail['build-id'] = buildIdOf(detail['build-id'], copy);
  const result = detail['execution-result'] as Record<string, unknown> | undefined;
  const provider = (detail.type as { provider?: string } | undefined)?.provider ?? '';
  const linked = result?.['external-execution-id'];
  if (result && typeof linked === 'string') {
    const renamed = DEPLOYMENT_PROVIDERS.has(provider)
      ? deploymentIdOf(linked, copy)
      : provider === 'CodeBuild'
        ? buildIdOf(linked, copy)
        : linked;
    detail['execution-result'] = { ...result, 'external-execution-id': renamed };
  }
  return { ...event, id: `${event.id}-${copy}`, detail };
}
