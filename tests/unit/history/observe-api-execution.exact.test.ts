import { describe, expect, it } from 'vitest';
import type { ActionExecutionReport, ExecutionSummary } from '../../../functions/history/domain/api-reads';
import type { ExecutionRecord, StageRecord } from '../../../functions/history/domain/execution-record';
import type { ExecutionObservation } from '../../../functions/history/domain/merge-execution';
import {
  inferStageObservations,
  mapActionStatus,
  mapPipelineStatus,
  observeActionExecution,
  observeApiRead,
  observedAttempt,
  observeExecutionSummary,
  stageAttempt,
  toWholeSecond,
} from '../../../functions/history/domain/observe-api-execution';

const PIPELINE = 'web-app';
const EXECUTION_ID = '7f2c1d0e-5b1a-4c9e-9d2f-0a1b2c3d4e5f';
const LONG = 'x'.repeat(600);
const CLIPPED = `${'x'.repeat(511)}…`;

type ActionObservation = Extract<ExecutionObservation, { kind: 'action' }>;

describe('API status → event state, for what the API does not list', () => {
  it.each([undefined, '', 'succeeded', 'constructor', 'toString', '__proto__'])(
    '%j maps to no state',
    (status) => {
      expect(mapPipelineStatus(status)).toBeUndefined();
      expect(mapActionStatus(status)).toBeUndefined();
    },
  );

  it('knows no pipeline-only status as an action status', () => {
    expect(mapActionStatus('Stopped')).toBeUndefined();
    expect(mapActionStatus('Cancelled')).toBeUndefined();
  });
});

describe('toWholeSecond', () => {
  it.each([
    ['2026-11-24T10:00:01.250Z', '2026-11-24T10:00:01.000Z'],
    ['2026-11-24T10:00:01.999Z', '2026-11-24T10:00:01.000Z'],
    ['2026-11-24T10:00:01.000Z', '2026-11-24T10:00:01.000Z'],
    [undefined, undefined],
  ])('%s → %s', (iso, expected) => expect(toWholeSecond(iso)).toBe(expected));
});

/** A record with the given attempts: the pipeline's, and per stage its status's and its actions'. */
function record(
  pipelineAttempt: number | undefined,
  stages: Record<string, { attempt?: number; actions?: number[] }>,
): ExecutionRecord {
  const at = '2026-11-24T10:00:00.000Z';
  const stageRecord = ({ attempt, actions = [] }: { attempt?: number; actions?: number[] }): StageRecord => ({
    ...(attempt === undefined ? {} : { status: { status: 'STARTED', statusAt: at, attempt } }),
    actions: Object.fromEntries(
      actions.map((actionAttempt, index) => [
        `Action${index}`,
        { status: 'STARTED', statusAt: at, attempt: actionAttempt },
      ]),
    ),
  });
  return {
    pipeline: PIPELINE,
    executionId: EXECUTION_ID,
    firstEventAt: at,
    lastEventAt: at,
    ...(pipelineAttempt === undefined
      ? {}
      : { status: { status: 'STARTED', statusAt: at, attempt: pipelineAttempt } }),
    stages: Object.fromEntries(Object.entries(stages).map(([name, stage]) => [name, stageRecord(stage)])),
  };
}

describe('observedAttempt', () => {
  it.each<[string, ExecutionRecord | undefined, number]>([
    ['no record', undefined, 1],
    ['a record with nothing yet', record(undefined, {}), 1],
    ['the pipeline at attempt 3, no stage', record(3, {}), 3],
    ['the pipeline at 3, a stage at 1 without status', record(3, { Build: { actions: [1] } }), 3],
    ['a stage at 2, no pipeline status', record(undefined, { Build: { attempt: 2 } }), 2],
    ['an action at 4 in a stage at 2', record(1, { Build: { attempt: 2, actions: [1, 4, 2] } }), 4],
    [
      'the first stage highest',
      record(1, { Build: { attempt: 5 }, Deploy: { attempt: 2, actions: [3] } }),
      5,
    ],
    ['the last stage highest', record(2, { Build: { attempt: 1 }, Deploy: { actions: [6] } }), 6],
  ])('%s: %i', (_name, input, expected) => expect(observedAttempt(input)).toBe(expected));
});

