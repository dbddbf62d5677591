import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { describe, expect, it } from 'vitest';
import { type ExecutionRecord, MAX_TEXT_LENGTH } from '../../../../functions/history/domain/execution-record';
import { mergeAll } from '../../../../functions/history/domain/merge-execution';
import { observeBuildInfo } from '../../../../functions/history/domain/observe-api-build';
import {
  mapDeploymentStatus,
  observeDeploymentInfo,
} from '../../../../functions/history/domain/observe-api-deployment';
import {
  inferStageObservations,
  mapActionStatus,
  mapPipelineStatus,
  observeActionExecution,
  observeApiRead,
  observedAttempt,
  observeExecutionSummary,
} from '../../../../functions/history/domain/observe-api-execution';
import {
  EXECUTION_ID,
  finalActionDetails,
  finalSummary,
  PIPELINE,
} from '../../../support/reconcile-scenario';

describe('API status → event state', () => {
  it.each([
    ['InProgress', 'STARTED'],
    ['Succeeded', 'SUCCEEDED'],
    ['Failed', 'FAILED'],
    ['Stopped', 'STOPPED'],
    ['Stopping', 'STOPPING'],
    ['Cancelled', 'CANCELED'],
    ['Superseded', 'SUPERSEDED'],
    ['SomethingNew', undefined],
  ])('maps pipeline %s to %s', (api, state) => expect(mapPipelineStatus(api)).toBe(state));

  it.each([
    ['InProgress', 'STARTED'],
    ['Abandoned', 'ABANDONED'],
    ['Succeeded', 'SUCCEEDED'],
    ['Failed', 'FAILED'],
  ])('maps action %s to %s', (api, state) => expect(mapActionStatus(api)).toBe(state));

  it.each([
    ['Created', 'START'],
    ['Queued', 'START'],
    ['InProgress', 'START'],
    ['Baking', 'START'],
    ['Ready', 'READY'],
    ['Succeeded', 'SUCCESS'],
    ['Failed', 'FAILURE'],
    ['Stopped', 'STOP'],
  ])('maps deployment %s to %s', (api, state) => expect(mapDeploymentStatus(api)).toBe(state));
});

describe('observedAttempt', () => {
  const record = (attempts: { pipeline?: number; stage?: number; action?: number }): ExecutionRecord => ({
    pipeline: PIPELINE,
    executionId: EXECUTION_ID,
    firstEventAt: '2026-11-24T10:00:00.000Z',
    lastEventAt: '2026-11-24T10:00:00.000Z',
    status: attempts.pipeline
      ? { status: 'STARTED', statusAt: '2026-11-24T10:00:00.000Z', attempt: attempts.pipeline }
      : undefined,
    stages: {
      Deploy: {
        status: attempts.stage
          ? { status: 'RESUMED', statusAt: '2026-11-24T10:05:00.000Z', attempt: attempts.stage }
          : undefined,
        actions: attempts.action
          ? { Deploy: { status: 'STARTED', statusAt: '2026-11-24T10:05:00.000Z', attempt: attempts.action } }
          : {},
      },
    },
  });

  it.each([
    ['no record', undefined, 1],
    ['a first-attempt record', record({ pipeline: 1 }), 1],
    ['a retried stage whose pipeline RESUMED was lost', record({ pipeline: 1, stage: 2 }), 2],
    ['an action of a later attempt', record({ action: 3 }), 3],
  ])('labels a read of %s with the highest attempt seen', (_name, input, expected) => {
    expect(observedAttempt(input)).toBe(expected);
  });
});

describe('observeExecutionSummary', () => {
  it('says the execution started at startTime (attempt 1) and was in its status at lastUpdateTime', () => {
    expect(observeExecutionSummary(PIPELINE, finalSummary, 2)).toEqual([
      {
        kind: 'pipeline',
        pipeline: PIPELINE,
        executionId: EXECUTION_ID,
        at: '2026-11-24T10:00:00.000Z',
        startTime: '2026-11-24T10:00:00.000Z',
        status: { status: 'STARTED', statusAt: '2026-11-24T10:00:00.000Z', attempt: 1 },
        trigger: { type: 'StartPipelineExecution', detail: finalSummary.trigger?.triggerDetail },
      },
      expect.objectContaining({
        at: '2026-11-24T10:02:01.000Z',
        status: { status: 'SUCCEEDED', statusAt: '2026-11-24T10:02:01.000Z', attempt: 2 },
      }),
    ]);
  });

  it('ignores a summary without an id, a start time or a known status', () => {
    expect(observeExecutionSummary(PIPELINE, { ...finalSummary, status: undefined }, 1)).toEqual([]);
    expect(observeExecutionSummary(PIPELINE, { ...finalSummary, startTime: undefined }, 1)).toEqual([]);
  });
});

