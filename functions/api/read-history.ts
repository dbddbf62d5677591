import type { HistoryStore } from '#lib/store/history-store';
import type { CheckpointStore } from '#lib/store/reconcile-checkpoint-store';
import type { Route } from './routes';

export interface ApiResponse {
  statusCode: number;
  body: unknown;
}

/** Answers one history route from the store: Query and GetItem only, never Scan. */
export async function readHistory(
  store: HistoryStore,
  checkpoints: Pick<CheckpointStore, 'list'>,
  route: Exclude<Route, { name: 'doraMetrics' }>,
  query: Parameters<HistoryStore['listExecutions']>[1],
): Promise<ApiResponse> {
  switch (route.name) {
    case 'listPipelines': {
      const pipelines = await store.listPipelines();
      const withLatest = await Promise.all(
        pipelines.map(async (summary) => {
          const { items } = await store.listExecutions(summary.pipeline, { limit: 1 });
          return { ...summary, latestExecution: items[0] };
        }),
      );
      return { statusCode: 200, body: { pipelines: withLatest } };
    }
    case 'listExecutions': {
      const page = await store.listExecutions(route.pipeline, query);
      return {
        statusCode: 200,
        body: { pipeline: route.pipeline, executions: page.items, nextCursor: page.nextCursor },
      };
    }
    case 'reconcileStatus': {
      // What the reconciler repaired (issue 8): records events had left missing, stale or incomplete.
      const pipelines = await checkpoints.list();
      const repairedTotal = pipelines.reduce((sum, pipeline) => sum + pipeline.repairedTotal, 0);
      return { statusCode: 200, body: { repairedTotal, pipelines } };
    }
    case 'getExecution': {
      const execution = await store.getExecution(route.pipeline, route.executionId);
      if (!execution) {
        return {
          statusCode: 404,
          body: { message: `No execution ${route.executionId} recorded for pipeline ${route.pipeline}` },
        };
      }
      const [deployments, builds] = await Promise.all([
        Promise.all((execution.deploymentIds ?? []).map((id) => store.getRun('deployment', id))),
        Promise.all((execution.buildIds ?? []).map((id) => store.getRun('build', id))),
      ]);
      return {
        statusCode: 200,
        body: { execution, deployments: deployments.filter(Boolean), builds: builds.filter(Boolean) },
      };
    }
  }
}