describe('stageAttempt', () => {
  const current = record(7, {
    Build: { attempt: 2, actions: [1, 3] },
    Deploy: { attempt: 4, actions: [2] },
    Test: { actions: [5] },
    Approve: {},
  });

  it.each<[string, ExecutionRecord | undefined, string, number]>([
    ['no record', undefined, 'Build', 1],
    ['a stage the record does not have', current, 'Release', 1],
    ['a name only the prototype has', current, 'constructor', 1],
    ['an action above its stage', current, 'Build', 3],
    ['a stage above its actions', current, 'Deploy', 4],
    ['a stage without status', current, 'Test', 5],
    ['a stage with nothing yet', current, 'Approve', 1],
  ])('%s: %i (never the pipeline attempt)', (_name, input, stage, expected) => {
    expect(stageAttempt(input, stage)).toBe(expected);
  });
});

describe('observeExecutionSummary: exact observations', () => {
  const START = '2026-11-24T10:00:00.250Z';
  const summary: ExecutionSummary = {
    pipelineExecutionId: EXECUTION_ID,
    status: 'Stopped',
    startTime: new Date(START),
    lastUpdateTime: new Date('2026-11-24T10:02:01.731Z'),
    trigger: {
      triggerType: 'StartPipelineExecution',
      triggerDetail: 'arn:aws:sts::123456789012:assumed-role/Admin/mary',
    },
    stopTrigger: { reason: 'Bad config' },
  };
  const trigger = {
    type: 'StartPipelineExecution',
    detail: 'arn:aws:sts::123456789012:assumed-role/Admin/mary',
  };
  const started = {
    kind: 'pipeline',
    pipeline: PIPELINE,
    executionId: EXECUTION_ID,
    startTime: START,
    at: START,
    status: { status: 'STARTED', statusAt: START, attempt: 1 },
    trigger,
  };
  const UPDATED = '2026-11-24T10:02:01.000Z';
  const update = (status: string, at: string, attempt: number) => ({
    ...started,
    at,
    status: { status, statusAt: at, attempt },
    stopComments: 'Bad config',
  });

  it('says the start (attempt 1, at the exact start time) and the status at the last update (whole second)', () => {
    expect(observeExecutionSummary(PIPELINE, summary, 3)).toStrictEqual([
      started,
      update('STOPPED', UPDATED, 3),
    ]);
  });

  it('leaves out a trigger and stop comments the summary does not have', () => {
    const bare = { ...summary, trigger: undefined, stopTrigger: undefined };
    const { trigger: _, ...startedBare } = started;
    expect(observeExecutionSummary(PIPELINE, bare, 1)).toStrictEqual([
      startedBare,
      { ...startedBare, at: UPDATED, status: { status: 'STOPPED', statusAt: UPDATED, attempt: 1 } },
    ]);
    const emptyReason = { ...bare, trigger: { triggerType: 'Webhook' }, stopTrigger: { reason: '' } };
    expect(observeExecutionSummary(PIPELINE, emptyReason, 1)).toStrictEqual([
      { ...startedBare, trigger: { type: 'Webhook' } },
      {
        ...startedBare,
        at: UPDATED,
        status: { status: 'STOPPED', statusAt: UPDATED, attempt: 1 },
        trigger: { type: 'Webhook' },
      },
    ]);
  });

  it('clips a long stop reason', () => {
    const observations = observeExecutionSummary(PIPELINE, { ...summary, stopTrigger: { reason: LONG } }, 1);
    expect(observations[1]?.stopComments).toBe(CLIPPED);
  });

  it('says only the start of an execution in progress not updated since', () => {
    const justStarted = { ...summary, status: 'InProgress', lastUpdateTime: new Date(START) };
    expect(observeExecutionSummary(PIPELINE, justStarted, 2)).toStrictEqual([started]);
    expect(observeExecutionSummary(PIPELINE, { ...justStarted, lastUpdateTime: undefined }, 2)).toStrictEqual(
      [started],
    );
  });

  it('says an in-progress execution updated since, and an ended one even in the second it started', () => {
    const updated = { ...summary, status: 'InProgress' };
    expect(observeExecutionSummary(PIPELINE, updated, 2)).toStrictEqual([
      started,
      update('STARTED', UPDATED, 2),
    ]);
    const instant = { ...summary, status: 'Failed', lastUpdateTime: new Date(START) };
    const START_SECOND = '2026-11-24T10:00:00.000Z';
    expect(observeExecutionSummary(PIPELINE, instant, 1)).toStrictEqual([
      started,
      update('FAILED', START_SECOND, 1),
    ]);
    const noUpdate = { ...summary, status: 'Succeeded', lastUpdateTime: undefined };
    expect(observeExecutionSummary(PIPELINE, noUpdate, 1)[1]?.status).toEqual({
      status: 'SUCCEEDED',
      statusAt: START_SECOND,
      attempt: 1,
    });
  });

  it.each<[string, ExecutionSummary]>([
    ['no id', { ...summary, pipelineExecutionId: undefined }],
    ['an empty id', { ...summary, pipelineExecutionId: '' }],
    ['no start time', { ...summary, startTime: undefined }],
    ['no status', { ...summary, status: undefined }],
    ['an unknown status', { ...summary, status: 'Paused' }],
  ])('observes nothing for %s', (_name, input) => {
    expect(observeExecutionSummary(PIPELINE, input, 1)).toEqual([]);
  });
});

