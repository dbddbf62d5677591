import { describe, expect, it } from 'vitest';
import type { DeploymentReport } from '../../../functions/history/domain/api-reads';
import { MAX_TEXT_LENGTH } from '../../../functions/history/domain/execution-record';
import {
  mapDeploymentStatus,
  observeDeploymentInfo,
  observeDeploymentRollback,
} from '../../../functions/history/domain/observe-api-deployment';
import type { PipelineLink } from '../../../functions/history/domain/run-record';

// A BatchGetDeployments deploymentInfo; times with milliseconds, as the API gives them.
const info: DeploymentReport = {
  deploymentId: 'd-7ABCDEF12',
  applicationName: 'web-app',
  deploymentGroupName: 'production',
  status: 'Succeeded',
  createTime: new Date('2026-11-24T10:00:00.400Z'),
  startTime: new Date('2026-11-24T10:00:02.600Z'),
  completeTime: new Date('2026-11-24T10:04:00.731Z'),
};
const CREATED_AT = '2026-11-24T10:00:00.000Z';
const STARTED_AT = '2026-11-24T10:00:02.000Z';
const COMPLETED_AT = '2026-11-24T10:04:00.000Z';
const REGION = 'eu-west-1';

const observation = (status: string, at: string) => ({
  kind: 'deployment',
  runId: 'd-7ABCDEF12',
  at,
  status: { status, statusAt: at, attempt: 1 },
  attributes: { application: 'web-app', deploymentGroup: 'production', region: REGION },
});

// The statuses CodeDeploy lists are mapped in tests/unit/history/reconcile-history/observe-api.test.ts.
describe('mapDeploymentStatus, for what CodeDeploy does not list', () => {
  it.each([undefined, '', 'SomethingNew', 'succeeded', 'constructor', 'toString', '__proto__'])(
    '%j maps to no state',
    (status) => expect(mapDeploymentStatus(status)).toBeUndefined(),
  );
});

describe('observeDeploymentInfo: exact observations', () => {
  it.each([
    ['Created', 'START', STARTED_AT],
    ['Queued', 'START', STARTED_AT],
    ['InProgress', 'START', STARTED_AT],
    ['Baking', 'START', STARTED_AT],
    ['Ready', 'READY', STARTED_AT],
    ['Succeeded', 'SUCCESS', COMPLETED_AT],
    ['Failed', 'FAILURE', COMPLETED_AT],
    ['Stopped', 'STOP', COMPLETED_AT],
  ])('a deployment %s is a %s at %s (its completion once ended, else its start)', (status, state, at) => {
    expect(observeDeploymentInfo({ ...info, status }, REGION)).toEqual(observation(state, at));
  });

  it('dates a deployment not yet started at its creation', () => {
    expect(observeDeploymentInfo({ ...info, status: 'Created', startTime: undefined }, REGION)).toEqual(
      observation('START', CREATED_AT),
    );
  });

  it('needs no completion time while the deployment runs, and no start or creation once it ended', () => {
    expect(observeDeploymentInfo({ ...info, status: 'InProgress', completeTime: undefined }, REGION)).toEqual(
      observation('START', STARTED_AT),
    );
    expect(observeDeploymentInfo({ ...info, createTime: undefined, startTime: undefined }, REGION)).toEqual(
      observation('SUCCESS', COMPLETED_AT),
    );
  });

  it.each<[string, DeploymentReport]>([
    ['an unknown status', { ...info, status: 'SomethingNew' }],
    ['no status', { ...info, status: undefined }],
    ['no id', { ...info, deploymentId: undefined }],
    ['an empty id', { ...info, deploymentId: '' }],
    ['no application', { ...info, applicationName: undefined }],
    ['an empty application', { ...info, applicationName: '' }],
    ['no deployment group', { ...info, deploymentGroupName: undefined }],
    ['an empty deployment group', { ...info, deploymentGroupName: '' }],
    ['an ended deployment without a completion time', { ...info, completeTime: undefined }],
    [
      'a running deployment without a start or creation time',
      { ...info, status: 'InProgress', startTime: undefined, createTime: undefined },
    ],
  ])('observes nothing for %s', (_name, report) => {
    expect(observeDeploymentInfo(report, REGION)).toBeUndefined();
  });
});

