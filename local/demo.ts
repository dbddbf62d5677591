import { readFileSync } from 'node:fs';
import type { LocalControlPlane } from './control-plane';

interface Scenario {
  events: Record<string, unknown>[];
  sourceRevisions: Record<string, Record<string, unknown>[]>;
}

const SCENARIO = new URL('../events/demo/scenario.json', import.meta.url);

/**
 * Replays events/demo/scenario.json into a running local control plane, every timestamp shifted so the last
 * event happened a minute ago (so "last 7 days" views show it). GetPipelineExecution answers from the
 * scenario's source revisions, as the real API would.
 */
export async function replayDemo(
  controlPlane: LocalControlPlane,
): Promise<{ events: number; executions: number }> {
  const scenario = JSON.parse(readFileSync(SCENARIO, 'utf8')) as Scenario;
  const last = Math.max(...scenario.events.map((event) => Date.parse(String(event.time))));
  const shift = Date.now() - 60_000 - last;
  const shiftIso = (value: unknown) => new Date(Date.parse(String(value)) + shift).toISOString();

  controlPlane.outbox.respond('GetPipelineExecution', (input) => {
    const revisions = scenario.sourceRevisions[String(input.pipelineExecutionId)] ?? [];
    return {
      pipelineExecution: {
        pipelineName: input.pipelineName,
        pipelineExecutionId: input.pipelineExecutionId,
        artifactRevisions: revisions.map((revision) => ({
          ...revision,
          created: new Date(shiftIso(revision.created)),
        })),
      },
    };
  });

  const events = scenario.events.map((event) => {
    const detail = { ...(event.detail as Record<string, unknown>) };
    for (const field of ['start-time', 'stage-last-retry-attempt-time']) {
      if (detail[field]) detail[field] = shiftIso(detail[field]);
    }
    const trigger = detail['execution-trigger'] as Record<string, unknown> | undefined;
    if (trigger?.['author-date'])
      detail['execution-trigger'] = { ...trigger, 'author-date': shiftIso(trigger['author-date']) };
    return { ...event, time: shiftIso(event.time).replace(/\.\d{3}Z$/, 'Z'), detail };
  });
  await controlPlane.deliverEvents(events);
  return { events: events.length, executions: Object.keys(scenario.sourceRevisions).length };
}