const detail: ActionExecutionReport = {
  pipelineExecutionId: EXECUTION_ID,
  actionExecutionId: 'a-dep-1',
  pipelineVersion: 3,
  stageName: 'Deploy',
  actionName: 'Deploy',
  startTime: new Date('2026-11-24T10:00:06.400Z'),
  lastUpdateTime: new Date('2026-11-24T10:02:00.900Z'),
  status: 'Failed',
  input: {
    actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'CodeDeploy', version: '1' },
    region: 'eu-west-1',
  },
  output: {
    executionResult: {
      externalExecutionId: 'd-7ABCDEF12',
      externalExecutionSummary: 'Deployment failed',
      externalExecutionUrl:
        'https://console.aws.amazon.com/codedeploy/home?region=eu-west-1#/deployments/d-7ABCDEF12',
      errorDetails: { code: 'JobFailed', message: 'too many unhealthy instances' },
    },
  },
};
const UPDATED_AT = '2026-11-24T10:02:00.000Z';
const STARTED_AT = '2026-11-24T10:00:06.000Z';
const identity = {
  actionExecutionId: 'a-dep-1',
  provider: 'CodeDeploy',
  category: 'Deploy',
  owner: 'AWS',
  region: 'eu-west-1',
};
const result = {
  externalExecutionId: 'd-7ABCDEF12',
  externalExecutionUrl:
    'https://console.aws.amazon.com/codedeploy/home?region=eu-west-1#/deployments/d-7ABCDEF12',
  summary: 'Deployment failed',
  errorCode: 'JobFailed',
};
const actionObservation = (status: string, at: string, attempt: number, fields: object) => ({
  kind: 'action',
  pipeline: PIPELINE,
  executionId: EXECUTION_ID,
  at,
  pipelineVersion: 3,
  stage: 'Deploy',
  action: 'Deploy',
  record: { status, statusAt: at, attempt, ...fields },
});

