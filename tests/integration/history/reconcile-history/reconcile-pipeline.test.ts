import {
  BatchGetDeploymentsCommand,
  CodeDeployClient,
  type DeploymentInfo,
} from '@aws-sdk/client-codedeploy';
import {
  CodePipelineClient,
  GetPipelineExecutionCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  type PipelineExecutionSummary,
} from '@aws-sdk/client-codepipeline';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { codeDeployHistoryApi } from '../../../../functions/history/adapters/codedeploy-history-api';
import { codePipelineHistoryApi } from '../../../../functions/history/adapters/codepipeline-history-api';
import { fetchExecutionDetails } from '../../../../functions/history/adapters/fetch-execution-details';
import { createCheckpointStore } from '../../../../functions/history/adapters/reconcile-checkpoint-store';
import type { ExecutionRecord } from '../../../../functions/history/domain/execution-record';
import { START_TOLERANCE_MS } from '../../../../functions/history/reconcile-history/plan-repairs';
import { reconcileHistory, rotate } from '../../../../functions/history/reconcile-history/reconcile-history';
import {
  type ReconcileDependencies,
  type RepairedRecord,
  reconcilePipeline,
} from '../../../../functions/history/reconcile-history/reconcile-pipeline';
import { recordEvent } from '../../../../functions/history/record-execution/record-event';
import { parseRecorderEvent } from '../../../../functions/history/record-execution/recorder-event-schema';
import { createTestTable } from '../../../support/dynamo';
import {
  DEPLOYMENT_ID,
  EXECUTION_ID,
  events,
  finalActionDetails,
  finalExecution,
  finalSummary,
  PIPELINE,
  RETRIED_EXECUTION_ID,
  retriedActionDetails,
  retriedEvents,
  retriedSummary,
} from '../../../support/reconcile-scenario';

const codepipelineMock = mockClient(CodePipelineClient);
const codedeployMock = mockClient(CodeDeployClient);
const codepipeline = new CodePipelineClient({ region: 'eu-west-1' });
const codedeploy = new CodeDeployClient({ region: 'eu-west-1' });
const NOW = '2026-11-24T10:30:00.000Z';
const HUB_PIPELINE = { account: '123456789012', region: 'eu-west-1', pipeline: PIPELINE };

const deployment: DeploymentInfo = {
  deploymentId: DEPLOYMENT_ID,
  applicationName: 'web-app',
  deploymentGroupName: 'production',
  status: 'Succeeded',
  createTime: new Date('2026-11-24T10:00:06.000Z'),
  startTime: new Date('2026-11-24T10:00:07.000Z'),
  completeTime: new Date('2026-11-24T10:01:59.000Z'),
};

/** CodePipeline and CodeDeploy answer from the scenario's final state. */
function answerFromFinalState(summaries: PipelineExecutionSummary[] = [finalSummary]) {
  codepipelineMock.reset();
  codedeployMock.reset();
  codepipelineMock.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: summaries });
  codepipelineMock.on(ListActionExecutionsCommand).resolves({ actionExecutionDetails: finalActionDetails });
  codepipelineMock.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: finalExecution });
  codedeployMock.on(BatchGetDeploymentsCommand).resolves({ deploymentsInfo: [deployment] });
}

async function setUp() {
  const table = await createTestTable(400, { account: '123456789012', region: 'eu-west-1' });
  const repaired: RepairedRecord[] = [];
  const deps: ReconcileDependencies = {
    store: table.store,
    checkpoints: createCheckpointStore({ client: table.client, tableName: table.tableName }),
    pipelines: codePipelineHistoryApi(codepipeline),
    deployments: codeDeployHistoryApi(codedeploy),
    region: 'eu-west-1',
    settings: {
      staleAfterMinutes: 60,
      initialLookbackHours: 24,
      overlapMinutes: 30,
      maxPagesPerPipeline: 10,
    },
    onRepaired: (repair) => repaired.push(repair),
  };
  const record = async (stream: readonly unknown[]) => {
    for (const event of stream) {
      await recordEvent(parseRecorderEvent(event), {
        store: table.store,
        fetchExecutionDetails: (pipeline, executionId, at) =>
          fetchExecutionDetails(codepipeline, pipeline, executionId, at),
        warn: () => {},
      });
    }
  };
  return { ...table, deps, repaired, record };
}

