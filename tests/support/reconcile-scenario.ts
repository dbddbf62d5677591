import type { ActionExecutionDetail, PipelineExecutionSummary } from '@aws-sdk/client-codepipeline';

/**
 * One recorded execution: Source (CodeStar connection) then Deploy (CodeDeploy), succeeded. `events` is the
 * full EventBridge stream; the API answers describe the same execution's final state, as CodePipeline would.
 */
export const PIPELINE = 'web-app';
export const EXECUTION_ID = '7f2c1d0e-5b1a-4c9e-9d2f-0a1b2c3d4e5f';
export const DEPLOYMENT_ID = 'd-7ABCDEF12';
const START = '2026-11-24T10:00:00.000Z';
const TRIGGER_DETAIL = 'arn:aws:sts::123456789012:assumed-role/Admin/mary';
const COMMIT = '3f5a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39';

function envelope(id: string, detailType: string, time: string, detail: Record<string, unknown>) {
  return {
    version: '0',
    id,
    'detail-type': detailType,
    source: 'aws.codepipeline',
    account: '123456789012',
    time,
    region: 'eu-west-1',
    resources: [`arn:aws:codepipeline:eu-west-1:123456789012:${PIPELINE}`],
    detail: {
      pipeline: PIPELINE,
      'execution-id': EXECUTION_ID,
      'start-time': START,
      version: 3,
      'pipeline-execution-attempt': 1,
      ...detail,
    },
  };
}

const pipelineEvent = (id: string, time: string, state: string) =>
  envelope(id, 'CodePipeline Pipeline Execution State Change', time, {
    state,
    'execution-trigger': { 'trigger-type': 'StartPipelineExecution', 'trigger-detail': TRIGGER_DETAIL },
  });
const stageEvent = (id: string, time: string, stage: string, state: string) =>
  envelope(id, 'CodePipeline Stage Execution State Change', time, { stage, state });

const SOURCE_TYPE = {
  owner: 'AWS',
  category: 'Source',
  provider: 'CodeStarSourceConnection',
  version: '1',
} as const;
const DEPLOY_TYPE = { owner: 'AWS', category: 'Deploy', provider: 'CodeDeploy', version: '1' } as const;
const SOURCE_RESULT = {
  'external-execution-id': COMMIT,
  'external-execution-summary': 'Fix checkout total rounding',
  'external-execution-url': `https://github.com/example/web-app/commit/${COMMIT}`,
};
const DEPLOY_RESULT = {
  'external-execution-id': DEPLOYMENT_ID,
  'external-execution-summary': 'Deployment Succeeded',
  'external-execution-url': `https://console.aws.amazon.com/codedeploy/home?region=eu-west-1#/deployments/${DEPLOYMENT_ID}`,
};

const actionEvent = (
  id: string,
  time: string,
  stage: string,
  action: string,
  state: string,
  actionExecutionId: string,
  type: Readonly<Record<string, string>>,
  result?: Record<string, string>,
) =>
  envelope(id, 'CodePipeline Action Execution State Change', time, {
    stage,
    action,
    state,
    'action-execution-id': actionExecutionId,
    region: 'eu-west-1',
    type,
    ...(result ? { 'execution-result': result } : {}),
  });

export const events = [
  pipelineEvent('ev-01', START, 'STARTED'),
  stageEvent('ev-02', '2026-11-24T10:00:01.000Z', 'Source', 'STARTED'),
  actionEvent('ev-03', '2026-11-24T10:00:01.000Z', 'Source', 'Source', 'STARTED', 'a-src-1', SOURCE_TYPE),
  actionEvent(
    'ev-04',
    '2026-11-24T10:00:05.000Z',
    'Source',
    'Source',
    'SUCCEEDED',
    'a-src-1',
    SOURCE_TYPE,
    SOURCE_RESULT,
  ),
  stageEvent('ev-05', '2026-11-24T10:00:05.000Z', 'Source', 'SUCCEEDED'),
  stageEvent('ev-06', '2026-11-24T10:00:06.000Z', 'Deploy', 'STARTED'),
  actionEvent('ev-07', '2026-11-24T10:00:06.000Z', 'Deploy', 'Deploy', 'STARTED', 'a-dep-1', DEPLOY_TYPE),
  actionEvent(
    'ev-08',
    '2026-11-24T10:02:00.000Z',
    'Deploy',
    'Deploy',
    'SUCCEEDED',
    'a-dep-1',
    DEPLOY_TYPE,
    DEPLOY_RESULT,
  ),
  stageEvent('ev-09', '2026-11-24T10:02:00.000Z', 'Deploy', 'SUCCEEDED'),
  pipelineEvent('ev-10', '2026-11-24T10:02:01.000Z', 'SUCCEEDED'),
];