describe('observeActionExecution: exact observations', () => {
  it.each([
    ['Failed', 'FAILED'],
    ['Succeeded', 'SUCCEEDED'],
    ['Abandoned', 'ABANDONED'],
  ])(
    'a finished action (%s) carries its execution result, at its last update in whole seconds',
    (status, state) => {
      expect(observeActionExecution(PIPELINE, { ...detail, status }, 2)).toStrictEqual(
        actionObservation(state, UPDATED_AT, 2, { ...identity, ...result }),
      );
    },
  );

  it('an action in progress carries no execution result, as its STARTED event does not', () => {
    expect(observeActionExecution(PIPELINE, { ...detail, status: 'InProgress' }, 1)).toStrictEqual(
      actionObservation('STARTED', UPDATED_AT, 1, identity),
    );
  });

  it('is dated at its start when never updated', () => {
    expect(observeActionExecution(PIPELINE, { ...detail, lastUpdateTime: undefined }, 1)).toStrictEqual(
      actionObservation('FAILED', STARTED_AT, 1, { ...identity, ...result }),
    );
  });

  it('leaves out what the API does not give', () => {
    const bare = {
      pipelineExecutionId: EXECUTION_ID,
      stageName: 'Deploy',
      actionName: 'Deploy',
      startTime: new Date('2026-11-24T10:00:06.400Z'),
      status: 'Failed',
    };
    const { pipelineVersion: _, ...observation } = actionObservation('FAILED', STARTED_AT, 1, {});
    expect(observeActionExecution(PIPELINE, bare, 1)).toStrictEqual(observation);
    expect(
      observeActionExecution(
        PIPELINE,
        { ...bare, input: {}, output: { executionResult: { errorDetails: {} } } },
        1,
      ),
    ).toStrictEqual(observation);
    expect(
      observeActionExecution(PIPELINE, { ...bare, input: { region: 'eu-west-1' }, output: {} }, 1),
    ).toStrictEqual({
      ...observation,
      record: { ...observation.record, region: 'eu-west-1' },
    });
  });

  it('clips a long execution summary', () => {
    const long = { ...detail, output: { executionResult: { externalExecutionSummary: LONG } } };
    expect(observeActionExecution(PIPELINE, long, 1)?.record).toStrictEqual({
      status: 'FAILED',
      statusAt: UPDATED_AT,
      attempt: 1,
      ...identity,
      summary: CLIPPED,
    });
  });

  it.each<[string, ActionExecutionReport]>([
    ['no status', { ...detail, status: undefined }],
    ['an unknown status', { ...detail, status: 'Stopped' }],
    ['no time', { ...detail, startTime: undefined, lastUpdateTime: undefined }],
    ['no execution id', { ...detail, pipelineExecutionId: undefined }],
    ['an empty execution id', { ...detail, pipelineExecutionId: '' }],
    ['no stage', { ...detail, stageName: undefined }],
    ['an empty stage', { ...detail, stageName: '' }],
    ['no action', { ...detail, actionName: undefined }],
    ['an empty action', { ...detail, actionName: '' }],
  ])('observes nothing for %s', (_name, input) => {
    expect(observeActionExecution(PIPELINE, input, 1)).toBeUndefined();
  });
});

/** An action observation of `stage`/`action` in `status` at second `second` of 10:00. */
const action = (stage: string, name: string, status: string, second: number, id = `${name}-${second}`) =>
  ({
    kind: 'action',
    pipeline: PIPELINE,
    executionId: EXECUTION_ID,
    at: `2026-11-24T10:00:${String(second).padStart(2, '0')}.000Z`,
    stage,
    action: name,
    record: {
      status,
      statusAt: `2026-11-24T10:00:${String(second).padStart(2, '0')}.000Z`,
      attempt: 1,
      actionExecutionId: id,
    },
  }) as ActionObservation;

const stageObservation = (stage: string, status: string, second: number, attempt = 1) => ({
  kind: 'stage',
  pipeline: PIPELINE,
  executionId: EXECUTION_ID,
  at: `2026-11-24T10:00:${String(second).padStart(2, '0')}.000Z`,
  stage,
  status: { status, statusAt: `2026-11-24T10:00:${String(second).padStart(2, '0')}.000Z`, attempt },
});

