import { describe, expect, it } from 'vitest';
import { type CiEvent, ciEvent } from '../../../functions/ci-ingest/domain/ci-event';
import { observeCiEvent } from '../../../functions/ci-ingest/domain/observe-ci-event';
import { CI_PRODUCTION_STAGE } from '../../../functions/events/ci-pipelines';
import { readEvent } from '../../support/events';

/** Exact observations for each generic CI event type (docs/mutation-testing.md). */

const policy = { environments: ['production'], pipelines: [] };
const P = CI_PRODUCTION_STAGE;
const at = '2026-11-30T11:20:00.000Z';
const scope = { account: 'ci', region: 'gitlab', pipeline: 'ci:gitlab/storefront', executionId: '9051', at };

/** The failed.json sample without its commit, changed and parsed as the endpoint does. */
function event(change: Record<string, unknown>): CiEvent {
  const { commit: _commit, environment: _environment, ...rest } = readEvent('generic-ci/failed.json');
  return ciEvent.parse({ ...rest, ...change });
}

function observed(change: Record<string, unknown>) {
  const ingestion = observeCiEvent(event(change), policy);
  if (ingestion.kind !== 'record') throw new Error('expected a record');
  expect(ingestion).toMatchObject({ pipeline: 'ci:gitlab/storefront', executionId: '9051' });
  return ingestion.observations;
}

const status = (state: string, attempt = 1) => ({ status: state, statusAt: at, attempt });
const stage = (name: string, state: string, attempt = 1) => ({
  ...scope,
  kind: 'stage',
  stage: name,
  status: status(state, attempt),
});
const action = (name: string, state: string) => ({
  ...scope,
  kind: 'action',
  stage: name,
  action: name,
  record: status(state),
});
const pipeline = (state: string) => ({ ...scope, kind: 'pipeline', status: status(state) });

describe('observeCiEvent, exactly', () => {
  it('starts the run at the event, with the run started then', () => {
    expect(observed({ type: 'run.started', attempt: 2 })).toEqual([
      { ...scope, startTime: at, kind: 'pipeline', status: status('STARTED', 2) },
    ]);
  });

  it.each([
    ['succeeded', 'SUCCEEDED'],
    ['failed', 'FAILED'],
    ['canceled', 'CANCELED'],
  ])('records a stage that finished %s as %s', (result, state) => {
    const ran = state !== 'CANCELED';
    expect(observed({ type: 'stage.finished', stage: 'Test', result })).toEqual([
      stage('Test', state),
      ...(ran ? [action('Test', state)] : []),
    ]);
  });

  it.each([
    ['succeeded', 'SUCCEEDED'],
    ['failed', 'FAILED'],
    ['canceled', 'CANCELED'],
  ])('records a run that finished %s as %s', (result, state) => {
    expect(observed({ type: 'run.finished', result })).toEqual([pipeline(state)]);
  });

  it('records a deployment as a succeeded stage only, never a failure or a run status', () => {
    expect(observed({ type: 'deployed', environment: 'production' })).toEqual([
      stage(P, 'SUCCEEDED'),
      action(P, 'SUCCEEDED'),
    ]);
    expect(observed({ type: 'deployed', environment: 'qa' })).toEqual([
      stage('deploy qa', 'SUCCEEDED'),
      action('deploy qa', 'SUCCEEDED'),
    ]);
  });

  it('records a failure nowhere in particular as the run failing only', () => {
    expect(observed({ type: 'failed' })).toEqual([pipeline('FAILED')]);
  });

  it('records a failure in a stage as that stage and the run failing', () => {
    expect(observed({ type: 'failed', stage: 'Build' })).toEqual([
      stage('Build', 'FAILED'),
      action('Build', 'FAILED'),
      pipeline('FAILED'),
    ]);
  });

  it('records a failed deployment as its environment stage and the run failing', () => {
    expect(observed({ type: 'failed', environment: 'production' })).toEqual([
      stage(P, 'FAILED'),
      action(P, 'FAILED'),
      pipeline('FAILED'),
    ]);
    expect(observed({ type: 'failed', environment: 'qa', stage: 'Smoke' })).toEqual([
      stage('deploy qa', 'FAILED'),
      action('deploy qa', 'FAILED'),
      stage('Smoke', 'FAILED'),
      action('Smoke', 'FAILED'),
      pipeline('FAILED'),
    ]);
  });
});