export const finalSummary: PipelineExecutionSummary = {
  pipelineExecutionId: EXECUTION_ID,
  status: 'Succeeded',
  startTime: new Date(START),
  lastUpdateTime: new Date('2026-11-24T10:02:01.000Z'),
  trigger: { triggerType: 'StartPipelineExecution', triggerDetail: TRIGGER_DETAIL },
  executionMode: 'SUPERSEDED',
  executionType: 'STANDARD',
};

export const finalActionDetails: ActionExecutionDetail[] = [
  {
    pipelineExecutionId: EXECUTION_ID,
    actionExecutionId: 'a-dep-1',
    pipelineVersion: 3,
    stageName: 'Deploy',
    actionName: 'Deploy',
    startTime: new Date('2026-11-24T10:00:06.000Z'),
    lastUpdateTime: new Date('2026-11-24T10:02:00.000Z'),
    status: 'Succeeded',
    input: { actionTypeId: DEPLOY_TYPE, region: 'eu-west-1' },
    output: {
      executionResult: {
        externalExecutionId: DEPLOY_RESULT['external-execution-id'],
        externalExecutionSummary: DEPLOY_RESULT['external-execution-summary'],
        externalExecutionUrl: DEPLOY_RESULT['external-execution-url'],
      },
    },
  },
  {
    pipelineExecutionId: EXECUTION_ID,
    actionExecutionId: 'a-src-1',
    pipelineVersion: 3,
    stageName: 'Source',
    actionName: 'Source',
    startTime: new Date('2026-11-24T10:00:01.000Z'),
    lastUpdateTime: new Date('2026-11-24T10:00:05.000Z'),
    status: 'Succeeded',
    input: { actionTypeId: SOURCE_TYPE, region: 'eu-west-1' },
    output: {
      executionResult: {
        externalExecutionId: SOURCE_RESULT['external-execution-id'],
        externalExecutionSummary: SOURCE_RESULT['external-execution-summary'],
        externalExecutionUrl: SOURCE_RESULT['external-execution-url'],
      },
    },
  },
];

export const finalExecution = {
  pipelineName: PIPELINE,
  pipelineVersion: 3,
  pipelineExecutionId: EXECUTION_ID,
  status: 'Succeeded' as const,
  artifactRevisions: [
    {
      name: 'SourceArtifact',
      revisionId: COMMIT,
      revisionSummary: 'Fix checkout total rounding',
      created: new Date('2026-11-24T09:58:12.000Z'),
      revisionUrl: `https://github.com/example/web-app/commit/${COMMIT}`,
    },
  ],
  trigger: { triggerType: 'StartPipelineExecution' as const, triggerDetail: TRIGGER_DETAIL },
  executionMode: 'SUPERSEDED' as const,
  executionType: 'STANDARD' as const,
};

/**
 * A second recorded execution whose Deploy stage failed, was retried (RetryStageExecution FAILED_ACTIONS:
 * attempt 2 re-runs only Deploy) and then succeeded.
 */
export const RETRIED_EXECUTION_ID = '0c4d2e1f-8a7b-4c6d-9e5f-1a2b3c4d5e6f';
const DEPLOYMENT_ID_FAILED = 'd-1FAILED01';
const DEPLOYMENT_ID_RETRY = 'd-2RETRY002';
const retried = <E extends { id: string; detail: Record<string, unknown> }>(event: E, attempt = 1): E => ({
  ...event,
  id: `r-${event.id}`,
  detail: { ...event.detail, 'execution-id': RETRIED_EXECUTION_ID, 'pipeline-execution-attempt': attempt },
});
const FAILED_RESULT = {
  'external-execution-id': DEPLOYMENT_ID_FAILED,
  'external-execution-summary': 'Deployment failed: too many unhealthy instances',
  'error-code': 'JobFailed',
};
const RETRY_RESULT = { ...DEPLOY_RESULT, 'external-execution-id': DEPLOYMENT_ID_RETRY };