describe('API reads against events of the same second', () => {
  const P = 'p';
  const E = 'e';
  const started = {
    kind: 'pipeline' as const,
    pipeline: P,
    executionId: E,
    at: '2026-11-20T10:00:00.000Z',
    startTime: '2026-11-20T09:59:59.100Z',
    status: { status: 'STARTED' as const, statusAt: '2026-11-20T10:00:00.000Z', attempt: 1 },
  };
  // SUCCEEDED happened at 10:12:41.900; EventBridge stamps 10:12:41Z. A read just before it: InProgress.
  const succeeded = {
    ...started,
    at: '2026-11-20T10:12:41.000Z',
    status: { status: 'SUCCEEDED' as const, statusAt: '2026-11-20T10:12:41.000Z', attempt: 1 },
  };
  const inProgress = {
    pipelineExecutionId: E,
    status: 'InProgress' as const,
    startTime: new Date('2026-11-20T09:59:59.100Z'),
    lastUpdateTime: new Date('2026-11-20T10:12:41.400Z'),
  };

  it('an in-progress read (milliseconds) does not re-open an execution ended by an event in that second', () => {
    const recorded = mergeAll([started, succeeded]);
    const after = mergeAll(observeApiRead(P, inProgress, [], recorded), recorded);
    expect(after?.status).toEqual(succeeded.status);
    expect(after?.endTime).toBe('2026-11-20T10:12:41.000Z');
  });

  it('nor does an in-progress action read undo the SUCCEEDED action event of the same second', () => {
    const action = {
      kind: 'action' as const,
      pipeline: P,
      executionId: E,
      at: '2026-11-20T10:05:07.000Z',
      stage: 'Build',
      action: 'Compile',
      record: { status: 'SUCCEEDED' as const, statusAt: '2026-11-20T10:05:07.000Z', attempt: 1 },
    };
    const recorded = mergeAll([started, action]);
    const read = observeApiRead(
      P,
      inProgress,
      [
        {
          pipelineExecutionId: E,
          stageName: 'Build',
          actionName: 'Compile',
          status: 'InProgress',
          startTime: new Date('2026-11-20T10:01:00.000Z'),
          lastUpdateTime: new Date('2026-11-20T10:05:07.300Z'),
        },
      ],
      recorded,
    );
    expect(mergeAll(read, recorded)?.stages.Build?.actions.Compile?.status).toBe('SUCCEEDED');
  });
});

describe('observeActionExecution', () => {
  it('carries the execution result of a finished action, as the action event does', () => {
    const deploy = finalActionDetails[0];
    expect(deploy && observeActionExecution(PIPELINE, deploy, 1)).toMatchObject({
      kind: 'action',
      stage: 'Deploy',
      action: 'Deploy',
      at: '2026-11-24T10:02:00.000Z',
      pipelineVersion: 3,
      record: {
        status: 'SUCCEEDED',
        statusAt: '2026-11-24T10:02:00.000Z',
        attempt: 1,
        actionExecutionId: 'a-dep-1',
        provider: 'CodeDeploy',
        category: 'Deploy',
        owner: 'AWS',
        region: 'eu-west-1',
        externalExecutionId: 'd-7ABCDEF12',
      },
    });
  });

  it('leaves the execution result out while the action is in progress', () => {
    const deploy = finalActionDetails[0];
    const observation = deploy && observeActionExecution(PIPELINE, { ...deploy, status: 'InProgress' }, 1);
    expect(observation?.record.status).toBe('STARTED');
    expect(observation?.record.externalExecutionId).toBeUndefined();
  });

  it('clips a long execution summary as the action event observation does', () => {
    const deploy = finalActionDetails[0];
    const long = {
      ...deploy,
      output: { executionResult: { externalExecutionSummary: 's'.repeat(2048) } },
    };
    const summary = deploy && observeActionExecution(PIPELINE, long, 1)?.record.summary;
    expect(summary).toHaveLength(MAX_TEXT_LENGTH);
  });
});

