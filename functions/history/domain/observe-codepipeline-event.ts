import type {
  ActionExecutionEvent,
  ExecutionTrigger,
  PipelineExecutionEvent,
  StageExecutionEvent,
} from '#events/codepipeline-events';
import { withoutUndefined } from '#platform/without-undefined';
import { clipText, type TriggerInfo } from './execution-record';
import type { ExecutionObservation } from './merge-execution';

type CodePipelineEvent = PipelineExecutionEvent | StageExecutionEvent | ActionExecutionEvent;

/** Translates a validated CodePipeline event into what it says about its execution. */
export function observeCodePipelineEvent(event: CodePipelineEvent): ExecutionObservation {
  const { detail } = event;
  const base = {
    account: event.account,
    region: event.region,
    pipeline: detail.pipeline,
    executionId: detail['execution-id'],
    at: event.time,
    startTime: detail['start-time'],
    pipelineVersion: detail.version,
  };
  const attempt = detail['pipeline-execution-attempt'] ?? 1;

  switch (event['detail-type']) {
    case 'CodePipeline Pipeline Execution State Change': {
      const pipelineDetail = event.detail;
      return {
        ...base,
        kind: 'pipeline',
        status: { status: pipelineDetail.state, statusAt: event.time, attempt },
        trigger: toTriggerInfo(pipelineDetail['execution-trigger']),
        stopComments: clipText(pipelineDetail['stop-execution-comments'] || undefined),
      };
    }
    case 'CodePipeline Stage Execution State Change':
      return {
        ...base,
        kind: 'stage',
        stage: event.detail.stage,
        status: { status: event.detail.state, statusAt: event.time, attempt },
        lastRetryAt: event.detail['stage-last-retry-attempt-time'],
      };
    case 'CodePipeline Action Execution State Change': {
      const actionDetail = event.detail;
      const result = actionDetail['execution-result'];
      return {
        ...base,
        kind: 'action',
        stage: actionDetail.stage,
        action: actionDetail.action,
        record: withoutUndefined({
          status: actionDetail.state,
          statusAt: event.time,
          attempt,
          actionExecutionId: actionDetail['action-execution-id'],
          provider: actionDetail.type?.provider,
          category: actionDetail.type?.category,
          owner: actionDetail.type?.owner,
          region: actionDetail.region,
          externalExecutionId: result?.['external-execution-id'],
          externalExecutionUrl: result?.['external-execution-url'],
          summary: clipText(result?.['external-execution-summary']),
          errorCode: result?.['error-code'],
        }),
      };
    }
  }
}

export function toTriggerInfo(trigger: ExecutionTrigger | undefined): TriggerInfo | undefined {
  if (!trigger) return undefined;
  return withoutUndefined({
    type: trigger['trigger-type'],
    detail: trigger['trigger-detail'],
    commitId: trigger['commit-id'],
    commitMessage: clipText(trigger['commit-message']),
    authorDate: trigger['author-date'],
    author: trigger['author-display-name'],
    repository: trigger['full-repository-name'],
    branch: trigger['branch-name'],
    tag: trigger['tag-name'],
    providerType: trigger['provider-type'],
    connectionArn: trigger['connection-arn'],
    authorEmail: trigger['author-email'],
  });
}
