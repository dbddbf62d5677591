import { describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../../../functions/history/domain/execution-record';
import { mergeAll } from '../../../functions/history/domain/merge-execution';
import { observationsOf } from '../../../functions/history/domain/record-observations';

const STARTED_AT = '2026-11-20T10:00:00.000Z';
const FIRST_EVENT_AT = '2026-11-20T10:00:01.000Z';
const SOURCE_DONE_AT = '2026-11-20T10:01:00.000Z';
const FAILED_AT = '2026-11-20T10:03:00.000Z';
const RETRIED_AT = '2026-11-20T10:04:00.000Z';
const ENDED_AT = '2026-11-20T10:06:00.000Z';
const LAST_EVENT_AT = '2026-11-20T10:07:00.000Z';

const SOURCE_ACTION = {
  status: 'SUCCEEDED' as const,
  statusAt: SOURCE_DONE_AT,
  attempt: 1,
  provider: 'CodeStarSourceConnection',
  category: 'Source',
};
const DEPLOY_ACTION = {
  status: 'SUCCEEDED' as const,
  statusAt: ENDED_AT,
  attempt: 2,
  provider: 'CodeDeploy',
  externalExecutionId: 'd-DEPLOY',
};
const BUILD_ACTION = {
  status: 'SUCCEEDED' as const,
  statusAt: SOURCE_DONE_AT,
  attempt: 1,
  provider: 'CodeBuild',
  externalExecutionId: 'shop:build-1',
};

/** Every field a record can hold; the Prod stage failed once and succeeded on its retry. */
const RECORD: ExecutionRecord = {
  pipeline: 'shop',
  executionId: 'exec-1',
  status: { status: 'SUCCEEDED', statusAt: ENDED_AT, attempt: 2 },
  startTime: STARTED_AT,
  firstEventAt: FIRST_EVENT_AT,
  endTime: ENDED_AT,
  pipelineVersion: 3,
  trigger: { type: 'Webhook', commitId: 'abc123', author: 'dev' },
  executionType: 'STANDARD',
  rollbackTargetExecutionId: 'exec-0',
  sourceRevisions: [{ actionName: 'Source', revisionId: 'abc123', createdAt: STARTED_AT }],
  variables: [{ name: 'ENV', value: 'prod' }],
  stopComments: 'none',
  stages: {
    Source: {
      status: { status: 'SUCCEEDED', statusAt: SOURCE_DONE_AT, attempt: 1 },
      actions: { Source: SOURCE_ACTION, Build: BUILD_ACTION },
    },
    Prod: {
      status: { status: 'SUCCEEDED', statusAt: ENDED_AT, attempt: 2 },
      lastRetryAt: RETRIED_AT,
      firstFailedAt: FAILED_AT,
      actions: { Deploy: DEPLOY_ACTION },
    },
  },
  deploymentIds: ['d-DEPLOY'],
  buildIds: ['shop:build-1'],
  lastEventAt: LAST_EVENT_AT,
};

const BASE = { pipeline: 'shop', executionId: 'exec-1', startTime: STARTED_AT, pipelineVersion: 3 };

describe('observationsOf', () => {
  it('writes a whole record as its exact observations, in a fixed order', () => {
    expect(observationsOf(RECORD)).toEqual([
      {
        ...BASE,
        kind: 'details',
        at: FIRST_EVENT_AT,
        sourceRevisions: RECORD.sourceRevisions,
        trigger: RECORD.trigger,
        executionType: 'STANDARD',
        rollbackTargetExecutionId: 'exec-0',
        variables: RECORD.variables,
        stopComments: 'none',
        deploymentIds: ['d-DEPLOY'],
        buildIds: ['shop:build-1'],
      },
      { ...BASE, kind: 'details', at: LAST_EVENT_AT },
      { ...BASE, kind: 'pipeline', at: ENDED_AT, status: RECORD.status },
      {
        ...BASE,
        kind: 'stage',
        stage: 'Source',
        at: SOURCE_DONE_AT,
        status: { status: 'SUCCEEDED', statusAt: SOURCE_DONE_AT, attempt: 1 },
      },
      {
        ...BASE,
        kind: 'action',
        stage: 'Source',
        action: 'Source',
        at: SOURCE_DONE_AT,
        record: SOURCE_ACTION,
      },
      { ...BASE, kind: 'action', stage: 'Source', action: 'Build', at: SOURCE_DONE_AT, record: BUILD_ACTION },
      {
        ...BASE,
        kind: 'stage',
        stage: 'Prod',
        at: ENDED_AT,
        status: { status: 'SUCCEEDED', statusAt: ENDED_AT, attempt: 2 },
        lastRetryAt: RETRIED_AT,
      },
      {
        ...BASE,
        kind: 'stage',
        stage: 'Prod',
        at: FAILED_AT,
        status: { status: 'FAILED', statusAt: FAILED_AT, attempt: 0 },
      },
      { ...BASE, kind: 'action', stage: 'Prod', action: 'Deploy', at: ENDED_AT, record: DEPLOY_ACTION },
    ]);
  });

  it('merges back into the same record', () => {
    expect(mergeAll(observationsOf(RECORD))).toEqual(RECORD);
  });

  it('merges back a record with nothing but its times and an empty stage', () => {
    const bare: ExecutionRecord = {
      pipeline: 'shop',
      executionId: 'exec-2',
      firstEventAt: FIRST_EVENT_AT,
      lastEventAt: LAST_EVENT_AT,
      stages: { Build: { actions: {} } },
    };
    expect(observationsOf(bare)).toEqual([
      { pipeline: 'shop', executionId: 'exec-2', kind: 'details', at: FIRST_EVENT_AT },
      { pipeline: 'shop', executionId: 'exec-2', kind: 'details', at: LAST_EVENT_AT },
    ]);
    // The stage without a status brings no observation, so it is not rebuilt.
    expect(mergeAll(observationsOf(bare))).toEqual({ ...bare, stages: {} });
  });

  it('a stage that failed and was never retried: its status and its first failure', () => {
    const failed: ExecutionRecord = {
      ...RECORD,
      status: { status: 'FAILED', statusAt: FAILED_AT, attempt: 1 },
      endTime: FAILED_AT,
      stages: {
        Prod: {
          status: { status: 'FAILED', statusAt: FAILED_AT, attempt: 1 },
          firstFailedAt: FAILED_AT,
          actions: {},
        },
      },
      deploymentIds: undefined,
      buildIds: undefined,
    };
    const stageObservations = observationsOf(failed).filter((observation) => observation.kind === 'stage');
    expect(stageObservations).toEqual([
      {
        ...BASE,
        kind: 'stage',
        stage: 'Prod',
        at: FAILED_AT,
        status: { status: 'FAILED', statusAt: FAILED_AT, attempt: 1 },
      },
      {
        ...BASE,
        kind: 'stage',
        stage: 'Prod',
        at: FAILED_AT,
        status: { status: 'FAILED', statusAt: FAILED_AT, attempt: 0 },
      },
    ]);
    const { deploymentIds: _deploymentIds, buildIds: _buildIds, ...rebuilt } = failed;
    expect(mergeAll(observationsOf(failed))).toEqual(rebuilt);
  });

  it.each([
    ['account and region', { account: '111122223333', region: 'eu-west-1' }, true],
    ['an account without a region', { account: '111122223333' }, false],
    ['a region without an account', { region: 'eu-west-1' }, false],
  ])('with %s: every observation names the place only when it has both', (_case, place, named) => {
    const observations = observationsOf({ ...RECORD, ...place });
    expect(observations).toHaveLength(9);
    for (const observation of observations) {
      expect(Object.hasOwn(observation, 'account')).toBe(named);
      expect(Object.hasOwn(observation, 'region')).toBe(named);
      if (named) expect([observation.account, observation.region]).toEqual(['111122223333', 'eu-west-1']);
    }
  });
});
