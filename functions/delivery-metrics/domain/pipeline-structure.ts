/** How CodePipeline (V2) runs executions that overlap: one at a time (newest wins or in order), or all at once. */
export type ExecutionMode = 'SUPERSEDED' | 'QUEUED' | 'PARALLEL';

/** What a pipeline's declared structure (GetPipeline) says about one of its versions, for delivery metrics. */
export interface PipelineStructure {
  /** The declared stages, in order. */
  stages: string[];
  executionMode: ExecutionMode;
}

/**
 * The production stage a declared pipeline has by default: its last stage. Read off the declaration, not off
 * executions, so a rollback of one stage, an entry-condition skip or a lost event cannot move it.
 */
export function lastDeclaredStage(structure: PipelineStructure | undefined): string | undefined {
  return structure?.stages.at(-1);
}