export const retriedEvents = [
  retried(pipelineEvent('ev-01', START, 'STARTED')),
  retried(stageEvent('ev-02', '2026-11-24T10:00:01.000Z', 'Source', 'STARTED')),
  retried(
    actionEvent('ev-03', '2026-11-24T10:00:01.000Z', 'Source', 'Source', 'STARTED', 'r-src-1', SOURCE_TYPE),
  ),
  retried(
    actionEvent(
      'ev-04',
      '2026-11-24T10:00:05.000Z',
      'Source',
      'Source',
      'SUCCEEDED',
      'r-src-1',
      SOURCE_TYPE,
      SOURCE_RESULT,
    ),
  ),
  retried(stageEvent('ev-05', '2026-11-24T10:00:05.000Z', 'Source', 'SUCCEEDED')),
  retried(stageEvent('ev-06', '2026-11-24T10:00:06.000Z', 'Deploy', 'STARTED')),
  retried(
    actionEvent('ev-07', '2026-11-24T10:00:06.000Z', 'Deploy', 'Deploy', 'STARTED', 'r-dep-1', DEPLOY_TYPE),
  ),
  retried(
    actionEvent(
      'ev-08',
      '2026-11-24T10:01:00.000Z',
      'Deploy',
      'Deploy',
      'FAILED',
      'r-dep-1',
      DEPLOY_TYPE,
      FAILED_RESULT,
    ),
  ),
  retried(stageEvent('ev-09', '2026-11-24T10:01:00.000Z', 'Deploy', 'FAILED')),
  retried(pipelineEvent('ev-10', '2026-11-24T10:01:01.000Z', 'FAILED')),
  retried(pipelineEvent('ev-11', '2026-11-24T10:10:00.000Z', 'RESUMED'), 2),
  retried(stageEvent('ev-12', '2026-11-24T10:10:00.000Z', 'Deploy', 'RESUMED'), 2),
  retried(
    actionEvent('ev-13', '2026-11-24T10:10:00.000Z', 'Deploy', 'Deploy', 'STARTED', 'r-dep-2', DEPLOY_TYPE),
    2,
  ),
  retried(
    actionEvent(
      'ev-14',
      '2026-11-24T10:12:00.000Z',
      'Deploy',
      'Deploy',
      'SUCCEEDED',
      'r-dep-2',
      DEPLOY_TYPE,
      RETRY_RESULT,
    ),
    2,
  ),
  retried(stageEvent('ev-15', '2026-11-24T10:12:00.000Z', 'Deploy', 'SUCCEEDED'), 2),
  retried(pipelineEvent('ev-16', '2026-11-24T10:12:01.000Z', 'SUCCEEDED'), 2),
];

export const retriedSummary: PipelineExecutionSummary = {
  ...finalSummary,
  pipelineExecutionId: RETRIED_EXECUTION_ID,
  lastUpdateTime: new Date('2026-11-24T10:12:01.000Z'),
};

const [deployDetail, sourceDetail] = finalActionDetails as [ActionExecutionDetail, ActionExecutionDetail];
export const retriedActionDetails: ActionExecutionDetail[] = [
  {
    ...deployDetail,
    pipelineExecutionId: RETRIED_EXECUTION_ID,
    actionExecutionId: 'r-dep-2',
    startTime: new Date('2026-11-24T10:10:00.000Z'),
    lastUpdateTime: new Date('2026-11-24T10:12:00.000Z'),
    output: {
      executionResult: {
        externalExecutionId: DEPLOYMENT_ID_RETRY,
        externalExecutionSummary: RETRY_RESULT['external-execution-summary'],
        externalExecutionUrl: RETRY_RESULT['external-execution-url'],
      },
    },
  },
  {
    ...deployDetail,
    pipelineExecutionId: RETRIED_EXECUTION_ID,
    actionExecutionId: 'r-dep-1',
    status: 'Failed',
    lastUpdateTime: new Date('2026-11-24T10:01:00.000Z'),
    output: {
      executionResult: {
        externalExecutionId: DEPLOYMENT_ID_FAILED,
        externalExecutionSummary: FAILED_RESULT['external-execution-summary'],
        errorDetails: { code: 'JobFailed', message: 'Deployment failed' },
      },
    },
  },
  { ...sourceDetail, pipelineExecutionId: RETRIED_EXECUTION_ID, actionExecutionId: 'r-src-1' },
];
