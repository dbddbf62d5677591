import type { ExecutionRecord } from '#history/domain/execution-record';

/**
 * The stage whose success counts as a production deployment: the configured one, else (by default) the
 * pipeline's last stage, read off the newest execution that succeeded as a whole. Stages run in sequence, so
 * in a succeeded execution the stage that succeeded last is the last stage, whatever order events came in.
 * Undefined when nothing is configured and no execution has succeeded yet.
 */
export function productionStageOf(
  executions: readonly ExecutionRecord[],
  configured?: string,
): string | undefined {
  if (configured) return configured;
  const newestSucceeded = executions
    .filter((execution) => execution.status?.status === 'SUCCEEDED')
    .sort((a, b) => compare(b.endTime, a.endTime) || compare(b.executionId, a.executionId))[0];
  if (!newestSucceeded) return undefined;
  let last: { name: string; at: string } | undefined;
  for (const [name, stage] of Object.entries(newestSucceeded.stages)) {
    if (stage.status?.status !== 'SUCCEEDED') continue;
    if (!last || stage.status.statusAt > last.at || (stage.status.statusAt === last.at && name > last.name)) {
      last = { name, at: stage.status.statusAt };
    }
  }
  return last?.name;
}

function compare(a: string | undefined, b: string | undefined): number {
  return (a ?? '').localeCompare(b ?? '');
}
