import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActionRecord, ExecutionRecord } from '../../../functions/history/domain/execution-record';
import {
  type ExecutionObservation,
  executionStartTime,
  hasSourceRevisions,
  isTerminal,
  mergeAll,
  mergeExecution,
} from '../../../functions/history/domain/merge-execution';

/**
 * Field by field, with exact results: which observation sets which field, and what two observations that
 * disagree end in, whichever arrives first.
 */
const T0 = '2026-11-20T10:00:00.000Z';
const T1 = '2026-11-20T10:01:00.000Z';
const T2 = '2026-11-20T10:02:00.000Z';

const base = { pipeline: 'web', executionId: 'exec-1' } as const;

const pipeline = (
  status: 'STARTED' | 'SUCCEEDED' | 'FAILED' | 'STOPPING',
  at: string,
  extra: Partial<Extract<ExecutionObservation, { kind: 'pipeline' }>> = {},
): ExecutionObservation => ({
  ...base,
  kind: 'pipeline',
  at,
  status: { status, statusAt: at, attempt: 1 },
  ...extra,
});

const details = (
  extra: Partial<Extract<ExecutionObservation, { kind: 'details' }>>,
): ExecutionObservation => ({
  ...base,
  kind: 'details',
  at: T1,
  ...extra,
});

const action = (record: Partial<ActionRecord>, at = T1): ExecutionObservation => ({
  ...base,
  kind: 'action',
  at,
  stage: 'Deploy',
  action: 'Deploy',
  record: { status: 'STARTED', statusAt: at, attempt: 1, ...record },
});

const stage = (
  status: 'STARTED' | 'FAILED' | 'SUCCEEDED',
  at: string,
  lastRetryAt?: string,
): ExecutionObservation => ({
  ...base,
  kind: 'stage',
  at,
  stage: 'Deploy',
  status: { status, statusAt: at, attempt: 1 },
  ...(lastRetryAt ? { lastRetryAt } : {}),
});

/** Both delivery orders must give this exact record field. */
function bothOrders(a: ExecutionObservation, b: ExecutionObservation): ExecutionRecord[] {
  return [mergeAll([a, b]) as ExecutionRecord, mergeAll([b, a]) as ExecutionRecord];
}

describe('execution type: ROLLBACK executions are told apart (DORA depends on it)', () => {
  it.each(['ManualRollback', 'AutomatedRollback'])(
    'a pipeline event triggered by %s marks a ROLLBACK',
    (type) => {
      expect(mergeAll([pipeline('STARTED', T0, { trigger: { type } })])?.executionType).toBe('ROLLBACK');
    },
  );

  it('a pipeline event with any other trigger sets no execution type', () => {
    const record = mergeAll([pipeline('STARTED', T0, { trigger: { type: 'Webhook' } })]);
    expect(record).not.toHaveProperty('executionType');
    expect(mergeAll([pipeline('STARTED', T0)])).not.toHaveProperty('executionType');
  });

  it('details marked ROLLBACK, or triggered by a rollback, mark a ROLLBACK', () => {
    expect(mergeAll([details({ executionType: 'ROLLBACK' })])?.executionType).toBe('ROLLBACK');
    expect(
      mergeAll([details({ executionType: 'STANDARD', trigger: { type: 'AutomatedRollback' } })])
        ?.executionType,
    ).toBe('ROLLBACK');
    expect(mergeAll([details({ trigger: { type: 'ManualRollback' } })])?.executionType).toBe('ROLLBACK');
  });

  it('STANDARD details neither hide an earlier ROLLBACK nor invent one', () => {
    for (const record of bothOrders(
      pipeline('STARTED', T0, { trigger: { type: 'ManualRollback' } }),
      details({ executionType: 'STANDARD', trigger: { type: 'Webhook' } }),
    )) {
      expect(record.executionType).toBe('ROLLBACK');
    }
    expect(
      mergeAll([details({ executionType: 'STANDARD', trigger: { type: 'Webhook' } })])?.executionType,
    ).toBe('STANDARD');
  });
});

