import type { Ingestion } from './domain/ci-observations';
import type { ExecutionHistory } from './ports';

export interface IngestionDependencies {
  history: ExecutionHistory;
}

export interface RecordedIngestion {
  pipeline: string;
  executionId: string;
  changed: boolean;
}

/**
 * Writes an ingestion's observations through the history's own merge, one after another, as the recorder
 * does. A delivery sent again changes nothing. The delivery metrics and DORA facts follow each change from the
 * table's stream (record-delivery-changes), as they do for the recorder's.
 */
export async function recordIngestion(
  ingestion: Extract<Ingestion, { kind: 'record' }>,
  deps: IngestionDependencies,
): Promise<RecordedIngestion> {
  let changed = false;
  for (const observation of ingestion.observations) {
    const written = await deps.history.recordObservation(observation);
    changed ||= written.changed;
  }
  return { pipeline: ingestion.pipeline, executionId: ingestion.executionId, changed };
}
