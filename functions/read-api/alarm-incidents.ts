import type { AlarmIncident } from '#delivery-metrics/domain/delivery-timeline';
import type { RollbackStore } from '#rollback/adapters/rollback-store';
import type { IncidentSource } from './read-dora-metrics';

/**
 * rollback-on-alarm's decisions as DORA failure signals: every incident it did not skip (taken, observed,
 * suppressed by a cooldown, refused by the API…) that names the execution or deployment it was about.
 */
export function alarmIncidents(rollbacks: Pick<RollbackStore, 'incidentsBetween'>): IncidentSource {
  return async (from, to) =>
    (await rollbacks.incidentsBetween(from, to))
      .filter((record) => record.outcome !== 'skipped' && (record.executionId || record.deploymentId))
      .map(
        (record): AlarmIncident => ({
          at: record.alarmStateTime,
          alarmName: record.alarmName,
          executionId: record.executionId,
          deploymentId: record.deploymentId,
        }),
      );
}
