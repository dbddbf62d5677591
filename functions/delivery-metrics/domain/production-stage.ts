import type { ExecutionRecord } from '#history/domain/execution-record';

/**
 * The production stage as a last resort, inferred from executions: for a pipeline with no configured stage
 * whose declaration (GetPipeline) could not be read, and for rollups written before the declared stage was
 * recorded. The normal source is the configured stage or the declared last stage (record-delivery-change.ts).
 *
 * Each forward execution that succeeded as a whole and skipped no stage names the stage that succeeded last
 * in it (stages run in sequence); the stage most executions name wins, the newest execution breaking a tie. So
 * a rollback of one stage (which runs only that stage), an entry-condition skip of the last stage, or one
 * execution whose last stage's event was lost cannot move it. Within one second stage order is unknown: a
 * tie is broken by stage name, which is why the declared structure is preferred.
 * Undefined when nothing is configured and no execution tells.
 */
export function productionStageOf(
  executions: readonly ExecutionRecord[],
  configured?: string,
): string | undefined {
  if (configured) return configured;
  const votes = new Map<string, { count: number; newest: string }>();
  for (const execution of executions) {
    if (execution.executionType === 'ROLLBACK' || execution.status?.status !== 'SUCCEEDED') continue;
    const stages = Object.entries(execution.stages);
    if (stages.some(([, stage]) => stage.status?.status === 'SKIPPED')) continue;
    const last = lastSucceededStage(stages);
    if (!last) continue;
    const endedAt = `${execution.endTime ?? ''}#${execution.executionId}`;
    const vote = votes.get(last) ?? { count: 0, newest: '' };
    votes.set(last, { count: vote.count + 1, newest: endedAt > vote.newest ? endedAt : vote.newest });
  }
  let winner: { name: string; count: number; newest: string } | undefined;
  for (const [name, vote] of votes) {
    if (
      !winner ||
      vote.count > winner.count ||
      (vote.count === winner.count && vote.newest > winner.newest)
    ) {
      winner = { name, ...vote };
    }
  }
  return winner?.name;
}

/** The stage that succeeded last (the greater name within one second); undefined when none succeeded. */
export function lastSucceededStage(
  stages: [string, ExecutionRecord['stages'][string]][],
): string | undefined {
  let last: { name: string; at: string } | undefined;
  for (const [name, stage] of stages) {
    if (stage.status?.status !== 'SUCCEEDED') continue;
    if (!last || stage.status.statusAt > last.at || (stage.status.statusAt === last.at && name > last.name)) {
      last = { name, at: stage.status.statusAt };
    }
  }
  return last?.name;
}