describe('inferStageObservations', () => {
  const actions = finalActionDetails.map((detail) => observeActionExecution(PIPELINE, detail, 1));
  const defined = actions.filter((action) => action !== undefined);

  it('ends each stage with its last action once the execution is terminal', () => {
    expect(inferStageObservations(PIPELINE, EXECUTION_ID, defined, true, 1)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          stage: 'Deploy',
          status: { status: 'SUCCEEDED', statusAt: '2026-11-24T10:02:00.000Z', attempt: 1 },
        }),
        expect.objectContaining({
          stage: 'Source',
          status: { status: 'SUCCEEDED', statusAt: '2026-11-24T10:00:05.000Z', attempt: 1 },
        }),
      ]),
    );
  });

  it('infers nothing while the execution runs (a later run order may not have started)', () => {
    expect(inferStageObservations(PIPELINE, EXECUTION_ID, defined, false, 1)).toEqual([]);
  });

  it('fails a stage whose latest action failed; a retried one passes but keeps its earlier failure', () => {
    const deploy = defined.find((action) => action.stage === 'Deploy');
    if (!deploy) throw new Error('scenario has a Deploy action');
    const failed = {
      ...deploy,
      at: '2026-11-24T09:59:00.000Z',
      record: { ...deploy.record, status: 'FAILED' as const, statusAt: '2026-11-24T09:59:00.000Z' },
    };
    const retried = inferStageObservations(PIPELINE, EXECUTION_ID, [failed, deploy], true, 2);
    expect(retried.map((stage) => [stage.status.status, stage.at])).toEqual([
      ['FAILED', '2026-11-24T09:59:00.000Z'],
      ['SUCCEEDED', deploy.at],
    ]);
    const onlyFailed = inferStageObservations(PIPELINE, EXECUTION_ID, [failed], true, 1);
    expect(onlyFailed[0]?.status.status).toBe('FAILED');
  });
});

describe('observeDeploymentInfo', () => {
  const info: DeploymentInfo = {
    deploymentId: 'd-1',
    applicationName: 'web-app',
    deploymentGroupName: 'production',
    status: 'Failed',
    createTime: new Date('2026-11-24T10:00:00.000Z'),
    startTime: new Date('2026-11-24T10:00:02.000Z'),
    completeTime: new Date('2026-11-24T10:04:00.000Z'),
  };

  it('dates a finished deployment at its completeTime', () => {
    expect(observeDeploymentInfo(info, 'eu-west-1')).toEqual({
      kind: 'deployment',
      runId: 'd-1',
      at: '2026-11-24T10:04:00.000Z',
      status: { status: 'FAILURE', statusAt: '2026-11-24T10:04:00.000Z', attempt: 1 },
      attributes: { application: 'web-app', deploymentGroup: 'production', region: 'eu-west-1' },
    });
  });

  it('dates a deployment in whole seconds, as execution times from the API are', () => {
    const finished = { ...info, completeTime: new Date('2026-11-24T10:04:00.731Z') };
    expect(observeDeploymentInfo(finished, 'eu-west-1')).toMatchObject({
      at: '2026-11-24T10:04:00.000Z',
      status: { statusAt: '2026-11-24T10:04:00.000Z' },
    });
  });

  it('dates a deployment in progress at its start', () => {
    expect(
      observeDeploymentInfo({ ...info, status: 'InProgress', completeTime: undefined }, 'eu-west-1'),
    ).toMatchObject({
      status: { status: 'START', statusAt: '2026-11-24T10:00:02.000Z' },
    });
  });
});

describe('observeBuildInfo', () => {
  const batch = {
    id: 'web-build:7e1c0a2b',
    batch: true,
    status: 'FAILED',
    projectName: 'web-build',
    initiator: 'codepipeline/web-app',
    startTime: new Date('2026-11-24T10:00:01.250Z'),
    endTime: new Date('2026-11-24T10:04:00.731Z'),
  };

  it('gives a batch build, which has no events, its status at its end in whole seconds', () => {
    expect(observeBuildInfo(batch)).toEqual({
      kind: 'build',
      runId: 'web-build:7e1c0a2b',
      at: '2026-11-24T10:04:00.000Z',
      status: { status: 'FAILED', statusAt: '2026-11-24T10:04:00.000Z', attempt: 1 },
      attributes: { project: 'web-build', initiator: 'codepipeline/web-app', batch: 'true' },
    });
  });

  it('dates a build in progress at its start, and ignores a status CodeBuild does not send', () => {
    expect(observeBuildInfo({ ...batch, batch: false, status: 'IN_PROGRESS' })).toMatchObject({
      at: '2026-11-24T10:00:01.000Z',
      attributes: { project: 'web-build', initiator: 'codepipeline/web-app' },
    });
    expect(observeBuildInfo({ ...batch, status: 'PENDING' })).toBeUndefined();
  });
});
