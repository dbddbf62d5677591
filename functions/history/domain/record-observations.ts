import type { ExecutionRecord } from './execution-record';
import type { ExecutionObservation } from './merge-execution';

/**
 * Observations whose merge is `record` (with `mergeAll`), so a whole record (a pre-upgrade item, a seeded
 * fixture, a reconciled read) can be written as the events that would have made it.
 */
export function observationsOf(record: ExecutionRecord): ExecutionObservation[] {
  const base = {
    ...(record.account && record.region ? { account: record.account, region: record.region } : {}),
    pipeline: record.pipeline,
    executionId: record.executionId,
    startTime: record.startTime,
    pipelineVersion: record.pipelineVersion,
  };
  const observations: ExecutionObservation[] = [
    {
      ...base,
      kind: 'details',
      at: record.firstEventAt,
      sourceRevisions: record.sourceRevisions,
      trigger: record.trigger,
      executionType: record.executionType,
      rollbackTargetExecutionId: record.rollbackTargetExecutionId,
      variables: record.variables,
      stopComments: record.stopComments,
      deploymentIds: record.deploymentIds,
      buildIds: record.buildIds,
    },
    { ...base, kind: 'details', at: record.lastEventAt },
  ];
  if (record.status) {
    observations.push({ ...base, kind: 'pipeline', at: record.status.statusAt, status: record.status });
  }
  for (const [stage, stageRecord] of Object.entries(record.stages)) {
    if (stageRecord.status) {
      observations.push({
        ...base,
        kind: 'stage',
        stage,
        at: stageRecord.status.statusAt,
        status: stageRecord.status,
        lastRetryAt: stageRecord.lastRetryAt,
      });
    }
    if (stageRecord.firstFailedAt) {
      // Attempt 0 never wins the register: it only brings the failure time the record kept.
      observations.push({
        ...base,
        kind: 'stage',
        stage,
        at: stageRecord.firstFailedAt,
        status: { status: 'FAILED', statusAt: stageRecord.firstFailedAt, attempt: 0 },
      });
    }
    for (const [action, actionRecord] of Object.entries(stageRecord.actions)) {
      observations.push({
        ...base,
        kind: 'action',
        stage,
        action,
        at: actionRecord.statusAt,
        record: actionRecord,
      });
    }
  }
  return observations;
}
