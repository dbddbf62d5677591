import type { DeliveryExecution } from '../../../functions/delivery-metrics/domain/delivery-timeline';
import type { ExecutionRecord, StageRecord } from '../../../functions/history/domain/execution-record';

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
  status: 'SUCCEEDED' | 'FAILED' | 'STARTED' | 'SUPERSEDED';
  productionAt?: string;
  /** SKIPPED: an entry condition skipped the stage, so no action ran. */
  productionStatus?: 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'STARTED';
  failedAt?: string;
  /** The Production failure was an entry condition's (no action ran): a gate block. */
  gate?: boolean;
  rollback?: boolean;
  /** A rollback execution of another stage: it runs only that stage. */
  rollbackOf?: 'Build';
  productionStage?: string;
  executionMode?: 'PARALLEL' | 'QUEUED' | 'SUPERSEDED';
  deploymentIds?: string[];
}): DeliveryExecution {
  const stages: Record<string, StageRecord> = {};
  const start = Date.parse(options.start);
  STAGES.forEach((name, index) => {
    if (options.rollbackOf && name !== options.rollbackOf) return;
    if (name === 'Production') {
      if (!options.productionStatus) return;
      const statusAt = options.productionAt ?? options.start;
      const ran = options.productionStatus !== 'SKIPPED' && !options.gate;
      stages[name] = {
        status: { status: options.productionStatus, statusAt, attempt: 1 },
        ...(options.failedAt ? { firstFailedAt: options.failedAt } : {}),
        actions: ran
          ? {
              Deploy: {
                status: options.productionStatus as 'SUCCEEDED' | 'FAILED' | 'STARTED',
                statusAt,
                attempt: 1,
              },
            }
          : {},
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
    ...(options.rollback || options.rollbackOf ? { executionType: 'ROLLBACK' as const } : {}),
    ...(options.productionStage ? { productionStage: options.productionStage } : {}),
    ...(options.executionMode ? { executionMode: options.executionMode } : {}),
    ...(options.deploymentIds ? { deploymentIds: options.deploymentIds } : {}),
    stages,
  };
}

export const HOUR = 3_600_000;

/** The execution as it was just before its last event: still running, stages as they were. */
export function running(record: ExecutionRecord): ExecutionRecord {
  const { endTime: _end, ...rest } = record;
  return { ...rest, status: { status: 'STARTED', statusAt: record.startTime as string, attempt: 1 } };
}

// A hand-checked day and a half of one pipeline ("shop"):
//   e1 deployed 16th 09:30 (committed 08:00: lead 90 min)
//   e2 failed in Production 12:20                      → e1 is a change failure
//   e3 deployed 14:30 (committed 13:30: lead 60 min)    → restores e1's failure after 130 min
//   e4 deployed 17th 10:40 (committed 09:00: lead 100 min)
//   e5 failed in Production 15:20 and nothing since     → e4 is a change failure, not restored
export const shop = [
  execution({
    id: 'e1',
    start: '2026-11-16T09:00:00.000Z',
    committed: '2026-11-16T08:00:00.000Z',
    status: 'SUCCEEDED',
    productionStatus: 'SUCCEEDED',
    productionAt: '2026-11-16T09:30:00.000Z',
  }),
  execution({
    id: 'e2',
    start: '2026-11-16T12:00:00.000Z',
    committed: '2026-11-16T11:00:00.000Z',
    status: 'FAILED',
    productionStatus: 'FAILED',
    productionAt: '2026-11-16T12:20:00.000Z',
    failedAt: '2026-11-16T12:20:00.000Z',
  }),
  execution({
    id: 'e3',
    start: '2026-11-16T14:00:00.000Z',
    committed: '2026-11-16T13:30:00.000Z',
    status: 'SUCCEEDED',
    productionStatus: 'SUCCEEDED',
    productionAt: '2026-11-16T14:30:00.000Z',
  }),
  execution({
    id: 'e4',
    start: '2026-11-17T10:00:00.000Z',
    committed: '2026-11-17T09:00:00.000Z',
    status: 'SUCCEEDED',
    productionStatus: 'SUCCEEDED',
    productionAt: '2026-11-17T10:40:00.000Z',
  }),
  execution({
    id: 'e5',
    start: '2026-11-17T15:00:00.000Z',
    committed: '2026-11-17T14:00:00.000Z',
    status: 'FAILED',
    productionStatus: 'FAILED',
    productionAt: '2026-11-17T15:20:00.000Z',
    failedAt: '2026-11-17T15:20:00.000Z',
  }),
];
