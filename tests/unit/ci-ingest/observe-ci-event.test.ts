import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CiEvent, ciEvent } from '../../../functions/ci-ingest/domain/ci-event';
import { observeCiEvent } from '../../../functions/ci-ingest/domain/observe-ci-event';
import { CI_PRODUCTION_STAGE } from '../../../functions/events/ci-pipelines';
import { mergeAll } from '../../../functions/history/domain/merge-execution';
import { canonicalJson } from '../../../functions/history/domain/status-register';
import { readEvent } from '../../support/events';

const policy = { environments: ['production'], pipelines: [] };
const sample = (file: string) => ciEvent.parse(readEvent(`generic-ci/${file}`));
const jenkinsRun = [
  'run.started.json',
  'stage.finished.json',
  'deployed.production.json',
  'run.finished.json',
];

describe('observeCiEvent (the generic CI shape)', () => {
  it('records a Jenkins run as an execution of ci:jenkins/payments-deploy with its production deployment', () => {
    const observations = jenkinsRun.flatMap((file) => {
      const ingestion = observeCiEvent(sample(file), policy);
      return ingestion.kind === 'record' ? ingestion.observations : [];
    });
    expect(observations.every((o) => o.account === 'ci' && o.region === 'jenkins')).toBe(true);
    const record = mergeAll(observations);
    expect(record).toMatchObject({
      pipeline: 'ci:jenkins/payments-deploy',
      executionId: '412',
      startTime: '2026-11-30T10:00:00.000Z',
      status: { status: 'SUCCEEDED', statusAt: '2026-11-30T10:13:00.000Z' },
      sourceRevisions: [
        { revisionId: '5c1e0f9a2b3d4e5f60718293a4b5c6d7e8f90123', createdAt: '2026-11-30T09:41:07.000Z' },
      ],
    });
    expect(Object.keys(record?.stages ?? {}).sort()).toEqual(['Test', CI_PRODUCTION_STAGE]);
  });

  it('ends the same whatever order and how often the events arrive', () => {
    const observationsOf = (event: CiEvent) => {
      const ingestion = observeCiEvent(event, policy);
      return ingestion.kind === 'record' ? ingestion.observations : [];
    };
    const events = jenkinsRun.map(sample);
    const expected = canonicalJson(mergeAll(events.flatMap(observationsOf)));
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...events, ...events], { minLength: 8, maxLength: 8 }),
        (delivered) => canonicalJson(mergeAll(delivered.flatMap(observationsOf))) === expected,
      ),
    );
  });

  it('records a failed deployment as a failure of the production stage and of the run', () => {
    const ingestion = observeCiEvent(sample('failed.json'), policy);
    if (ingestion.kind !== 'record') throw new Error('expected a record');
    const record = mergeAll(ingestion.observations);
    expect(record?.status?.status).toBe('FAILED');
    expect(record?.stages[CI_PRODUCTION_STAGE]?.firstFailedAt).toBe('2026-11-30T11:20:00.000Z');
  });

  it('shows other environments as their own stage, never counted as production', () => {
    const staging = { ...sample('deployed.production.json'), environment: 'staging' };
    const ingestion = observeCiEvent(staging as CiEvent, policy);
    if (ingestion.kind !== 'record') throw new Error('expected a record');
    expect(Object.keys(mergeAll(ingestion.observations)?.stages ?? {})).toEqual(['deploy staging']);
  });

  it.each([
    [{ type: 'deployed' }, /environment/],
    [{ type: 'stage.finished', stage: 'Build', result: 'maybe' }, /result/],
    [{ type: 'run.started', system: 'Jenkins CI' }, /system/],
    [{ type: 'run.started', time: 'yesterday' }, /time/],
    [{ type: 'run.started', colour: 'blue' }, /colour/],
    [{ type: 'rocket.launched' }, /type/],
  ])('refuses %o, naming the field', (change, reason) => {
    const parsed = ciEvent.safeParse({
      ...readEvent<Record<string, unknown>>('generic-ci/run.finished.json'),
      result: undefined,
      ...(change as Record<string, unknown>),
    });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(reason);
  });
});