beforeEach(() => answerFromFinalState());
afterAll(() => {
  codepipelineMock.restore();
  codedeployMock.restore();
});

/**
 * Equal to the full stream's history, except that `firstEventAt` may be later by up to the start tolerance
 * when the lost event is the STARTED one (plan-repairs.ts START_TOLERANCE_MS: its start-time is known, so
 * the execution is not re-read for the second between its STARTED and its next event).
 */
function expectSameHistory(actual: ExecutionRecord | undefined, expected: ExecutionRecord | undefined) {
  expect(actual && expected).toBeDefined();
  const lag = Date.parse(actual?.firstEventAt ?? '') - Date.parse(expected?.firstEventAt ?? '');
  expect(lag).toBeGreaterThanOrEqual(0);
  expect(lag).toBeLessThanOrEqual(START_TOLERANCE_MS);
  expect({ ...actual, firstEventAt: expected?.firstEventAt }).toEqual(expected);
}

async function fullStreamHistory() {
  const { store, record } = await setUp();
  await record(events);
  return store.getExecution(PIPELINE, EXECUTION_ID);
}

/** One execution per page, an hour apart from 09:00 back, and always a next page: the page limit decides. */
function answerHourlyPagesWithoutEnd() {
  codepipelineMock.on(ListPipelineExecutionsCommand).callsFake((input) => {
    const index = input.nextToken ? Number(input.nextToken) : 0;
    const start = Date.parse('2026-11-24T09:00:00.000Z') - index * 3_600_000;
    return {
      pipelineExecutionSummaries: [
        {
          ...finalSummary,
          pipelineExecutionId: `exec-${index}`,
          startTime: new Date(start),
          lastUpdateTime: new Date(start + 60_000),
        },
      ],
      nextToken: String(index + 1),
    };
  });
  codepipelineMock.on(ListActionExecutionsCommand).resolves({ actionExecutionDetails: [] });
}

