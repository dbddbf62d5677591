/** Builders for real-shaped CodePipeline events (fields as in the CodePipeline user guide samples). */
let counter = 0;

interface Common {
  pipeline?: string;
  executionId?: string;
  time: string;
  attempt?: number;
}

function envelope(detailType: string, time: string, detail: Record<string, unknown>) {
  counter += 1;
  return {
    version: '0',
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    'detail-type': detailType,
    source: 'aws.codepipeline',
    account: '123456789012',
    time,
    region: 'us-east-1',
    resources: ['arn:aws:codepipeline:us-east-1:123456789012:orders'],
    detail,
  };
}

function base({ pipeline = 'orders', executionId = 'exec-1', attempt = 1 }: Common) {
  return {
    pipeline,
    'execution-id': executionId,
    'start-time': '2026-11-20T10:00:00.000Z',
    version: 2,
    'pipeline-execution-attempt': attempt,
  };
}

export const pipelineEvent = (state: string, common: Common) =>
  envelope('CodePipeline Pipeline Execution State Change', common.time, { ...base(common), state });

export const stageEvent = (stage: string, state: string, common: Common) =>
  envelope('CodePipeline Stage Execution State Change', common.time, { ...base(common), stage, state });

export const actionEvent = (
  stage: string,
  action: string,
  state: string,
  common: Common & { provider?: string; externalId?: string },
) =>
  envelope('CodePipeline Action Execution State Change', common.time, {
    ...base(common),
    stage,
    action,
    state,
    'action-execution-id': `${action}-${common.attempt ?? 1}`,
    region: 'us-east-1',
    type: { owner: 'AWS', category: 'Deploy', provider: common.provider ?? 'CodeDeploy', version: '1' },
    ...(common.externalId ? { 'execution-result': { 'external-execution-id': common.externalId } } : {}),
  });
