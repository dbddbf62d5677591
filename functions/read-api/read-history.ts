import type { ApprovalStore } from '#approvals/adapters/approval-store';
import type { HistoryStore } from '#history/adapters/history-store';
import type { CheckpointStore } from '#history/adapters/reconcile-checkpoint-store';
import type { ExecutionRecord } from '#history/domain/execution-record';
import { executionStartTime } from '#history/domain/merge-execution';
import type { RollbackRecord, RollbackStore } from '#rollback/adapters/rollback-store';
import { approvalView } from './approval-view';
import type { PipelineQuery } from './execution-query';
import { resolvePipeline } from './resolve-pipeline';
import type { Route } from './routes';
import { timeRange } from './time-range';

export interface HistoryReaders {
  history: HistoryStore;
  checkpoints: Pick<CheckpointStore, 'list'>;
  approvals: Pick<ApprovalStore, 'pendingByDeadline' | 'forActionBetween'>;
  rollbacks: Pick<RollbackStore, 'incidentsBetween'>;
}

// CodePipeline approvals time out after 7 days at most, so every pending one has a deadline within 8 days.
const LONGEST_APPROVAL_MS = 8 * 86_400_000;
const DAY_MS = 86_400_000;
const DEFAULT_ROLLBACK_DAYS = 30;

export interface ApiResponse {
  statusCode: number;
  body: unknown;
}

/** Answers one history route from the store: Query and GetItem only, never Scan. */
export async function readHistory(
  { history: store, checkpoints, approvals, rollbacks }: HistoryReaders,
  route: Exclude<Route, { name: 'doraMetrics' | 'console' }>,
  query: PipelineQuery = {},
  now: Date = new Date(),
): Promise<ApiResponse> {
  const { account, region, ...executionQuery } = query;
  const pipelineOf = async (name: string) =>
    resolvePipeline(name, { account, region }, await store.listPipelines(), store.hub);
  switch (route.name) {
    case 'rollbacks': {
      // Rollback decisions (taken, observed, skipped, refused) whose alarm fired in the range, newest first.
      const { from, to } = timeRange(query ?? {}, now, DEFAULT_ROLLBACK_DAYS);
      const records = await rollbacks.incidentsBetween(from, to);
      return { statusCode: 200, body: { from, to, rollbacks: records.reverse() } };
    }
    case 'pendingApprovals': {
      const pending = await approvals.pendingByDeadline(now, new Date(now.getTime() + LONGEST_APPROVAL_MS));
      return {
        statusCode: 200,
        body: { approvals: pending.map((record) => approvalView(record, store.hub)) },
      };
    }
    case 'listPipelines': {
      const pipelines = await store.listPipelines();
      const withLatest = await Promise.all(
        pipelines.map(async (summary) => {
          const { items } = await store.listExecutions(summary, { limit: 1 });
          return { ...summary, latestExecution: items[0] };
        }),
      );
      return { statusCode: 200, body: { pipelines: withLatest } };
    }
    case 'listExecutions': {
      const resolved = await pipelineOf(route.pipeline);
      if (resolved.kind === 'ambiguous') return ambiguous(route.pipeline, resolved.choices);
      const page = await store.listExecutions(resolved.pipeline, executionQuery);
      return {
        statusCode: 200,
        body: {
          pipeline: route.pipeline,
          account: resolved.pipeline.account,
          region: resolved.pipeline.region,
          executions: page.items,
          nextCursor: page.nextCursor,
        },
      };
    }
    case 'reconcileStatus': {
      // What the reconciler repaired: records events had left missing, stale or incomplete.
      const pipelines = await checkpoints.list();
      const repairedTotal = pipelines.reduce((sum, pipeline) => sum + pipeline.repairedTotal, 0);
      return { statusCode: 200, body: { repairedTotal, pipelines } };
    }
    case 'getExecution': {
      const resolved = await pipelineOf(route.pipeline);
      if (resolved.kind === 'ambiguous') return ambiguous(route.pipeline, resolved.choices);
      const scope = { account: resolved.pipeline.account, region: resolved.pipeline.region };
      const execution = await store.getExecution(resolved.pipeline, route.executionId);
      if (!execution) {
        return {
          statusCode: 404,
          body: { message: `No execution ${route.executionId} recorded for pipeline ${route.pipeline}` },
        };
      }
      const [deployments, builds, executionApprovals, executionRollbacks] = await Promise.all([
        Promise.all((execution.deploymentIds ?? []).map((id) => store.getRun('deployment', id, scope))),
        Promise.all((execution.buildIds ?? []).map((id) => store.getRun('build', id, scope))),
        approvalsOf(approvals, execution, now),
        rollbacksOf(rollbacks, execution, now),
      ]);
      // CodeDeploy's automatic rollback of a deployment is part of the execution too (its record names both).
      const rollbackIds = deployments.flatMap((run) => run?.rollback?.rolledBackBy ?? []);
      const rollbackDeployments = await Promise.all(
        rollbackIds
          .filter((id) => !execution.deploymentIds?.includes(id))
          .map((id) => store.getRun('deployment', id, scope)),
      );
      return {
        statusCode: 200,
        body: {
          execution,
          deployments: [...deployments, ...rollbackDeployments].filter(Boolean),
          builds: builds.filter(Boolean),
          approvals: executionApprovals.map((record) => approvalView(record, store.hub)),
          rollbacks: executionRollbacks,
        },
      };
    }
  }
}

/** A name several accounts or regions use: the caller must say which (`?account=&region=`). */
function ambiguous(pipeline: string, choices: { account: string; region: string }[]): ApiResponse {
  return {
    statusCode: 409,
    body: {
      message: `Pipeline ${pipeline} exists in several accounts or regions: add ?account=&region= to choose one`,
      choices,
    },
  };
}

/**
 * CodePipeline's approval notification names no execution, so an execution's approvals are the requests of
 * its manual-approval actions made while it ran: one index Query per approval action.
 */
async function approvalsOf(approvals: HistoryReaders['approvals'], execution: ExecutionRecord, now: Date) {
  const from = executionStartTime(execution);
  const to = execution.endTime ?? now.toISOString();
  const actions = Object.entries(execution.stages).flatMap(([stage, record]) =>
    Object.entries(record.actions)
      .filter(([, action]) => action.category === 'Approval')
      .map(([action]) => ({ stage, action })),
  );
  const found = await Promise.all(
    actions.map(({ stage, action }) =>
      approvals.forActionBetween(
        { pipeline: execution.pipeline, stage, action, account: execution.account, region: execution.region },
        from,
        to,
      ),
    ),
  );
  return found.flat();
}

/** Rollback decisions about this execution or its deployments, from alarms that fired up to a day after it. */
async function rollbacksOf(
  rollbacks: HistoryReaders['rollbacks'],
  execution: ExecutionRecord,
  now: Date,
): Promise<RollbackRecord[]> {
  const from = executionStartTime(execution);
  const end = Date.parse(execution.endTime ?? now.toISOString());
  const to = new Date(Math.min(end + DAY_MS, now.getTime())).toISOString();
  const deploymentIds = new Set(execution.deploymentIds ?? []);
  return (await rollbacks.incidentsBetween(from, to)).filter(
    (record) =>
      record.executionId === execution.executionId ||
      (record.deploymentId !== undefined && deploymentIds.has(record.deploymentId)),
  );
}