describe('reconcilePipeline', () => {
  it('repairs a lost terminal event', async () => {
    const expected = await fullStreamHistory();
    const { store, record, deps, repaired } = await setUp();
    await record(events.filter((event) => event.id !== 'ev-10'));

    await reconcilePipeline(deps, PIPELINE, NOW, 50);

    expect(repaired).toContainEqual(
      expect.objectContaining({ kind: 'execution', before: 'STARTED', after: 'SUCCEEDED' }),
    );
    expect(await store.getExecution(PIPELINE, EXECUTION_ID)).toEqual(expected);
  });

  it('leaves a lost STARTED event alone when the other events carried its start-time', async () => {
    const expected = await fullStreamHistory();
    const { store, record, deps, repaired } = await setUp();
    await record(events.slice(1));

    await reconcilePipeline(deps, PIPELINE, NOW, 50);

    // The start (start-time) is known; only the first event time differs, by the second the next event took.
    expect(repaired.filter((repair) => repair.kind === 'execution')).toEqual([]);
    expectSameHistory(await store.getExecution(PIPELINE, EXECUTION_ID), expected);
  });

  it('creates an execution whose events were all lost, and lists its pipeline', async () => {
    const expected = await fullStreamHistory();
    const { store, deps } = await setUp();

    await reconcilePipeline(deps, PIPELINE, NOW, 50);

    const repairedRecord = await store.getExecution(PIPELINE, EXECUTION_ID);
    expect(repairedRecord?.status).toEqual(expected?.status);
    expect(repairedRecord?.stages).toEqual(expected?.stages);
    expect((await store.listPipelines()).map((entry) => entry.pipeline)).toEqual([PIPELINE]);
  });

  it('never regresses a record that events moved further than the API read', async () => {
    const { store, record, deps, repaired } = await setUp();
    // GetPipelineExecution failing while recording leaves the record without revisions: the planner repairs it.
    codepipelineMock.on(GetPipelineExecutionCommand).rejects(new Error('ThrottlingException'));
    await record(events);
    const before = await store.getExecution(PIPELINE, EXECUTION_ID);
    expect(before?.sourceRevisions).toBeUndefined();
    // A read taken while the deploy was still running, processed after every event arrived.
    answerFromFinalState([
      { ...finalSummary, status: 'InProgress', lastUpdateTime: new Date('2026-11-24T10:00:06.000Z') },
    ]);
    codepipelineMock.on(ListActionExecutionsCommand).resolves({
      actionExecutionDetails: [
        {
          ...finalActionDetails[0],
          status: 'InProgress',
          lastUpdateTime: new Date('2026-11-24T10:00:06.000Z'),
        },
      ],
    });

    codepipelineMock.on(GetPipelineExecutionCommand).resolves({ pipelineExecution: finalExecution });

    await reconcilePipeline(deps, PIPELINE, '2026-11-24T13:00:00.000Z', 50);

    const after = await store.getExecution(PIPELINE, EXECUTION_ID);
    expect(repaired).toContainEqual(expect.objectContaining({ before: 'SUCCEEDED', after: 'SUCCEEDED' }));
    expect(after?.sourceRevisions).toHaveLength(1);
    expect({ ...after, sourceRevisions: undefined, executionType: undefined }).toEqual({
      ...before,
      sourceRevisions: undefined,
      executionType: undefined,
    });
  });

  it('gives the same history when run twice, and repairs nothing the second time', async () => {
    const { store, record, deps } = await setUp();
    await record(events.slice(0, 4));

    const first = await reconcilePipeline(deps, PIPELINE, NOW, 50);
    const afterFirst = await store.getExecution(PIPELINE, EXECUTION_ID);
    const second = await reconcilePipeline(deps, PIPELINE, NOW, 50);

    expect(first.repaired).toBeGreaterThan(0);
    expect(second.repaired).toBe(0);
    expect(await store.getExecution(PIPELINE, EXECUTION_ID)).toEqual(afterFirst);
  });

  it('gives the history of the full stream when it runs while the events arrive', async () => {
    const expected = await fullStreamHistory();
    const { store, record, deps } = await setUp();
    await record(events.slice(0, 3));

    // Conditional writes make one of two racing merges re-read and merge again; the join makes the order moot.
    await Promise.all([
      record(events.slice(3)),
      reconcilePipeline(deps, PIPELINE, NOW, 50),
      reconcilePipeline(deps, PIPELINE, NOW, 50),
    ]);

    expect(await store.getExecution(PIPELINE, EXECUTION_ID)).toEqual(expected);
  });

  it('reads every page of ListPipelineExecutions back to the lookback window', async () => {
    const { store, deps } = await setUp();
    const summaries = Array.from({ length: 3 }, (_, index) => ({
      ...finalSummary,
      pipelineExecutionId: `exec-${index}`,
      startTime: new Date(Date.parse('2026-11-24T09:00:00.000Z') - index * 3_600_000),
      lastUpdateTime: new Date(Date.parse('2026-11-24T09:05:00.000Z') - index * 3_600_000),
    }));
    codepipelineMock.on(ListPipelineExecutionsCommand).callsFake((input) => {
      const index = input.nextToken ? Number(input.nextToken) : 0;
      return {
        pipelineExecutionSummaries: [summaries[index]],
        nextToken: index < summaries.length - 1 ? String(index + 1) : undefined,
      };
    });
    codepipelineMock.on(ListActionExecutionsCommand).resolves({ actionExecutionDetails: [] });

    const outcome = await reconcilePipeline(deps, PIPELINE, NOW, 50);

    expect(codepipelineMock.commandCalls(ListPipelineExecutionsCommand)).toHaveLength(3);
    expect(outcome.repaired).toBe(3);
    for (const summary of summaries) {
      expect((await store.getExecution(PIPELINE, summary.pipelineExecutionId))?.status?.status).toBe(
        'SUCCEEDED',
      );
    }
  });

  it('holds the checkpoint back when the page limit stops the listing before it', async () => {
    const { deps, tableName, client } = await setUp();
    const checkpoints = createCheckpointStore({ client, tableName });
    await checkpoints.advance(HUB_PIPELINE, {
      checkpoint: '2026-11-24T05:00:00.000Z',
      runAt: '2026-11-24T05:00:00.000Z',
      repaired: 0,
    });
    answerHourlyPagesWithoutEnd();

    const outcome = await reconcilePipeline(
      { ...deps, settings: { ...deps.settings, maxPagesPerPipeline: 2 } },
      PIPELINE,
      NOW,
      50,
    );

    expect(outcome).toMatchObject({ complete: false, examined: 2, checkpoint: '2026-11-24T05:00:00.000Z' });
    expect(codepipelineMock.commandCalls(ListPipelineExecutionsCommand)).toHaveLength(2);
    expect((await checkpoints.get(HUB_PIPELINE))?.checkpoint).toBe('2026-11-24T05:00:00.000Z');
  });

  it('writes a checkpoint and the range it reviewed when the page limit cuts a first run short', async () => {
    const { deps, tableName, client } = await setUp();
    answerHourlyPagesWithoutEnd();
    const limited = { ...deps, settings: { ...deps.settings, maxPagesPerPipeline: 2 } };

    const first = await reconcilePipeline(limited, PIPELINE, NOW, 50);

    // The floor of the first run (NOW − 24 h) is kept, so the next run does not slide its window past it.
    expect(first).toMatchObject({ complete: false, checkpoint: '2026-11-23T10:30:00.000Z' });
    const written = await createCheckpointStore({ client, tableName }).get(HUB_PIPELINE);
    expect(written).toMatchObject({
      account: '123456789012',
      region: 'eu-west-1',
      checkpoint: '2026-11-23T10:30:00.000Z',
      reviewedFrom: '2026-11-24T08:00:00.000Z',
      reviewedThrough: '2026-11-24T09:00:00.000Z',
    });
  });

  it('reads a checkpoint written before checkpoints were keyed by account and region', async () => {
    const { deps, tableName, client } = await setUp();
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          pk: 'RECONCILE',
          sk: `PIPELINE#${PIPELINE}`,
          pipeline: PIPELINE,
          checkpoint: '2026-11-24T10:20:00.000Z',
          lastRunAt: '2026-11-24T10:20:00.000Z',
          lastRepaired: 0,
          repairedTotal: 4,
        },
      }),
    );
    const checkpoints = createCheckpointStore({ client, tableName });
    expect(await checkpoints.get(HUB_PIPELINE)).toBeUndefined();
    expect(await checkpoints.get(HUB_PIPELINE, { readLegacy: true })).toMatchObject({ repairedTotal: 4 });

    // Its floor (10:20 − 30 min overlap) still reaches the execution started at 10:00: it is read.
    const outcome = await reconcilePipeline(deps, PIPELINE, NOW, 50);
    expect(outcome.examined).toBe(1);
    expect(await checkpoints.get(HUB_PIPELINE)).toMatchObject({ repairedTotal: outcome.repaired });
  });

  it('counts a re-read that found nothing new as no repair', async () => {
    const { record, deps, tableName, client } = await setUp();
    await record(events.slice(0, 1));
    codepipelineMock.on(ListActionExecutionsCommand).resolves({ actionExecutionDetails: [] });
    const runningAt = (lastUpdate: string) =>
      codepipelineMock.on(ListPipelineExecutionsCommand).resolves({
        pipelineExecutionSummaries: [
          { ...finalSummary, status: 'InProgress', lastUpdateTime: new Date(lastUpdate) },
        ],
      });

    // Still running long after its last event: read as stale; the first read brings its source revisions.
    runningAt('2026-11-24T11:00:00.000Z');
    const first = await reconcilePipeline(deps, PIPELINE, '2026-11-24T12:00:00.000Z', 50);
    // The second finds it still running: only the time of the read moves, which repairs nothing.
    runningAt('2026-11-24T12:30:00.000Z');
    const second = await reconcilePipeline(deps, PIPELINE, '2026-11-24T13:30:00.000Z', 50);

    expect(first.repaired).toBe(1);
    expect(second).toMatchObject({ attempted: 1, repaired: 0 });
    expect(await createCheckpointStore({ client, tableName }).get(HUB_PIPELINE)).toMatchObject({
      repairedTotal: 1,
    });
  });

  it('stops at the cap, keeps the checkpoint before what it deferred, and finishes on the next run', async () => {
    const { store, deps, tableName, client } = await setUp();
    const summaries = Array.from({ length: 5 }, (_, index) => ({
      ...finalSummary,
      pipelineExecutionId: `exec-${index}`,
      startTime: new Date(Date.parse('2026-11-24T09:00:00.000Z') + index * 60_000),
      lastUpdateTime: new Date(Date.parse('2026-11-24T09:00:30.000Z') + index * 60_000),
    })).reverse();
    answerFromFinalState(summaries);
    codepipelineMock.on(ListActionExecutionsCommand).resolves({ actionExecutionDetails: [] });

    const first = await reconcilePipeline(deps, PIPELINE, NOW, 2);
    expect(first).toMatchObject({ repaired: 2, deferred: 3, checkpoint: '2026-11-24T09:02:00.000Z' });
    expect(await store.getExecution(PIPELINE, 'exec-4')).toBeUndefined();

    // The executions it records may show what the ones recorded before lack: the checkpoint waits a run.
    const second = await reconcilePipeline(deps, PIPELINE, NOW, 50);
    expect(second).toMatchObject({ repaired: 3, deferred: 0, checkpoint: '2026-11-24T09:02:00.000Z' });
    const third = await reconcilePipeline(deps, PIPELINE, NOW, 50);
    expect(third).toMatchObject({ repaired: 0, deferred: 0, checkpoint: '2026-11-24T09:04:00.000Z' });
    const checkpoint = await createCheckpointStore({ client, tableName }).get(HUB_PIPELINE);
    expect(checkpoint).toMatchObject({ repairedTotal: 5, lastRepaired: 0 });
  });

  it('brings a deployment in progress up to date with BatchGetDeployments', async () => {
    const { store, record, deps } = await setUp();
    await record(events);
    await record([
      {
        version: '0',
        id: 'cd-01',
        'detail-type': 'CodeDeploy Deployment State-change Notification',
        source: 'aws.codedeploy',
        account: '123456789012',
        time: '2026-11-24T10:00:07.000Z',
        region: 'eu-west-1',
        resources: [],
        detail: {
          instanceGroupId: 'ig-1',
          region: 'eu-west-1',
          application: 'web-app',
          deploymentId: DEPLOYMENT_ID,
          state: 'START',
          deploymentGroup: 'production',
        },
      },
    ]);

    const outcome = await reconcilePipeline(deps, PIPELINE, NOW, 50);

    expect(outcome.repaired).toBe(1);
    expect((await store.getRun('deployment', DEPLOYMENT_ID))?.status).toEqual({
      status: 'SUCCESS',
      statusAt: '2026-11-24T10:01:59.000Z',
      attempt: 1,
    });
    expect(codedeployMock.commandCalls(BatchGetDeploymentsCommand)[0]?.args[0].input).toEqual({
      deploymentIds: [DEPLOYMENT_ID],
    });
  });
});

