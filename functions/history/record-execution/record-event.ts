import { buildIdFromArn } from '#events/codebuild-events';
import type { HistoryStore, PipelineRef, RecordedObservation, Scope } from '#history/adapters/history-store';
import { TERMINAL_PIPELINE_STATES } from '#history/domain/execution-record';
import type { ExecutionObservation } from '#history/domain/merge-execution';
import { observeCodePipelineEvent } from '#history/domain/observe-codepipeline-event';
import type { RunKind, RunObservation } from '#history/domain/run-record';
import type { DetailsObservation } from '#history/ports';
import type { RecorderEvent } from './recorder-event-schema';

export interface RecorderDependencies {
  store: HistoryStore;
  /** GetPipelineExecution; a failure leaves revisions for a later event (or the reconciler) to fill in. */
  fetchExecutionDetails: (
    pipeline: string,
    executionId: string,
    at: string,
    /** The account and region the execution ran in (a spoke's pipeline is read there). */
    scope: { account?: string; region?: string },
  ) => Promise<DetailsObservation>;
  warn: (message: string, context: Record<string, unknown>) => void;
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
      return recordRun(
        deps,
        {
          kind: 'deployment',
          runId: detail.deploymentId,
          at: event.time,
          status: { status: detail.state, statusAt: event.time, attempt: 1 },
          attributes: {
            application: detail.application,
            deploymentGroup: detail.deploymentGroup,
            region: detail.region ?? event.region,
          },
        },
        { account: event.account, region: detail.region ?? event.region },
      );
    }
    case 'CodeBuild Build State Change': {
      const { detail } = event;
      const initiator = detail['additional-information']?.initiator;
      return recordRun(
        deps,
        {
          kind: 'build',
          runId: buildIdFromArn(detail['build-id']),
          at: event.time,
          status: { status: detail['build-status'], statusAt: event.time, attempt: 1 },
          attributes: {
            project: detail['project-name'],
            ...(initiator ? { initiator } : {}),
          },
        },
        { account: event.account, region: event.region },
      );
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
  const written = await deps.store.recordObservation(observation);
  await readDetailsOnce(deps, observation, written.header, event.time);
  // Delivery metrics follow from the table's stream (record-delivery-changes), off this path.
  if (observation.kind === 'action') await linkRunToAction(deps, observation, event);
  return {
    recorded: 'execution',
    pipeline,
    executionId,
    state: stateAfter(observation, written),
    changed: written.changed,
  };
}

/**
 * GetPipelineExecution is the only source of the revisions (commits) an execution ran, and they are known
 * once the first stage, which holds every source action, has succeeded, or once the execution ended. So it is
 * read at most once per execution, at that point: the claim on the header makes it once, and a failed read
 * gives the claim back for a later event (or the reconciler).
 */
async function readDetailsOnce(
  deps: RecorderDependencies,
  observation: ExecutionObservation,
  header: Record<string, unknown> | undefined,
  at: string,
): Promise<void> {
  if (header?.detailsReadAt || !revisionsAreKnown(observation)) return;
  const { pipeline, executionId } = observation;
  const ref = pipelineRefOf(observation);
  if (!(await deps.store.claimDetailsRead(ref, executionId, at))) return;
  const details = await fetchDetailsOnce(deps, pipeline, executionId, at, {
    account: observation.account,
    region: observation.region,
  });
  if (!details) {
    await deps.store.releaseDetailsRead(ref, executionId, at);
    return;
  }
  await deps.store.recordObservation({
    ...details,
    account: observation.account,
    region: observation.region,
  });
}

function revisionsAreKnown(observation: ExecutionObservation): boolean {
  if (observation.kind === 'stage') return observation.status.status === 'SUCCEEDED';
  if (observation.kind === 'pipeline') return TERMINAL_PIPELINE_STATES.has(observation.status.status);
  return false;
}

function pipelineRefOf(observation: ExecutionObservation): PipelineRef {
  return observation.account && observation.region
    ? { account: observation.account, region: observation.region, pipeline: observation.pipeline }
    : observation.pipeline;
}

function stateAfter(observation: ExecutionObservation, written: RecordedObservation): string | undefined {
  if (observation.kind === 'pipeline' && written.advanced) return observation.status.status;
  return (written.header?.status as { status?: string } | undefined)?.status;
}

async function fetchDetailsOnce(
  deps: RecorderDependencies,
  pipeline: string,
  executionId: string,
  at: string,
  scope: { account?: string; region?: string },
): Promise<DetailsObservation | undefined> {
  try {
    return await deps.fetchExecutionDetails(pipeline, executionId, at, scope);
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
  event: { time: string; account: string; region: string },
): Promise<void> {
  const at = event.time;
  // The run lives where the action ran: the action's own region when it names one.
  const scope = { account: event.account, region: observation.record.region ?? event.region };
  const { provider, externalExecutionId } = observation.record;
  const kind = provider ? LINKED_RUN_PROVIDERS.get(provider) : undefined;
  if (!kind || !externalExecutionId) return;
  await deps.store.recordRun(
    {
      kind,
      runId: externalExecutionId,
      at,
      pipelineLink: {
        pipeline: observation.pipeline,
        executionId: observation.executionId,
        stage: observation.stage,
        action: observation.action,
      },
    },
    scope,
  );
}

async function recordRun(
  deps: RecorderDependencies,
  observation: RunObservation,
  scope: Scope,
): Promise<RecordOutcome> {
  const result = await deps.store.recordRun(observation, scope);
  return {
    recorded: observation.kind,
    runId: observation.runId,
    state: result.record.status?.status,
    changed: result.changed,
  };
}
