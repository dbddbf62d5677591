import type { Ingestion } from './domain/ci-observations';
import type { ChangeListenerFor, ExecutionHistory } from './ports';

export interface IngestionDependencies {
  history: ExecutionHistory;
  onExecutionChanged: ChangeListenerFor;
}

export interface RecordedIngestion {
  pipeline: string;
  executionId: string;
  changed: boolean;
}

/**
 * Writes an ingestion's observations through the history's own merge, one after another, and tells the
 * delivery metrics of each change, as the recorder does. A delivery sent again changes nothing; the metrics
 * are then told once with `changed: false`, which rewrites the execution's DORA fact: if an earlier attempt
 * failed after its history write, its fact is not lost (the sender's retry is the repair).
 */
export async function recordIngestion(
  ingestion: Extract<Ingestion, { kind: 'record' }>,
  deps: IngestionDependencies,
): Promise<RecordedIngestion> {
  let changed = false;
  const last = ingestion.observations.at(-1);
  for (const observation of ingestion.observations) {
    const written = await deps.history.recordObservation(observation);
    changed ||= written.changed;
    const repair = !changed && observation === last;
    if (observation.kind === 'action' || !(written.changed || repair)) continue;
    const { previous, record } = await deps.history.executionAround(observation, written.previousItem);
    const scope = { account: observation.account ?? '', region: observation.region ?? '' };
    if (record) await deps.onExecutionChanged(scope)({ previous, record, changed: written.changed });
  }
  return { pipeline: ingestion.pipeline, executionId: ingestion.executionId, changed };
}