describe('done when: losing any single event', () => {
  it.each(events.map((event, index) => [event.id, index] as const))(
    'without %s, the reconciler rebuilds the history of the full stream',
    async (_id, index) => {
      const expected = await fullStreamHistory();
      const { store, record, deps } = await setUp();
      await record(events.filter((_, position) => position !== index));

      await reconcilePipeline(deps, PIPELINE, NOW, 50);

      expectSameHistory(await store.getExecution(PIPELINE, EXECUTION_ID), expected);
    },
  );
});

describe('done when: losing any single event of a retried execution (attempts 1 and 2)', () => {
  beforeEach(() => {
    answerFromFinalState([retriedSummary]);
    codepipelineMock
      .on(ListActionExecutionsCommand)
      .resolves({ actionExecutionDetails: retriedActionDetails });
    codedeployMock.on(BatchGetDeploymentsCommand).resolves({ deploymentsInfo: [] });
  });

  it.each(retriedEvents.map((event, index) => [event.id, index] as const))(
    'without %s, the reconciler rebuilds the history of the full stream',
    async (_id, index) => {
      const full = await setUp();
      await full.record(retriedEvents);
      const expected = await full.store.getExecution(PIPELINE, RETRIED_EXECUTION_ID);
      const { store, record, deps } = await setUp();
      await record(retriedEvents.filter((_, position) => position !== index));

      await reconcilePipeline(deps, PIPELINE, NOW, 50);

      expect(await store.getExecution(PIPELINE, RETRIED_EXECUTION_ID)).toEqual(expected);
    },
  );
});