describe('inferStageObservations: exact observations', () => {
  const infer = (actions: ActionObservation[], attempt: number | ((stage: string) => number) = 1) =>
    inferStageObservations(PIPELINE, EXECUTION_ID, actions, true, attempt);

  it('ends each stage at its last action, whatever the order the actions are listed in', () => {
    const actions = [
      action('Build', 'Compile', 'SUCCEEDED', 30),
      action('Build', 'Lint', 'SUCCEEDED', 40),
      action('Build', 'Scan', 'SUCCEEDED', 35),
      action('Deploy', 'Deploy', 'SUCCEEDED', 50),
    ];
    expect(infer(actions)).toStrictEqual([
      stageObservation('Build', 'SUCCEEDED', 40),
      stageObservation('Deploy', 'SUCCEEDED', 50),
    ]);
    expect(infer([...actions].reverse())).toStrictEqual([
      stageObservation('Deploy', 'SUCCEEDED', 50),
      stageObservation('Build', 'SUCCEEDED', 40),
    ]);
  });

  it.each([
    ['FAILED when an action failed', ['SUCCEEDED', 'FAILED', 'ABANDONED'], 'FAILED'],
    ['FAILED when one failed and one was abandoned, in either order', ['ABANDONED', 'FAILED'], 'FAILED'],
    ['STOPPED when one was abandoned and none failed', ['SUCCEEDED', 'ABANDONED'], 'STOPPED'],
    ['STOPPED when one was abandoned, listed first', ['ABANDONED', 'SUCCEEDED'], 'STOPPED'],
    ['SUCCEEDED when all succeeded', ['SUCCEEDED', 'SUCCEEDED'], 'SUCCEEDED'],
  ])('a stage is %s', (_name, statuses, expected) => {
    const actions = statuses.map((status, index) => action('Deploy', `Action${index}`, status, 10 + index));
    expect(infer(actions)).toStrictEqual([stageObservation('Deploy', expected, 10 + statuses.length - 1)]);
  });

  it('leaves a stage with an action still running to its events, and infers the others', () => {
    const actions = [
      action('Build', 'Compile', 'SUCCEEDED', 30),
      action('Deploy', 'Canary', 'SUCCEEDED', 40),
      action('Deploy', 'Deploy', 'STARTED', 45),
    ];
    expect(infer(actions)).toStrictEqual([stageObservation('Build', 'SUCCEEDED', 30)]);
    expect(
      infer([action('Deploy', 'Deploy', 'STARTED', 45), action('Deploy', 'Canary', 'SUCCEEDED', 40)]),
    ).toEqual([]);
  });

  it('counts only the latest execution of an action, and records the earlier failure as the stage failing then', () => {
    const failed = action('Deploy', 'Deploy', 'FAILED', 20);
    const retried = action('Deploy', 'Deploy', 'SUCCEEDED', 50);
    const expected = [stageObservation('Deploy', 'FAILED', 20), stageObservation('Deploy', 'SUCCEEDED', 50)];
    expect(infer([failed, retried])).toStrictEqual(expected);
    expect(infer([retried, failed])).toStrictEqual(expected);
  });

  it('records no failure for an earlier execution that did not fail, and fails with a retry that failed', () => {
    const earlier = action('Deploy', 'Deploy', 'ABANDONED', 20);
    const failed = action('Deploy', 'Deploy', 'FAILED', 50);
    expect(infer([earlier, failed])).toStrictEqual([stageObservation('Deploy', 'FAILED', 50)]);
  });

  it('takes the first listed of two executions of an action in the same second', () => {
    const failed = action('Deploy', 'Deploy', 'FAILED', 20, 'first');
    const succeeded = action('Deploy', 'Deploy', 'SUCCEEDED', 20, 'second');
    expect(infer([failed, succeeded])).toStrictEqual([stageObservation('Deploy', 'FAILED', 20)]);
    expect(infer([succeeded, failed])).toStrictEqual([
      stageObservation('Deploy', 'FAILED', 20),
      stageObservation('Deploy', 'SUCCEEDED', 20),
    ]);
  });

  it('tells apart actions of the same name in different stages', () => {
    const actions = [action('Beta', 'Deploy', 'FAILED', 20), action('Prod', 'Deploy', 'SUCCEEDED', 50)];
    expect(infer(actions)).toStrictEqual([
      stageObservation('Beta', 'FAILED', 20),
      stageObservation('Prod', 'SUCCEEDED', 50),
    ]);
  });

  it('labels every inferred stage, failures included, with the attempt given, or the attempt of its stage', () => {
    const actions = [
      action('Build', 'Compile', 'SUCCEEDED', 30),
      action('Deploy', 'Deploy', 'FAILED', 40),
      action('Deploy', 'Deploy', 'SUCCEEDED', 50),
    ];
    expect(infer(actions, 3)).toStrictEqual([
      stageObservation('Deploy', 'FAILED', 40, 3),
      stageObservation('Build', 'SUCCEEDED', 30, 3),
      stageObservation('Deploy', 'SUCCEEDED', 50, 3),
    ]);
    expect(infer(actions, (stage) => (stage === 'Deploy' ? 2 : 1))).toStrictEqual([
      stageObservation('Deploy', 'FAILED', 40, 2),
      stageObservation('Build', 'SUCCEEDED', 30, 1),
      stageObservation('Deploy', 'SUCCEEDED', 50, 2),
    ]);
  });

  it('infers nothing before the execution ended, nor from no actions', () => {
    const actions = [action('Deploy', 'Deploy', 'FAILED', 20), action('Deploy', 'Deploy', 'SUCCEEDED', 50)];
    expect(inferStageObservations(PIPELINE, EXECUTION_ID, actions, false, 1)).toEqual([]);
    expect(infer([])).toEqual([]);
  });
});