describe('deployments and builds an execution started', () => {
  it('records CodeBuild ids as builds and CodeDeploy ids as deployments, sorted and without duplicates', () => {
    const record = mergeAll([
      action({ provider: 'CodeBuild', externalExecutionId: 'build-b' }),
      action({ provider: 'CodeDeploy', externalExecutionId: 'd-2' }),
      action({ provider: 'CodeBuild', externalExecutionId: 'build-a' }),
      action({ provider: 'CodeDeployToECS', externalExecutionId: 'd-1' }),
      action({ provider: 'CodeBuild', externalExecutionId: 'build-a' }),
    ]);
    expect(record?.buildIds).toEqual(['build-a', 'build-b']);
    expect(record?.deploymentIds).toEqual(['d-1', 'd-2']);
  });

  it('records neither for other providers, a missing provider, or an action without an external id', () => {
    for (const observation of [
      action({ provider: 'Lambda', externalExecutionId: 'fn-1' }),
      action({ externalExecutionId: 'x-1' }),
      action({ provider: 'CodeBuild' }),
      action({ provider: 'CodeDeploy' }),
      action({ provider: 'CodeBuild', externalExecutionId: '' }),
    ]) {
      const record = mergeAll([observation]);
      expect(record).not.toHaveProperty('buildIds');
      expect(record).not.toHaveProperty('deploymentIds');
    }
  });

  it('keeps the later action status, whichever arrives first', () => {
    for (const record of bothOrders(
      action({ status: 'STARTED' }, T0),
      action({ status: 'SUCCEEDED', statusAt: T2 }, T2),
    )) {
      expect(record.stages.Deploy?.actions.Deploy?.status).toBe('SUCCEEDED');
    }
  });
});

describe('times', () => {
  it('takes the earliest start and first event, the latest last event, the highest version', () => {
    for (const record of bothOrders(
      pipeline('STARTED', T1, { startTime: T1, pipelineVersion: 3 }),
      pipeline('STARTED', T0, { startTime: T0, pipelineVersion: 2 }),
    )) {
      expect(record).toMatchObject({ startTime: T0, firstEventAt: T0, lastEventAt: T1, pipelineVersion: 3 });
    }
  });

  it('keeps a version and a start time that only one observation carried', () => {
    for (const record of bothOrders(
      pipeline('STARTED', T0, { pipelineVersion: 4, startTime: T0 }),
      stage('STARTED', T1),
    )) {
      expect(record.pipelineVersion).toBe(4);
      expect(record.startTime).toBe(T0);
    }
  });

  it('ends when, and only when, the pipeline status is terminal', () => {
    expect(mergeAll([pipeline('SUCCEEDED', T2)])?.endTime).toBe(T2);
    expect(mergeAll([pipeline('FAILED', T1)])?.endTime).toBe(T1);
    expect(mergeAll([pipeline('STOPPING', T1)])).not.toHaveProperty('endTime');
    expect(mergeAll([stage('FAILED', T1)])).not.toHaveProperty('endTime');
    expect(isTerminal(mergeAll([pipeline('FAILED', T1)]) as ExecutionRecord)).toBe(true);
    expect(isTerminal(mergeAll([pipeline('STARTED', T1)]) as ExecutionRecord)).toBe(false);
    expect(isTerminal(mergeAll([stage('FAILED', T1)]) as ExecutionRecord)).toBe(false);
  });

  it('starts at the start time when known, else at the first event', () => {
    expect(
      executionStartTime(mergeAll([pipeline('STARTED', T1, { startTime: T0 })]) as ExecutionRecord),
    ).toBe(T0);
    expect(executionStartTime(mergeAll([pipeline('STARTED', T1)]) as ExecutionRecord)).toBe(T1);
  });
});

describe('stages', () => {
  it('keeps the earliest FAILED time of a stage, and none for other states', () => {
    for (const record of bothOrders(stage('FAILED', T2), stage('FAILED', T1))) {
      expect(record.stages.Deploy?.firstFailedAt).toBe(T1);
    }
    expect(mergeAll([stage('SUCCEEDED', T1)])?.stages.Deploy).not.toHaveProperty('firstFailedAt');
    expect(mergeAll([stage('STARTED', T1)])?.stages.Deploy).not.toHaveProperty('firstFailedAt');
  });

  it('keeps the latest retry time', () => {
    for (const record of bothOrders(stage('STARTED', T1, T1), stage('STARTED', T2, T2))) {
      expect(record.stages.Deploy?.lastRetryAt).toBe(T2);
    }
  });
});

