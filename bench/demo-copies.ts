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
 * `copies` copies of the demo's events, copy `first + n` under its own event, execution and deployment ids, so
 * each copy records new executions instead of merging into the first.
 */
export function demoEventCopies(copies: number, first = 0): Record<string, unknown>[] {
  return Array.from({ length: copies }, (_, copy) =>
    demoScenario.events.map((event) => withCopyIds(event, first + copy)),
  ).flat();
}

function withCopyIds(event: Record<string, unknown>, copy: number): Record<string, unknown> {
  const detail = { ...(event.detail as Record<string, unknown>) };
  if (typeof detail['execution-id'] === 'string')
    detail['execution-id'] = `${detail['execution-id']}-${copy}`;
  if (typeof detail.deploymentId === 'string') detail.deploymentId = `${detail.deploymentId}${copy}`;
  return { ...event, id: `${event.id}-${copy}`, detail };
}
