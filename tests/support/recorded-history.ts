import type {
  ActionExecutionReport,
  BuildReport,
  DeploymentReport,
  ExecutionSummary,
} from '../../functions/history/domain/api-reads';
import type {
  BuildHistoryApi,
  DeploymentHistoryApi,
  DetailsObservation,
  PipelineHistoryApi,
} from '../../functions/history/ports';

/**
 * A realistic history of one pipeline (Source → Build → Prod), as EventBridge delivers it and as the
 * CodePipeline and CodeDeploy APIs describe it afterwards: both built from one description of each
 * execution, so the fake API is faithful to the events by construction.
 */
export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const PIPELINE = 'web-app';
const VERSION = 3;

type End = 'SUCCEEDED' | 'FAILED' | 'ABANDONED';
interface ActionPlan {
  stage: string;
  action: string;
  provider: 'CodeStarSourceConnection' | 'CodeBuild' | 'CodeDeploy';
  category: 'Source' | 'Build' | 'Deploy';
  end: End;
  runId: string;
}
interface ExecutionPlan {
  id: string;
  start: string;
  status: 'SUCCEEDED' | 'FAILED' | 'STOPPED';
  actions: ActionPlan[];
  rollbackOf?: string;
  stopComments?: string;
  commit: string;
}

const at = (start: string, seconds: number) => new Date(Date.parse(start) + seconds * 1000).toISOString();
const iso = (time: string) => time.replace('.000Z', 'Z');

function standard(
  id: string,
  start: string,
  ends: [End, End, End] | [End, End],
  commit: string,
): ActionPlan[] {
  const plans: ActionPlan[] = [
    {
      stage: 'Source',
      action: 'Source',
      provider: 'CodeStarSourceConnection',
      category: 'Source',
      end: 'SUCCEEDED',
      runId: commit,
    },
    {
      stage: 'Build',
      action: 'Build',
      provider: 'CodeBuild',
      category: 'Build',
      end: ends[1],
      runId: `web-build:${id}`,
    },
  ];
  if (ends.length === 3) {
    plans.push({
      stage: 'Prod',
      action: 'Deploy',
      provider: 'CodeDeploy',
      category: 'Deploy',
      end: ends[2],
      runId: `d-${id.toUpperCase()}`,
    });
  }
  void start;
  return plans;
}

