import { buildIdFromArn } from '#events/codebuild-events';
import type { HistoryStore } from '#history/adapters/history-store';
import type { ExecutionRecord } from '#history/domain/execution-record';
import { hasSourceRevisions, mergeExecution } from '#history/domain/merge-execution';
import { observeCodePipelineEvent } from '#history/domain/observe-codepipeline-event';
import { mergeRun, type RunKind, type RunObservation } from '#history/domain/run-record';
import type { DetailsObservation, ExecutionChangeListener } from '#history/ports';
import type { RecorderEvent } from './recorder-event-schema';

export interface RecorderDependencies {
  store: HistoryStore;
  /** GetPipelineExecution; a failure leaves revisions for a later event (or the reconciler) to fill in. */
  fetchExecutionDetails: (pipeline: string, executionId: string, at: string) => Promise<DetailsObservation>;
  warn: (message: string, context: Record<string, unknown>) => void;
  /**
   * Told of every write that changed an execution (delivery metrics listen here). Called after the write:
   * the record is safe whatever happens there, so a listener's failure is its own to log, never a retry.
   */
  onExecutionChanged: ExecutionChangeListener;
}

export type RecordOutcome =
  | { recorded: 'execution'; pipeline: string; executionId: string; state?: string; changed: boolean }
  | { recorded: RunKind; runId: string; state?: string; changed: boolean };

// A Map: the provider comes from the event, and a plain object would answer "constructor" with a function.
const LINKED_RUN_PROVIDERS: ReadonlyMap<string, RunKind> = new Map([
  ['CodeDeploy', 'deployment'],
  ['CodeDeployToECS', 'deployment'],
  ['CodeBuild', 'build'],
]);

/** Merges one validated event into the history. Safe to call any number of times, in any order. */
export async function recordEvent(event: RecorderEvent, deps: RecorderDependencies): Promise<RecordOutcome> {
  switch (event['detail-type']) {
    case 'CodeDeploy Deployment State-change Notification': {
      const { detail } = event;
      return recordRun(deps, {
        kind: 'deployment',
        runId: detail.deploymentId,
        at: event.time,
        status: { status: detail.state, statusAt: event.time, attempt: 1 },
        attributes: {
          application: detail.application,
          deploymentGroup: detail.deploymentGroup,
          region: detail.region ?? event.region,
        },
      });
    }
    case 'CodeBuild Build State Change': {
      const { detail } = event;
      const initiator = detail['additional-information']?.initiator;
      return recordRun(deps, {
        kind: 'build',
        runId: buildIdFromArn(detail['build-id']),
        at: event.time,
        status: { status: detail['build-status'], statusAt: event.time, attempt: 1 },
        attributes: {
          project: detail['project-name'],
          ...(initiator ? { initiator } : {}),
        },
      });
    }
    default:
      return recordPipelineEvent(event, deps);
  }
}

async function recordPipelineEvent(
  event: Exclude<RecorderEvent, { source: 'aws.codedeploy' | 'aws.codebuild' }>,
  deps: RecorderDependencies,
): Promise<RecordOutcome> {
  const observation = observeCodePipelineEvent(event);
  const { pipeline, executionId } = observation;
  let details: Promise<DetailsObservation | undefined> | undefined;

  const result = await deps.store.mergeExecution(pipeline, executionId, async (current) => {
    let next = mergeExecution(current, observation);
    // Source revisions appear once the source action ran, so an early read may find none: read again, but only
    // on an execution's first event and on stage and pipeline events (a few per execution), not on every action
    // event, so a pipeline whose revisions never appear cannot turn each event into a CodePipeline call.
    if (!hasSourceRevisions(next) && (!current || observation.kind !== 'action')) {
      details ??= fetchDetailsOnce(deps, pipeline, executionId, event.time);
      const fetched = await details;
      if (fetched) next = mergeExecution(next, fetched);
    }
    return next;
  });

  // Metrics first: they come from this write alone, and a link failing below (retried by Lambda) would find the
  // execution unchanged on the retry and never emit them.
  if (result.changed) await deps.onExecutionChanged(result.previous, result.record);
  if (observation.kind === 'action') await linkRunToAction(deps, observation, event.time);
  return {
    recorded: 'execution',
    pipeline,
    executionId,
    state: statusOf(result.record),
    changed: result.changed,
  };
}

async function fetchDetailsOnce(
  deps: RecorderDependencies,
  pipeline: string,
  executionId: string,
  at: string,
): Promise<DetailsObservation | undefined> {
  try {
    return await deps.fetchExecutionDetails(pipeline, executionId, at);
  } catch (error) {
    deps.warn('GetPipelineExecution failed; source revisions left for a later event', {
      pipeline,
      executionId,
      error: (error as Error).name,
      reason: (error as Error).message,
    });
    return undefined;
  }
}

/** The deploy/build action names its run: record that link on the run's own item. */
async function linkRunToAction(
  deps: RecorderDependencies,
  observation: Extract<ReturnType<typeof observeCodePipelineEvent>, { kind: 'action' }>,
  at: string,
): Promise<void> {
  const { provider, externalExecutionId } = observation.record;
  const kind = provider ? LINKED_RUN_PROVIDERS.get(provider) : undefined;
  if (!kind || !externalExecutionId) return;
  await deps.store.mergeRun(kind, externalExecutionId, (current) =>
    mergeRun(current, {
      kind,
      runId: externalExecutionId,
      at,
      pipelineLink: {
        pipeline: observation.pipeline,
        executionId: observation.executionId,
        stage: observation.stage,
        action: observation.action,
      },
    }),
  );
}

async function recordRun(deps: RecorderDependencies, observation: RunObservation): Promise<RecordOutcome> {
  const result = await deps.store.mergeRun(observation.kind, observation.runId, (current) =>
    mergeRun(current, observation),
  );
  return {
    recorded: observation.kind,
    runId: observation.runId,
    state: result.record.status?.status,
    changed: result.changed,
  };
}

function statusOf(record: ExecutionRecord): string | undefined {
  return record.status?.status;
}