describe('reconcileHistory', () => {
  it('starts at a different pipeline each run, so the same early ones never take every run’s budget', () => {
    const names = ['a', 'b', 'c'];
    const starts = ['2026-11-24T12:00:00Z', '2026-11-24T12:01:00Z', '2026-11-24T12:02:00Z'].map(
      (now) => rotate(names, now)[0],
    );
    expect(new Set(starts)).toEqual(new Set(names));
    expect(rotate(names, '2026-11-24T12:01:00Z').sort()).toEqual(names);
    expect(rotate([], '2026-11-24T12:01:00Z')).toEqual([]);
  });

  it('stops cleanly when the Lambda is about to time out, naming the pipelines it did not reach', async () => {
    const { deps } = await setUp();
    codepipelineMock.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [] });
    let remaining = 60_000;
    const outcome = await reconcileHistory(
      { ...deps, onPipelineFailed: () => {} },
      {
        now: NOW,
        maxRepairs: 10,
        configuredPipelines: ['p1', 'p2', 'p3', 'p4'],
        // Each check finds 20 s less: the run reaches two pipelines, then stops with 20 s left.
        remainingTimeMs: () => {
          const now = remaining;
          remaining -= 20_000;
          return now;
        },
      },
    );
    expect(outcome.pipelines).toHaveLength(2);
    expect(outcome.notReached).toHaveLength(2);
    expect([...outcome.pipelines.map((p) => p.pipeline), ...outcome.notReached].sort()).toEqual([
      'p1',
      'p2',
      'p3',
      'p4',
    ]);
  });

  it('reconciles the other pipelines when one cannot be read, and shares one cap between them', async () => {
    const { store, deps } = await setUp();
    codepipelineMock.on(ListPipelineExecutionsCommand).callsFake((input) => {
      if (input.pipelineName === 'throttled-pipeline') {
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      }
      return { pipelineExecutionSummaries: [finalSummary] };
    });
    const failures: string[] = [];

    const outcome = await reconcileHistory(
      { ...deps, onPipelineFailed: (pipeline) => failures.push(pipeline) },
      { now: NOW, maxRepairs: 1, configuredPipelines: ['throttled-pipeline', PIPELINE, 'web-app-2'] },
    );

    expect(failures).toEqual(['throttled-pipeline']);
    expect(outcome.failed).toEqual(['throttled-pipeline']);
    expect(outcome.pipelines.map((p) => [p.pipeline, p.attempted, p.deferred])).toEqual([
      [PIPELINE, 1, 0],
      ['web-app-2', 0, 1],
    ]);
    expect((await store.getExecution(PIPELINE, EXECUTION_ID))?.status?.status).toBe('SUCCEEDED');
  });

  it('walks the catalog of every account and region with that scope’s clients, one after another', async () => {
    const { store, deps } = await setUp();
    await store.notePipeline({ account: '210987654321', region: 'ap-south-1', pipeline: 'spoke-app' }, NOW);
    // A GitHub Actions pipeline has no AWS account to read it in: never reconciled (docs/other-ci.md).
    await store.notePipeline(
      { account: 'github', region: 'github.com', pipeline: 'github:acme/shop:Deploy' },
      NOW,
    );
    codepipelineMock.on(ListPipelineExecutionsCommand).resolves({ pipelineExecutionSummaries: [] });
    const scopes: object[] = [];
    const outcome = await reconcileHistory(
      {
        ...deps,
        onPipelineFailed: () => {},
        clientsFor: (scope) => {
          scopes.push(scope);
          return { pipelines: deps.pipelines, deployments: deps.deployments };
        },
      },
      { now: NOW, maxRepairs: 10, configuredPipelines: [PIPELINE] },
    );
    expect(scopes).toEqual([{ account: '210987654321', region: 'ap-south-1', pipeline: 'spoke-app' }]);
    expect(outcome.pipelines.map((result) => result.pipeline).sort()).toEqual(['spoke-app', PIPELINE].sort());
    expect(outcome.failed).toEqual([]);
  });

  it('marks a deleted catalog pipeline once and skips it afterwards, until a new execution brings it back', async () => {
    const { store, deps } = await setUp();
    await store.notePipeline('deleted-pipeline', '2026-11-01T10:00:00.000Z');
    codepipelineMock.on(ListPipelineExecutionsCommand).callsFake((input) => {
      if (input.pipelineName === 'deleted-pipeline') {
        throw Object.assign(new Error('Pipeline not found'), { name: 'PipelineNotFoundException' });
      }
      return { pipelineExecutionSummaries: [] };
    });
    const failures: string[] = [];
    const gone: [string, boolean][] = [];
    const run = () =>
      reconcileHistory(
        {
          ...deps,
          onPipelineFailed: (pipeline) => failures.push(pipeline),
          onPipelineGone: (pipeline, marked) => gone.push([pipeline, marked]),
        },
        { now: NOW, maxRepairs: 10, configuredPipelines: [] },
      );
    const listed = () =>
      codepipelineMock
        .commandCalls(ListPipelineExecutionsCommand)
        .filter((call) => call.args[0].input.pipelineName === 'deleted-pipeline').length;

    const first = await run();
    const second = await run();

    expect(first).toMatchObject({ failed: [], gone: ['deleted-pipeline'] });
    expect(second).toMatchObject({ failed: [], gone: [] });
    expect(failures).toEqual([]);
    expect(gone).toEqual([['deleted-pipeline', true]]);
    expect(listed()).toBe(1);
    expect((await store.listPipelines()).find((entry) => entry.pipeline === 'deleted-pipeline')).toEqual({
      account: '123456789012',
      region: 'eu-west-1',
      pipeline: 'deleted-pipeline',
      lastExecutionAt: '2026-11-01T10:00:00.000Z',
      deletedAt: NOW,
    });

    await store.notePipeline('deleted-pipeline', '2026-11-24T11:00:00.000Z');
    await run();
    expect(listed()).toBe(2);
  });
});