describe('observeApiRead: exact observations', () => {
  const summary: ExecutionSummary = {
    pipelineExecutionId: EXECUTION_ID,
    status: 'Succeeded',
    startTime: new Date('2026-11-24T10:00:00.000Z'),
    lastUpdateTime: new Date('2026-11-24T10:02:01.000Z'),
  };
  const deploy = { ...detail, status: 'Succeeded' };
  const source: ActionExecutionReport = {
    pipelineExecutionId: EXECUTION_ID,
    stageName: 'Source',
    actionName: 'Source',
    startTime: new Date('2026-11-24T10:00:01.000Z'),
    lastUpdateTime: new Date('2026-11-24T10:00:05.000Z'),
    status: 'Succeeded',
  };
  const sourceObservation = {
    kind: 'action',
    pipeline: PIPELINE,
    executionId: EXECUTION_ID,
    at: '2026-11-24T10:00:05.000Z',
    stage: 'Source',
    action: 'Source',
    record: { status: 'SUCCEEDED', statusAt: '2026-11-24T10:00:05.000Z', attempt: 1 },
  };
  const pipelineObservation = (status: string, at: string, attempt: number) => ({
    kind: 'pipeline',
    pipeline: PIPELINE,
    executionId: EXECUTION_ID,
    startTime: '2026-11-24T10:00:00.000Z',
    at,
    status: { status, statusAt: at, attempt },
  });
  const stage = (name: string, at: string, attempt: number) => ({
    kind: 'stage',
    pipeline: PIPELINE,
    executionId: EXECUTION_ID,
    at,
    stage: name,
    status: { status: 'SUCCEEDED', statusAt: at, attempt },
  });

  it('says the execution, its actions and, once it ended, its stages; labelled with the attempts of the record', () => {
    const current = record(4, { Deploy: { attempt: 3 } });
    const otherExecution = { ...source, pipelineExecutionId: 'another-execution' };
    const unreadable = { ...source, status: 'Unknown' };
    expect(
      observeApiRead(PIPELINE, summary, [deploy, otherExecution, unreadable, source], current),
    ).toStrictEqual([
      pipelineObservation('STARTED', '2026-11-24T10:00:00.000Z', 1),
      pipelineObservation('SUCCEEDED', '2026-11-24T10:02:01.000Z', 4),
      actionObservation('SUCCEEDED', UPDATED_AT, 3, { ...identity, ...result }),
      sourceObservation,
      stage('Deploy', UPDATED_AT, 3),
      stage('Source', '2026-11-24T10:00:05.000Z', 1),
    ]);
  });

  it('labels everything attempt 1 without a record', () => {
    expect(observeApiRead(PIPELINE, summary, [source], undefined)).toStrictEqual([
      pipelineObservation('STARTED', '2026-11-24T10:00:00.000Z', 1),
      pipelineObservation('SUCCEEDED', '2026-11-24T10:02:01.000Z', 1),
      sourceObservation,
      stage('Source', '2026-11-24T10:00:05.000Z', 1),
    ]);
  });

  it.each([['InProgress'], ['Stopping'], ['Paused']])(
    'infers no stage while the execution is %s',
    (status) => {
      const observations = observeApiRead(PIPELINE, { ...summary, status }, [source], undefined);
      expect(observations.filter((observation) => observation.kind !== 'pipeline')).toStrictEqual([
        sourceObservation,
      ]);
    },
  );

  it('says nothing for a summary without an execution id, whatever its details', () => {
    expect(
      observeApiRead(PIPELINE, { ...summary, pipelineExecutionId: undefined }, [source], undefined),
    ).toEqual([]);
    expect(
      observeApiRead(
        PIPELINE,
        { ...summary, pipelineExecutionId: '' },
        [{ ...source, pipelineExecutionId: '' }],
        undefined,
      ),
    ).toEqual([]);
  });
});
