import type { ExecutionRecord, StageRecord } from '#lib/history/execution-record';

const STAGES = ['Source', 'Build', 'Production'] as const;

/**
 * A recorded execution, the way the recorder leaves it: `stages` gives each stage's final state and time;
 * `failedAt` marks a Production failure (kept even when a retry then succeeds).
 */
export function execution(options: {
  id: string;
  pipeline?: string;
  start: string;
  committed?: string;
  status: 'SUCCEEDED' | 'FAILED' | 'STARTED';
  productionAt?: string;
  productionStatus?: 'SUCCEEDED' | 'FAILED';
  failedAt?: string;
  rollback?: boolean;
  deploymentIds?: string[];
}): ExecutionRecord {
  const stages: Record<string, StageRecord> = {};
  const start = Date.parse(options.start);
  STAGES.forEach((name, index) => {
    if (name === 'Production') {
      if (!options.productionStatus) return;
      stages[name] = {
        status: {
          status: options.productionStatus,
          statusAt: options.productionAt ?? options.start,
          attempt: 1,
        },
        ...(options.failedAt ? { firstFailedAt: options.failedAt } : {}),
        actions: {},
      };
      return;
    }
    const at = new Date(start + (index + 1) * 60_000).toISOString();
    stages[name] = { status: { status: 'SUCCEEDED', statusAt: at, attempt: 1 }, actions: {} };
  });
  const end = options.status === 'STARTED' ? undefined : (options.productionAt ?? options.start);
  return {
    pipeline: options.pipeline ?? 'shop',
    executionId: options.id,
    startTime: options.start,
    firstEventAt: options.start,
    lastEventAt: end ?? options.start,
    status: { status: options.status, statusAt: end ?? options.start, attempt: 1 },
    ...(end ? { endTime: end } : {}),
    ...(options.committed
      ? { sourceRevisions: [{ actionName: 'Source', createdAt: options.committed }] }
      : {}),
    ...(options.rollback ? { executionType: 'ROLLBACK' as const } : {}),
    ...(options.deploymentIds ? { deploymentIds: options.deploymentIds } : {}),
    stages,
  };
}

export const HOUR = 3_600_000;
