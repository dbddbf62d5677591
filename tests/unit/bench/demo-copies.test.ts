import { describe, expect, it } from 'vitest';
import { demoEventCopies, demoScenario } from '../../../bench/demo-copies';
import { buildIdFromArn } from '../../../functions/events/codebuild-events';

type Detail = Record<string, unknown> & {
  type?: { provider?: string };
  'execution-result'?: { 'external-execution-id'?: string };
};
const detailOf = (event: Record<string, unknown>) => event.detail as Detail;

/** The run ids a set of events names: deployments and builds by their own events and by the actions' links. */
function runIds(events: readonly Record<string, unknown>[]) {
  const runs = new Set<string>();
  const links = new Set<string>();
  for (const event of events) {
    const detail = detailOf(event);
    if (typeof detail.deploymentId === 'string') runs.add(detail.deploymentId);
    if (typeof detail['build-id'] === 'string') runs.add(buildIdFromArn(detail['build-id']));
    const linked = detail['execution-result']?.['external-execution-id'];
    const provider = detail.type?.provider;
    if (linked && (provider === 'CodeBuild' || provider?.startsWith('CodeDeploy'))) links.add(linked);
  }
  return { runs, links };
}

describe('demo copies for the bench', () => {
  it('gives each copy its own runs, and its actions link to those runs', () => {
    const [first, second] = [demoEventCopies(1, 0), demoEventCopies(1, 1)];
    const a = runIds(first as Record<string, unknown>[]);
    const b = runIds(second as Record<string, unknown>[]);
    expect(a.runs.size).toBeGreaterThan(0);
    expect([...a.runs].filter((id) => b.runs.has(id))).toEqual([]);
    // Every link names a run of its own copy, as in the demo itself.
    const original = runIds(demoScenario.events);
    expect([...original.links].every((id) => original.runs.has(id))).toBe(true);
    expect([...a.links].filter((id) => !a.runs.has(id))).toEqual([]);
    expect([...b.links].filter((id) => !b.runs.has(id))).toEqual([]);
  });

  it('keeps everything else of an event', () => {
    const [copy] = demoEventCopies(1, 3);
    const [event] = demoScenario.events;
    expect(Object.keys(copy as object).sort()).toEqual(Object.keys(event as object).sort());
    expect((copy as { time: string }).time).toBe((event as { time: string }).time);
  });
});
