/** What ListPipelineExecutions says about one execution (only the fields the choice needs). */
export interface ListedExecution {
  pipelineExecutionId?: string;
  executionType?: string;
  startTime?: Date;
  rollbackMetadata?: { rollbackTargetPipelineExecutionId?: string };
}

/**
 * The execution RollbackStage should return the stage to, from ListPipelineExecutions filtered by
 * `succeededInStage` (newest first; "executions where the stage was successful in the current pipeline
 * version"): what the stage ran just before the bad execution. That is the newest earlier listed execution,
 * unless it is a ROLLBACK execution: then the stage runs what that rollback restored (its rollbackMetadata),
 * never the change it rolled back. RollbackStage refuses rollback-type targets and targets from an older
 * pipeline version, which this list already leaves out, so it is more authoritative than the recorded history.
 * Undefined when the bad execution is not listed, or an earlier rollback does not say what it restored (then
 * the recorded choice stands and RollbackStage judges).
 */
export function chooseRollbackTarget(
  listed: readonly ListedExecution[],
  badExecutionId: string,
): string | undefined {
  const badIndex = listed.findIndex((execution) => execution.pipelineExecutionId === badExecutionId);
  if (badIndex < 0) return undefined;
  const bad = listed[badIndex];
  const previous = listed
    .slice(badIndex + 1)
    .find(
      (execution) =>
        execution.pipelineExecutionId &&
        (!bad?.startTime || !execution.startTime || execution.startTime < bad.startTime),
    );
  if (previous?.executionType === 'ROLLBACK') {
    return previous.rollbackMetadata?.rollbackTargetPipelineExecutionId || undefined;
  }
  return previous?.pipelineExecutionId;
}