describe('observeDeploymentRollback: exact observations', () => {
  const AT = '2026-11-24T10:06:00.000Z';
  const link: PipelineLink = {
    pipeline: 'web-app',
    executionId: '7f2c1d0e-5b1a-4c9e-9d2f-0a1b2c3d4e5f',
    stage: 'Deploy',
    action: 'Deploy',
  };
  const failed: DeploymentReport = { ...info, status: 'Failed' };
  const rollback = (runId: string, link: Record<string, unknown>) => ({
    kind: 'deployment',
    runId,
    at: AT,
    rollback: link,
  });
  const MESSAGE = 'Automatic rollback triggered by alarm web-app-5xx';

  it('tells the rolled-back deployment its rollback, and the rollback what it rolled back and for which execution', () => {
    const rolledBack = {
      ...failed,
      rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK01', rollbackMessage: MESSAGE },
    };
    expect(observeDeploymentRollback(rolledBack, AT, link)).toEqual([
      rollback('d-7ABCDEF12', { rolledBackBy: 'd-ROLLBACK01', message: MESSAGE }),
      rollback('d-ROLLBACK01', {
        rollsBack: 'd-7ABCDEF12',
        execution: { pipeline: 'web-app', executionId: '7f2c1d0e-5b1a-4c9e-9d2f-0a1b2c3d4e5f' },
        message: MESSAGE,
      }),
    ]);
  });

  it('leaves out the execution when the rolled-back deployment has no pipeline link, and an empty message', () => {
    const rolledBack = {
      ...failed,
      rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK01', rollbackMessage: '' },
    };
    expect(observeDeploymentRollback(rolledBack, AT, undefined)).toEqual([
      rollback('d-7ABCDEF12', { rolledBackBy: 'd-ROLLBACK01' }),
      rollback('d-ROLLBACK01', { rollsBack: 'd-7ABCDEF12' }),
    ]);
  });

  it('tells a rollback deployment the deployment that triggered it, and only that', () => {
    const theRollback = {
      ...info,
      deploymentId: 'd-ROLLBACK01',
      rollbackInfo: { rollbackTriggeringDeploymentId: 'd-7ABCDEF12', rollbackMessage: MESSAGE },
    };
    expect(observeDeploymentRollback(theRollback, AT, link)).toEqual([
      rollback('d-ROLLBACK01', { rollsBack: 'd-7ABCDEF12', message: MESSAGE }),
    ]);
    const { rollbackMessage: _, ...withoutMessage } = theRollback.rollbackInfo;
    expect(observeDeploymentRollback({ ...theRollback, rollbackInfo: withoutMessage }, AT, link)).toEqual([
      rollback('d-ROLLBACK01', { rollsBack: 'd-7ABCDEF12' }),
    ]);
  });

  it('clips a long rollback message', () => {
    const long = {
      ...failed,
      rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK01', rollbackMessage: 'm'.repeat(600) },
    };
    const clipped = `${'m'.repeat(MAX_TEXT_LENGTH - 1)}…`;
    expect(observeDeploymentRollback(long, AT, undefined)).toEqual([
      rollback('d-7ABCDEF12', { rolledBackBy: 'd-ROLLBACK01', message: clipped }),
      rollback('d-ROLLBACK01', { rollsBack: 'd-7ABCDEF12', message: clipped }),
    ]);
  });

  it.each([
    ['Failed', [rollback('d-7ABCDEF12', {})]],
    ['Stopped', [rollback('d-7ABCDEF12', {})]],
    ['Succeeded', []],
    ['InProgress', []],
    ['Ready', []],
    [undefined, []],
  ])(
    'without rollbackInfo, a deployment %s observes %j (only an ended failure can have been rolled back)',
    (status, expected) => {
      expect(observeDeploymentRollback({ ...info, status }, AT, link)).toEqual(expected);
      expect(observeDeploymentRollback({ ...info, status, rollbackInfo: {} }, AT, link)).toEqual(expected);
    },
  );

  it('observes nothing for a deployment without an id', () => {
    const rolledBack = {
      ...failed,
      deploymentId: undefined,
      rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK01' },
    };
    expect(observeDeploymentRollback(rolledBack, AT, link)).toEqual([]);
    expect(observeDeploymentRollback({ ...failed, deploymentId: '' }, AT, link)).toEqual([]);
  });
});