describe('observations that disagree on a chosen field', () => {
  it('merges triggers field by field and picks the same value for a disagreeing field in either order', () => {
    for (const record of bothOrders(
      pipeline('STARTED', T0, { trigger: { type: 'Webhook', commitId: 'bbb' } }),
      details({ trigger: { type: 'StartPipelineExecution', author: 'ana', commitId: 'aaa' } }),
    )) {
      expect(record.trigger).toEqual({ type: 'StartPipelineExecution', author: 'ana', commitId: 'aaa' });
    }
  });

  it('picks the same rollback target in either order', () => {
    for (const record of bothOrders(
      details({ rollbackTargetExecutionId: 'exec-b' }),
      details({ rollbackTargetExecutionId: 'exec-a' }),
    )) {
      expect(record.rollbackTargetExecutionId).toBe('exec-a');
    }
  });

  it('unions source revisions by action, sorted, and merges the same action field by field', () => {
    for (const record of bothOrders(
      details({
        sourceRevisions: [
          { actionName: 'Source', revisionId: 'r2' },
          { actionName: 'Infra', revisionId: 'i1' },
        ],
      }),
      details({ sourceRevisions: [{ actionName: 'Source', revisionId: 'r1', summary: 'fix' }] }),
    )) {
      expect(record.sourceRevisions).toEqual([
        { actionName: 'Infra', revisionId: 'i1' },
        { actionName: 'Source', revisionId: 'r1', summary: 'fix' },
      ]);
      expect(hasSourceRevisions(record)).toBe(true);
    }
  });

  it('treats an empty list of revisions as unknown', () => {
    const record = mergeAll([details({ sourceRevisions: [] })]);
    expect(record).not.toHaveProperty('sourceRevisions');
    expect(hasSourceRevisions(record)).toBe(false);
    expect(hasSourceRevisions(undefined)).toBe(false);
    expect(hasSourceRevisions({ ...(record as ExecutionRecord), sourceRevisions: [] })).toBe(false);
  });
});

describe('mergeAll', () => {
  it('starts from the given record', () => {
    const start = mergeExecution(undefined, pipeline('STARTED', T0));
    expect(mergeAll([], start)).toBe(start);
    expect(mergeAll([])).toBeUndefined();
    expect(mergeAll([pipeline('SUCCEEDED', T1)], start)?.status?.status).toBe('SUCCEEDED');
  });
});

describe('observations that disagree, in any order (property)', () => {
  const time = fc.constantFrom(T0, T1, T2);
  const word = fc.constantFrom('a', 'b', 'c');
  /** Few values, so that observations often share a timestamp and disagree on a field. */
  const observation: fc.Arbitrary<ExecutionObservation> = fc.oneof(
    fc
      .record({
        at: time,
        status: fc.constantFrom('STARTED', 'SUCCEEDED', 'FAILED', 'STOPPING'),
        type: fc.constantFrom('Webhook', 'ManualRollback', 'StartPipelineExecution'),
        commitId: word,
      })
      .map(({ at, status, type, commitId }) =>
        pipeline(status as 'STARTED', at, { trigger: { type, commitId }, startTime: at }),
      ),
    fc
      .record({
        at: time,
        target: word,
        author: word,
        executionType: fc.constantFrom('STANDARD', 'ROLLBACK', undefined),
        revision: word,
      })
      .map(({ at, target, author, executionType, revision }) => ({
        ...details({
          rollbackTargetExecutionId: `exec-${target}`,
          trigger: { author },
          sourceRevisions: [{ actionName: revision === 'a' ? 'Infra' : 'Source', revisionId: revision }],
          ...(executionType ? { executionType: executionType as 'STANDARD' } : {}),
        }),
        at,
      })),
    fc
      .record({ at: time, status: fc.constantFrom('STARTED', 'FAILED', 'SUCCEEDED'), retry: fc.option(time) })
      .map(({ at, status, retry }) => stage(status as 'STARTED', at, retry ?? undefined)),
    fc
      .record({
        at: time,
        status: fc.constantFrom('STARTED', 'SUCCEEDED', 'FAILED'),
        provider: fc.constantFrom('CodeBuild', 'CodeDeploy', 'Lambda'),
        id: word,
        summary: word,
      })
      .map(({ at, status, provider, id, summary }) =>
        action(
          {
            status: status as 'STARTED',
            statusAt: at,
            provider,
            externalExecutionId: `${provider}-${id}`,
            summary,
          },
          at,
        ),
      ),
  );

  it('ends in the same record whatever the order and however often each arrives', () => {
    fc.assert(
      fc.property(
        fc
          .array(observation, { minLength: 1, maxLength: 8 })
          .chain((list) =>
            fc.tuple(
              fc.constant(list),
              fc.shuffledSubarray([...list, ...list], { minLength: list.length * 2 }),
            ),
          ),
        ([list, reordered]) => {
          expect(mergeAll(reordered)).toEqual(mergeAll(list));
        },
      ),
      { numRuns: 300 },
    );
  });
});
