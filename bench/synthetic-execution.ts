import { randomUUID } from 'node:crypto';

const STAGES = ['Source', 'Build', 'Test', 'Staging', 'Production'];
const SUMMARY = 'Invoked with the change set of this execution; all checks passed. '.repeat(3);

export interface SyntheticExecution {
  executionId: string;
  /** Events in the order CodePipeline sends them; `parallel` groups are sent at the same time. */
  steps: { parallel: Record<string, unknown>[] }[];
}

/**
 * One successful execution of a 5-stage pipeline with `actions` actions spread over its stages (or, with
 * `parallelActions`, that many running side by side in the Test stage), as EventBridge delivers it: the
 * pipeline, stage and action events with realistic ids and summaries.
 */
export function syntheticExecution(
  pipeline: string,
  options: { actions: number; parallelActions?: number; startAt: number },
): SyntheticExecution {
  const executionId = randomUUID();
  const startTime = new Date(options.startAt).toISOString();
  let clock = options.startAt;
  const tick = () => {
    clock += 1000;
    return new Date(clock).toISOString().replace('.000Z', 'Z');
  };
  const event = (detailType: string, detail: Record<string, unknown>) => ({
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: 'aws.codepipeline',
    account: '123456789012',
    time: tick(),
    region: 'us-east-1',
    resources: [`arn:aws:codepipeline:us-east-1:123456789012:${pipeline}`],
    detail: {
      pipeline,
      'execution-id': executionId,
      'start-time': startTime,
      version: 3,
      'pipeline-execution-attempt': 1,
      ...detail,
    },
  });
  const steps: { parallel: Record<string, unknown>[] }[] = [];
  const one = (e: Record<string, unknown>) => steps.push({ parallel: [e] });
  one(
    event('CodePipeline Pipeline Execution State Change', {
      state: 'STARTED',
      'execution-trigger': {
        'provider-type': 'GitHub',
        'commit-id': 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
        'author-date': new Date(options.startAt - 3_600_000).toISOString(),
        'commit-message': 'Bench change',
        'full-repository-name': 'acme/bench',
        'branch-name': 'main',
      },
    }),
  );
  const perStage = STAGES.map((_, index) =>
    options.parallelActions
      ? index === 2
        ? options.parallelActions
        : 1
      : Math.floor(options.actions / STAGES.length) + (index < options.actions % STAGES.length ? 1 : 0),
  );
  STAGES.forEach((stage, index) => {
    one(event('CodePipeline Stage Execution State Change', { stage, state: 'STARTED' }));
    const actions = Array.from({ length: perStage[index] ?? 0 }, (_, n) => ({
      action: `${stage}-${n + 1}`,
      id: randomUUID(),
    }));
    const actionEvent = (action: { action: string; id: string }, state: string) =>
      event('CodePipeline Action Execution State Change', {
        stage,
        action: action.action,
        'action-execution-id': action.id,
        region: 'us-east-1',
        type: { owner: 'AWS', provider: 'Lambda', category: 'Invoke', version: '1' },
        state,
        ...(state === 'SUCCEEDED'
          ? {
              'execution-result': {
                'external-execution-summary': SUMMARY,
                'external-execution-id': action.id,
              },
            }
          : {}),
      });
    if (options.parallelActions && index === 2) {
      steps.push({ parallel: actions.map((action) => actionEvent(action, 'STARTED')) });
      steps.push({ parallel: actions.map((action) => actionEvent(action, 'SUCCEEDED')) });
    } else {
      for (const action of actions) {
        one(actionEvent(action, 'STARTED'));
        one(actionEvent(action, 'SUCCEEDED'));
      }
    }
    one(event('CodePipeline Stage Execution State Change', { stage, state: 'SUCCEEDED' }));
  });
  one(event('CodePipeline Pipeline Execution State Change', { state: 'SUCCEEDED' }));
  return { executionId, steps };
}

export const eventCount = (execution: SyntheticExecution) =>
  execution.steps.reduce((sum, step) => sum + step.parallel.length, 0);
