import { BUILD_STATES as BUILD_STATE_NAMES, type BuildState } from '#events/codebuild-events';
import type { BuildReport } from './api-reads';
import { toWholeSecond } from './observe-api-execution';
import { BUILD_STATES, type RunObservation } from './run-record';

/**
 * One BatchGetBuildBatches / BatchGetBuilds answer as a build event would have said it: a terminal status at
 * `endTime` (whole seconds, as every API time), otherwise IN_PROGRESS at `startTime`. A batch build gets the
 * `batch` attribute: its status is known only from this read (CodeBuild sends no event for a batch).
 */
export function observeBuildInfo(report: BuildReport): RunObservation<BuildState> | undefined {
  const status = BUILD_STATE_NAMES.find((name) => name === report.status);
  if (!report.id || !status || !report.projectName) return undefined;
  const at = toWholeSecond(
    (BUILD_STATES.terminal.has(status) ? report.endTime : report.startTime)?.toISOString(),
  );
  if (!at) return undefined;
  return {
    kind: 'build',
    runId: report.id,
    at,
    status: { status, statusAt: at, attempt: 1 },
    attributes: {
      project: report.projectName,
      ...(report.initiator ? { initiator: report.initiator } : {}),
      ...(report.batch ? { batch: 'true' } : {}),
    },
  };
}