export const EXECUTIONS: ExecutionPlan[] = [
  {
    id: 'e1',
    start: '2026-11-24T08:00:00.000Z',
    status: 'SUCCEEDED',
    commit: 'c1',
    actions: standard('e1', '', ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED'], 'c1'),
  },
  {
    id: 'e2',
    start: '2026-11-24T08:30:00.000Z',
    status: 'FAILED',
    commit: 'c2',
    actions: standard('e2', '', ['SUCCEEDED', 'SUCCEEDED', 'FAILED'], 'c2'),
  },
  {
    id: 'e3',
    start: '2026-11-24T08:40:00.000Z',
    status: 'SUCCEEDED',
    commit: 'c1',
    rollbackOf: 'e1',
    actions: [
      {
        stage: 'Prod',
        action: 'Deploy',
        provider: 'CodeDeploy',
        category: 'Deploy',
        end: 'SUCCEEDED',
        runId: 'd-E3',
      },
    ],
  },
  {
    id: 'e4',
    start: '2026-11-24T09:00:00.000Z',
    status: 'STOPPED',
    commit: 'c4',
    stopComments: 'Wrong branch',
    actions: standard('e4', '', ['SUCCEEDED', 'ABANDONED'], 'c4'),
  },
  {
    id: 'e5',
    start: '2026-11-24T09:30:00.000Z',
    status: 'SUCCEEDED',
    commit: 'c5',
    actions: standard('e5', '', ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED'], 'c5'),
  },
];

/** When each action starts and ends: one after the other, 10 s each; stages end with their last action. */
function timeline(plan: ExecutionPlan) {
  return plan.actions.map((action, index) => ({
    ...action,
    from: at(plan.start, 1 + index * 10),
    to: at(plan.start, 10 + index * 10),
  }));
}
const endOf = (plan: ExecutionPlan) => at(plan.start, 11 + (plan.actions.length - 1) * 10);

const trigger = (plan: ExecutionPlan) =>
  plan.rollbackOf
    ? {
        triggerType: 'AutomatedRollback',
        triggerDetail: `{"rollbackTargetPipelineExecutionId":"${plan.rollbackOf}"}`,
      }
    : {
        triggerType: 'StartPipelineExecution',
        triggerDetail: 'arn:aws:sts::123456789012:assumed-role/Admin/mary',
      };

let eventCounter = 0;
function envelope(detailType: string, source: string, time: string, detail: Record<string, unknown>) {
  eventCounter += 1;
  return {
    version: '0',
    id: `history-${String(eventCounter).padStart(4, '0')}`,
    'detail-type': detailType,
    source,
    account: ACCOUNT,
    time: iso(time),
    region: REGION,
    resources: [`arn:aws:codepipeline:${REGION}:${ACCOUNT}:${PIPELINE}`],
    detail,
  };
}

const STAGE_END: Record<End, string> = { SUCCEEDED: 'SUCCEEDED', FAILED: 'FAILED', ABANDONED: 'STOPPED' };
const API_ACTION: Record<End, string> = { SUCCEEDED: 'Succeeded', FAILED: 'Failed', ABANDONED: 'Abandoned' };
const API_PIPELINE = { SUCCEEDED: 'Succeeded', FAILED: 'Failed', STOPPED: 'Stopped' } as const;
const DEPLOYMENT_END = { SUCCEEDED: 'SUCCESS', FAILED: 'FAILURE', ABANDONED: 'STOP' } as const;

function result(action: ActionPlan) {
  if (action.end === 'ABANDONED') return undefined;
  return {
    id: action.runId,
    summary: action.end === 'FAILED' ? 'Deployment failed' : `${action.action} done`,
    error: action.end === 'FAILED' ? 'JobFailed' : undefined,
  };
}

/** Every event EventBridge would deliver for the history, in time order. */
export function historyEvents(): unknown[] {
  const events: { time: string; event: unknown }[] = [];
  for (const plan of EXECUTIONS) {
    const common = {
      pipeline: PIPELINE,
      'execution-id': plan.id,
      'start-time': plan.start,
      version: VERSION,
      'pipeline-execution-attempt': 1,
    };
    const pipelineEvent = (time: string, state: string, extra: Record<string, unknown> = {}) =>
      events.push({
        time,
        event: envelope('CodePipeline Pipeline Execution State Change', 'aws.codepipeline', time, {
          ...common,
          state,
          'execution-trigger': {
            'trigger-type': trigger(plan).triggerType,
            'trigger-detail': trigger(plan).triggerDetail,
          },
          ...extra,
        }),
      });
    pipelineEvent(plan.start, 'STARTED');
    for (const action of timeline(plan)) {
      const stage = (time: string, state: string) =>
        events.push({
          time,
          event: envelope('CodePipeline Stage Execution State Change', 'aws.codepipeline', time, {
            ...common,
            stage: action.stage,
            state,
          }),
        });
      const actionEvent = (time: string, state: string, withResult: boolean) => {
        const outcome = result(action);
        events.push({
          time,
          event: envelope('CodePipeline Action Execution State Change', 'aws.codepipeline', time, {
            ...common,
            stage: action.stage,
            action: action.action,
            state,
            'action-execution-id': `${plan.id}-${action.action}`,
            region: REGION,
            type: { owner: 'AWS', category: action.category, provider: action.provider, version: '1' },
            ...(withResult && outcome
              ? {
                  'execution-result': {
                    'external-execution-id': outcome.id,
                    'external-execution-summary': outcome.summary,
                    ...(outcome.error ? { 'error-code': outcome.error } : {}),
                  },
                }
              : {}),
          }),
        });
      };
      stage(action.from, 'STARTED');
      actionEvent(action.from, 'STARTED', false);
      if (action.end === 'ABANDONED') {
        pipelineEvent(at(action.from, 2), 'STOPPING', { 'stop-execution-comments': plan.stopComments });
      }
      actionEvent(action.to, action.end, true);
      stage(action.to, STAGE_END[action.end]);
      if (action.provider === 'CodeDeploy') {
        const deployment = (time: string, state: string) =>
          events.push({
            time,
            event: envelope('CodeDeploy Deployment State-change Notification', 'aws.codedeploy', time, {
              deploymentId: action.runId,
              application: 'web-app',
              deploymentGroup: 'production',
              state,
              region: REGION,
            }),
          });
        deployment(at(action.from, 1), 'START');
        deployment(action.to, DEPLOYMENT_END[action.end]);
      }
    }
    pipelineEvent(endOf(plan), plan.status);
  }
  return events.sort((a, b) => a.time.localeCompare(b.time)).map(({ event }) => event);
}

export interface FakeApiOptions {
  pageSize: number;
  /** Calls (numbered from 0 across every method) that answer ThrottlingException, as a throttled API does. */
  throttledCalls: ReadonlySet<number>;
}

/** CodePipeline and CodeDeploy as they answer once the history is over: paged, and throttled when told. */
export function fakeApis({ pageSize, throttledCalls }: FakeApiOptions) {
  let calls = 0;
  const maybeThrottle = () => {
    const call = calls++;
    if (throttledCalls.has(call)) {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    }
  };
  const newestFirst = [...EXECUTIONS].sort((a, b) => b.start.localeCompare(a.start));
  const summaries: ExecutionSummary[] = newestFirst.map((plan) => ({
    pipelineExecutionId: plan.id,
    status: API_PIPELINE[plan.status],
    startTime: new Date(plan.start),
    lastUpdateTime: new Date(endOf(plan)),
    trigger: trigger(plan),
    ...(plan.stopComments ? { stopTrigger: { reason: plan.stopComments } } : {}),
  }));
  const pipelines: PipelineHistoryApi = {
    async listExecutions(pipeline, nextToken) {
      maybeThrottle();
      if (pipeline !== PIPELINE)
        throw Object.assign(new Error('no such pipeline'), { name: 'PipelineNotFoundException' });
      const from = nextToken ? Number(nextToken) : 0;
      const next = from + pageSize;
      return {
        summaries: summaries.slice(from, next),
        nextToken: next < summaries.length ? String(next) : undefined,
      };
    },
    async listActionExecutions(_pipeline, executionId) {
      maybeThrottle();
      const plan = EXECUTIONS.find((candidate) => candidate.id === executionId);
      return (plan ? timeline(plan) : []).map((action): ActionExecutionReport => {
        const outcome = result(action);
        return {
          pipelineExecutionId: executionId,
          actionExecutionId: `${executionId}-${action.action}`,
          pipelineVersion: VERSION,
          stageName: action.stage,
          actionName: action.action,
          startTime: new Date(action.from),
          // The API's times carry milliseconds; events are stamped in whole seconds.
          lastUpdateTime: new Date(Date.parse(action.to) + 420),
          status: API_ACTION[action.end],
          input: {
            actionTypeId: {
              owner: 'AWS',
              category: action.category,
              provider: action.provider,
              version: '1',
            },
            region: REGION,
          },
          output: outcome
            ? {
                executionResult: {
                  externalExecutionId: outcome.id,
                  externalExecutionSummary: outcome.summary,
                  ...(outcome.error ? { errorDetails: { code: outcome.error, message: 'failed' } } : {}),
                },
              }
            : undefined,
        };
      });
    },
    async fetchExecutionDetails(pipeline, executionId, observedAt): Promise<DetailsObservation> {
      maybeThrottle();
      const plan = EXECUTIONS.find((candidate) => candidate.id === executionId) as ExecutionPlan;
      return {
        kind: 'details',
        pipeline,
        executionId,
        at: observedAt,
        pipelineVersion: VERSION,
        sourceRevisions: [
          { actionName: 'SourceArtifact', revisionId: plan.commit, summary: `Commit ${plan.commit}` },
        ],
        trigger: { type: trigger(plan).triggerType, detail: trigger(plan).triggerDetail },
        executionType: plan.rollbackOf ? 'ROLLBACK' : 'STANDARD',
        rollbackTargetExecutionId: plan.rollbackOf,
        variables: [{ name: 'COMMIT', value: plan.commit }],
      };
    },
  };
  const deployments: DeploymentHistoryApi = {
    async getDeployments(ids) {
      maybeThrottle();
      return EXECUTIONS.flatMap((plan) =>
        timeline(plan)
          .filter((action) => action.provider === 'CodeDeploy' && ids.includes(action.runId))
          .map(
            (action): DeploymentReport => ({
              deploymentId: action.runId,
              applicationName: 'web-app',
              deploymentGroupName: 'production',
              status: { SUCCEEDED: 'Succeeded', FAILED: 'Failed', ABANDONED: 'Stopped' }[action.end],
              createTime: new Date(Date.parse(action.from) + 1000),
              startTime: new Date(Date.parse(action.from) + 1000),
              completeTime: new Date(Date.parse(action.to) + 420),
            }),
          ),
      );
    },
  };
  // e1's build ran as a batch build (BatchEnabled): CodeBuild answers it from BatchGetBuildBatches alone.
  const builds: BuildHistoryApi = {
    async getBuilds(ids) {
      maybeThrottle();
      return EXECUTIONS.flatMap((plan) =>
        timeline(plan)
          .filter((action) => action.provider === 'CodeBuild' && ids.includes(action.runId))
          .map(
            (action): BuildReport => ({
              id: action.runId,
              batch: plan.id === 'e1',
              status: { SUCCEEDED: 'SUCCEEDED', FAILED: 'FAILED', ABANDONED: 'STOPPED' }[action.end],
              projectName: 'web-build',
              initiator: `codepipeline/${PIPELINE}`,
              startTime: new Date(Date.parse(action.from) + 300),
              endTime: new Date(Date.parse(action.to) + 700),
            }),
          ),
      );
    },
  };
  return { pipelines, deployments, builds };
}

/** Every deployment and build run the history names. */
export const RUNS = EXECUTIONS.flatMap((plan) =>
  plan.actions
    .filter((action) => action.provider !== 'CodeStarSourceConnection')
    .map((action) => ({
      kind: action.provider === 'CodeDeploy' ? ('deployment' as const) : ('build' as const),
      runId: action.runId,
    })),
);
