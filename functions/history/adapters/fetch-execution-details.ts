import {
  type ArtifactRevision,
  type CodePipelineClient,
  GetPipelineExecutionCommand,
  type ResolvedPipelineVariable,
} from '@aws-sdk/client-codepipeline';
import { clipText, type PipelineVariable, type SourceRevision } from '#history/domain/execution-record';
import type { DetailsObservation } from '#history/ports';
import { withoutUndefined } from '#platform/without-undefined';

/**
 * Source revisions (commit id, summary, created time, URL) and resolved pipeline variables come only from
 * GetPipelineExecution; events carry the commit only for connection/webhook triggers. Called once per
 * execution, when its record has none.
 */
export async function fetchExecutionDetails(
  client: CodePipelineClient,
  pipeline: string,
  executionId: string,
  observedAt: string,
): Promise<DetailsObservation> {
  const { pipelineExecution: execution } = await client.send(
    new GetPipelineExecutionCommand({ pipelineName: pipeline, pipelineExecutionId: executionId }),
  );
  return withoutUndefined({
    kind: 'details' as const,
    pipeline,
    executionId,
    at: observedAt,
    pipelineVersion: execution?.pipelineVersion,
    sourceRevisions: sourceRevisionsOf(execution?.artifactRevisions),
    trigger: execution?.trigger
      ? withoutUndefined({ type: execution.trigger.triggerType, detail: execution.trigger.triggerDetail })
      : undefined,
    executionType: execution?.executionType,
    rollbackTargetExecutionId: execution?.rollbackMetadata?.rollbackTargetPipelineExecutionId,
    variables: variablesOf(execution?.variables),
  });
}

/**
 * The execution's resolved pipeline variables, read on the same GetPipelineExecution (no extra call). Values
 * are clipped like other free text; an empty list is "none known", as for revisions.
 */
function variablesOf(variables: ResolvedPipelineVariable[] | undefined): PipelineVariable[] | undefined {
  const known = (variables ?? []).filter((variable) => variable.name !== undefined);
  if (known.length === 0) return undefined;
  return known.map((variable) => ({
    name: variable.name as string,
    value: clipText(variable.resolvedValue ?? ''),
  }));
}

/**
 * GetPipelineExecution can answer `artifactRevisions: []` before the source action has finished: that means
 * "not known yet", so it stays undefined and a later event (or the reconciler) fetches again. Recording []
 * would stop every later fetch and lose lead time for the execution.
 */
function sourceRevisionsOf(revisions: ArtifactRevision[] | undefined): SourceRevision[] | undefined {
  if (!revisions?.length) return undefined;
  return revisions.map((revision) =>
    withoutUndefined({
      actionName: revision.name ?? 'Source',
      revisionId: revision.revisionId,
      summary: clipText(revision.revisionSummary),
      createdAt: revision.created?.toISOString(),
      url: revision.revisionUrl,
    }),
  );
}
