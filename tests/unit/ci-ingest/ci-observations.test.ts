import { describe, expect, it } from 'vitest';
import {
  type CiExecution,
  ownStageName,
  runObservations,
} from '../../../functions/ci-ingest/domain/ci-observations';
import { CI_PRODUCTION_STAGE } from '../../../functions/events/ci-pipelines';

const execution: CiExecution = {
  account: 'ci',
  region: 'jenkins',
  pipeline: 'ci:jenkins/shop',
  executionId: '42',
  attempt: 1,
};
const at = '2026-11-20T10:00:00.000Z';
const deploysShop = { environments: [], pipelines: ['ci:jenkins/shop'] };

describe('runObservations', () => {
  it.each(['SUCCEEDED', 'FAILED', 'CANCELED'] as const)(
    'a run of a pipeline that deploys by succeeding ends its production stage too: %s',
    (state) => {
      const observations = runObservations(execution, state, at, deploysShop);
      expect(observations.map((o) => [o.kind, 'stage' in o ? o.stage : undefined])).toEqual([
        ['pipeline', undefined],
        ['stage', CI_PRODUCTION_STAGE],
        ...(state === 'CANCELED' ? [] : [['action', CI_PRODUCTION_STAGE]]),
      ]);
      expect(observations[0]).toMatchObject({
        account: 'ci',
        region: 'jenkins',
        pipeline: 'ci:jenkins/shop',
        executionId: '42',
        at,
        status: { status: state, statusAt: at, attempt: 1 },
      });
    },
  );

  it('a run still going, or of a pipeline the policy does not name, records only its own status', () => {
    expect(runObservations(execution, 'STARTED', at, deploysShop).map((o) => o.kind)).toEqual(['pipeline']);
    expect(
      runObservations(execution, 'SUCCEEDED', at, { environments: [], pipelines: ['ci:jenkins/other'] }).map(
        (o) => o.kind,
      ),
    ).toEqual(['pipeline']);
  });
});

describe('ownStageName', () => {
  it.each([
    ['production deployment', 'production deployment (job)'],
    ['Production Deployment ', 'Production Deployment  (job)'],
    ['deploy', 'deploy'],
  ])(
    'records a job or stage named %j as %j: only the policy names the production stage',
    (name, recorded) => {
      expect(ownStageName(name)).toBe(recorded);
    },
  );
});
