import type { PipelineExecutionSummary } from '@aws-sdk/client-codepipeline';
import { describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../../../../functions/history/domain/execution-record';
import {
  planRepairs,
  repairReasons,
  settledShapes,
} from '../../../../functions/history/reconcile-history/plan-repairs';

const NOW = '2026-11-24T12:00:00.000Z';
const HOUR = 3_600_000;
const summary = (
  id: string,
  start: string,
  status: PipelineExecutionSummary['status'],
): PipelineExecutionSummary => ({
  pipelineExecutionId: id,
  status,
  startTime: new Date(start),
  lastUpdateTime: new Date(start),
});
const record = (overrides: Partial<ExecutionRecord> = {}): ExecutionRecord => ({
  pipeline: 'web-app',
  executionId: 'e',
  firstEventAt: '2026-11-24T10:00:00.000Z',
  lastEventAt: '2026-11-24T10:05:00.000Z',
  status: { status: 'SUCCEEDED', statusAt: '2026-11-24T10:05:00.000Z', attempt: 1 },
  sourceRevisions: [{ actionName: 'Source', revisionId: 'abc' }],
  stages: {
    Source: {
      status: { status: 'SUCCEEDED', statusAt: '2026-11-24T10:01:00.000Z', attempt: 1 },
      actions: { Source: { status: 'SUCCEEDED', statusAt: '2026-11-24T10:01:00.000Z', attempt: 1 } },
    },
  },
  ...overrides,
});
const started = { status: 'STARTED' as const, statusAt: '2026-11-24T10:00:00.000Z', attempt: 1 };

describe('repairReasons', () => {
  const finished = summary('e', '2026-11-24T10:00:00.000Z', 'Succeeded');
  const running = summary('e', '2026-11-24T10:00:00.000Z', 'InProgress');
  it.each([
    ['a record that matches', finished, record(), NOW, []],
    ['a missing record', finished, undefined, NOW, ['missing']],
    ['a lost terminal event', finished, record({ status: started }), NOW, ['ended-unrecorded']],
    [
      'an in-progress record within the threshold',
      running,
      record({ status: started }),
      '2026-11-24T10:30:00.000Z',
      [],
    ],
    ['an in-progress record past the threshold', running, record({ status: started }), NOW, ['stale']],
    [
      'a record without source revisions',
      finished,
      record({ sourceRevisions: undefined }),
      NOW,
      ['no-source-revisions'],
    ],
    [
      'a record whose STARTED was lost',
      finished,
      record({ firstEventAt: '2026-11-24T10:02:00.000Z' }),
      NOW,
      ['start-unrecorded'],
    ],
    [
      'a record whose events carried a later start-time than the API',
      finished,
      record({ startTime: '2026-11-24T10:02:00.000Z', firstEventAt: '2026-11-24T10:02:00.000Z' }),
      NOW,
      ['start-unrecorded'],
    ],
    [
      'a recorded STARTED event, stamped (whole seconds) after the start-time it carries',
      summary('e', '2026-11-24T09:59:58.412Z', 'Succeeded'),
      record({ startTime: '2026-11-24T09:59:58.412Z', firstEventAt: '2026-11-24T10:00:00.000Z' }),
      NOW,
      [],
    ],
    [
      'a recorded STARTED event without start-time (older events), a few seconds after the start',
      summary('e', '2026-11-24T09:59:58.412Z', 'Succeeded'),
      record({ firstEventAt: '2026-11-24T10:00:01.000Z' }),
      NOW,
      [],
    ],
    ['a failed record the API shows running again', running, record(), NOW, ['reopened']],
    [
      'an in-progress record exactly at the threshold',
      running,
      record({ status: started }),
      '2026-11-24T11:05:00.000Z',
      [],
    ],
    [
      'a record without a pipeline-level status (its STARTED lost), within the threshold',
      running,
      record({ status: undefined, lastEventAt: '2026-11-24T10:05:00.000Z' }),
      '2026-11-24T10:30:00.000Z',
      ['start-unrecorded'],
    ],
    [
      'a recorded start exactly at the tolerance after the API start',
      finished,
      record({ firstEventAt: '2026-11-24T10:00:05.000Z' }),
      NOW,
      [],
    ],
    [
      'a terminal record with a stage still running',
      finished,
      record({ stages: { Deploy: { status: started, actions: {} } } }),
      NOW,
      ['unfinished-stages'],
    ],
  ])('%s', (_name, api, current, now, expected) => {
    expect(repairReasons(api, current, { now, staleAfterMs: HOUR })).toEqual(expected);
  });

  it.each(['Stopped', 'Cancelled', 'Superseded'] as const)(
    'a lost terminal event (the API says %s)',
    (status) => {
      const listed = summary('e', '2026-11-24T10:00:00.000Z', status);
      expect(repairReasons(listed, record({ status: started }), { now: NOW, staleAfterMs: HOUR })).toEqual([
        'ended-unrecorded',
      ]);
    },
  );

  const retriedRecord = record({
    status: { status: 'SUCCEEDED', statusAt: '2026-11-24T10:05:00.000Z', attempt: 2 },
  });
  it('reads the actions of a retried execution once, when it is first seen settled', () => {
    expect(repairReasons(finished, retriedRecord, { now: NOW, staleAfterMs: HOUR })).toEqual(['retried']);
    expect(
      repairReasons(finished, retriedRecord, {
        now: NOW,
        staleAfterMs: HOUR,
        previousCheckpoint: '2026-11-24T09:00:00.000Z',
      }),
    ).toEqual(['retried']);
  });

  it('repairs a stage whose STARTED and end were both lost (its actions were recorded)', () => {
    const lostStage = record({
      stages: { Deploy: { actions: { Deploy: { status: 'SUCCEEDED', statusAt: NOW, attempt: 1 } } } },
    });
    expect(repairReasons(finished, lostStage, { now: NOW, staleAfterMs: HOUR })).toEqual([
      'unfinished-stages',
    ]);
  });

  it('reads a successful execution missing a stage that its pipeline version ran elsewhere', () => {
    const peers = new Map([[3, new Set(['Source', 'Source/Source', 'Deploy', 'Deploy/Deploy'])]]);
    const done = { status: 'SUCCEEDED' as const, statusAt: NOW, attempt: 1 };
    const withoutDeploy = record({
      pipelineVersion: 3,
      stages: { Source: { status: done, actions: { Source: done } } },
    });
    expect(repairReasons(finished, withoutDeploy, { now: NOW, staleAfterMs: HOUR, peers })).toEqual([
      'missing-parts',
    ]);
    const rollback = { ...withoutDeploy, executionType: 'ROLLBACK' as const };
    expect(repairReasons(finished, rollback, { now: NOW, staleAfterMs: HOUR, peers })).toEqual([]);
    const skipped = record({
      pipelineVersion: 3,
      stages: {
        ...withoutDeploy.stages,
        Deploy: { status: { status: 'SKIPPED', statusAt: NOW, attempt: 1 }, actions: {} },
      },
    });
    expect(repairReasons(finished, skipped, { now: NOW, staleAfterMs: HOUR, peers })).toEqual([]);
  });

  it('reads an execution with no stage, a stage without actions, or a failure without a failed stage', () => {
    const failed = summary('e', '2026-11-24T10:00:00.000Z', 'Failed');
    const failedAt = { status: 'FAILED' as const, statusAt: NOW, attempt: 1 };
    expect(repairReasons(finished, record({ stages: {} }), { now: NOW, staleAfterMs: HOUR })).toEqual([
      'missing-parts',
    ]);
    const emptyStage = record({ stages: { ...record().stages, Build: { status: started, actions: {} } } });
    expect(repairReasons(finished, emptyStage, { now: NOW, staleAfterMs: HOUR })).toEqual([
      'unfinished-stages',
    ]);
    const noFailedStage = record({ status: failedAt });
    expect(repairReasons(failed, noFailedStage, { now: NOW, staleAfterMs: HOUR })).toEqual(['missing-parts']);
  });

  const done = { status: 'SUCCEEDED' as const, statusAt: NOW, attempt: 1 };
  const failedAt = { status: 'FAILED' as const, statusAt: NOW, attempt: 1 };
  const skippedAt = { status: 'SKIPPED' as const, statusAt: NOW, attempt: 1 };
  const failed = summary('e', '2026-11-24T10:00:00.000Z', 'Failed');
  it.each([
    [
      'a stage that succeeded without an action',
      finished,
      { Build: { status: done, actions: {} } },
      undefined,
      ['missing-parts'],
    ],
    [
      'a stage skipped by its entry condition, without an action',
      finished,
      { Build: { status: skippedAt, actions: {} } },
      undefined,
      [],
    ],
    [
      'a failure with its failed stage',
      failed,
      { Build: { status: failedAt, actions: { Compile: failedAt } } },
      failedAt,
      [],
    ],
    [
      'a failure whose stage failed, was retried and succeeded (its first failure kept)',
      failed,
      { Build: { status: done, firstFailedAt: NOW, actions: { Compile: done } } },
      failedAt,
      [],
    ],
    [
      'a failure whose stages all succeeded',
      failed,
      { Build: { status: done, actions: { Compile: done } } },
      failedAt,
      ['missing-parts'],
    ],
  ])('%s', (_name, listed, stages, status, reasons) => {
    const recorded = record({
      ...(status ? { status } : {}),
      stages: { ...record().stages, ...(stages as ExecutionRecord['stages']) },
    });
    expect(repairReasons(listed, recorded, { now: NOW, staleAfterMs: HOUR })).toEqual(reasons);
  });

  it('judges start and review bounds inclusively from, exclusively through', () => {
    const look = (listed: PipelineExecutionSummary, options: Partial<Parameters<typeof repairReasons>[2]>) =>
      repairReasons(listed, retriedRecord, { now: NOW, staleAfterMs: HOUR, ...options });
    // Started at the checkpoint: not yet seen settled.
    expect(look(finished, { previousCheckpoint: '2026-11-24T10:00:00.000Z' })).toEqual(['retried']);
    const reviewed = (from: string, through: string) => ({
      previousCheckpoint: '2026-11-24T05:00:00.000Z',
      reviewed: { from, through },
    });
    expect(look(finished, reviewed('2026-11-24T10:00:00.000Z', '2026-11-24T11:00:00.000Z'))).toEqual([]);
    expect(look(finished, reviewed('2026-11-24T09:00:00.000Z', '2026-11-24T10:00:00.000Z'))).toEqual([
      'retried',
    ]);
    // Started before a reviewed range (and after the checkpoint): not reviewed.
    expect(look(finished, reviewed('2026-11-24T10:30:00.000Z', '2026-11-24T11:00:00.000Z'))).toEqual([
      'retried',
    ]);
    // No checkpoint yet: every settled execution is seen for the first time, reviewed range or not.
    expect(
      look(finished, { reviewed: { from: '2026-11-24T09:00:00.000Z', through: '2026-11-24T11:00:00.000Z' } }),
    ).toEqual(['retried']);
    // Listed without a start time: nothing tells whether an earlier run saw it, and its start is not judged.
    const { startTime: _none, ...noStart } = finished;
    expect(look(noStart, { previousCheckpoint: '2026-11-24T05:00:00.000Z' })).toEqual([]);
    expect(repairReasons(noStart, record(), { now: NOW, staleAfterMs: HOUR })).toEqual([]);
  });

  it('reads nothing more of an execution whose version no success has shown yet', () => {
    const peers = new Map([[3, new Set(['Source', 'Source/Source', 'Deploy', 'Deploy/Deploy'])]]);
    const ofVersion4 = record({
      pipelineVersion: 4,
      stages: { Source: { status: done, actions: { Source: done } } },
    });
    expect(repairReasons(finished, ofVersion4, { now: NOW, staleAfterMs: HOUR, peers })).toEqual([]);
  });

  it("reads an action its version's successes ran that a stage not skipped lacks, whatever else was skipped", () => {
    const peers = new Map([
      [3, new Set(['Source', 'Source/Source', 'Source/Lint', 'Deploy', 'Deploy/Deploy'])],
    ]);
    const withoutLint = record({
      pipelineVersion: 3,
      stages: {
        Source: { status: done, actions: { Source: done } },
        Deploy: { status: skippedAt, actions: {} },
      },
    });
    expect(repairReasons(finished, withoutLint, { now: NOW, staleAfterMs: HOUR, peers })).toEqual([
      'missing-parts',
    ]);
  });

  it('does not re-read a retried execution that a run cut short by the page limit already reviewed', () => {
    expect(
      repairReasons(finished, retriedRecord, {
        now: NOW,
        staleAfterMs: HOUR,
        previousCheckpoint: '2026-11-24T05:00:00.000Z',
        reviewed: { from: '2026-11-24T09:00:00.000Z', through: '2026-11-24T10:30:00.000Z' },
      }),
    ).toEqual([]);
  });

  it('does not re-read a retried execution that an earlier run already saw settled', () => {
    expect(
      repairReasons(finished, retriedRecord, {
        now: NOW,
        staleAfterMs: HOUR,
        previousCheckpoint: '2026-11-24T11:00:00.000Z',
      }),
    ).toEqual([]);
  });
});

describe('planRepairs', () => {
  const summaries = [
    summary('e3', '2026-11-24T11:00:00.000Z', 'InProgress'),
    summary('e2', '2026-11-24T10:00:00.000Z', 'Succeeded'),
    summary('e1', '2026-11-24T09:00:00.000Z', 'Succeeded'),
  ];

  it('repairs oldest first within the cap and keeps the checkpoint before the first deferred', () => {
    const plan = planRepairs({ summaries, records: new Map(), now: NOW, staleAfterMs: HOUR, cap: 1 });
    expect(plan.repairs.map((repair) => repair.executionId)).toEqual(['e1']);
    expect(plan.deferred.map((repair) => repair.executionId)).toEqual(['e2', 'e3']);
    expect(plan.checkpoint).toBe('2026-11-24T10:00:00.000Z');
  });

  it('holds the checkpoint at the oldest execution still running', () => {
    const records = new Map(
      summaries.map((s) => [
        s.pipelineExecutionId as string,
        record({
          firstEventAt: (s.startTime as Date).toISOString(),
          lastEventAt: NOW,
          ...(s.status === 'InProgress' ? { status: started } : {}),
        }),
      ]),
    );
    const plan = planRepairs({ summaries, records, now: NOW, staleAfterMs: HOUR, cap: 10 });
    expect(plan.repairs).toEqual([]);
    expect(plan.checkpoint).toBe('2026-11-24T11:00:00.000Z');
  });

  it('moves the checkpoint to the newest start once everything is settled, never back', () => {
    const settled = summaries.slice(1);
    const records = new Map(
      settled.map((s) => [
        s.pipelineExecutionId as string,
        record({ firstEventAt: (s.startTime as Date).toISOString() }),
      ]),
    );
    expect(
      planRepairs({ summaries: settled, records, now: NOW, staleAfterMs: HOUR, cap: 10 }).checkpoint,
    ).toBe('2026-11-24T10:00:00.000Z');
    expect(
      planRepairs({
        summaries: settled,
        records,
        now: NOW,
        staleAfterMs: HOUR,
        cap: 10,
        previousCheckpoint: '2026-11-24T10:30:00.000Z',
      }).checkpoint,
    ).toBe('2026-11-24T10:30:00.000Z');
  });

  it('gives repairs the API already shows are needed the cap before looks that may find nothing', () => {
    const records = new Map([
      [
        'e1',
        record({
          status: started,
          firstEventAt: '2026-11-24T09:00:00.000Z',
          lastEventAt: '2026-11-24T09:00:00.000Z',
        }),
      ],
      ['e2', record({ status: started, lastEventAt: '2026-11-24T09:00:00.000Z' })],
    ]);
    const plan = planRepairs({
      summaries: [
        summary('e1', '2026-11-24T09:00:00.000Z', 'InProgress'),
        summary('e2', '2026-11-24T10:00:00.000Z', 'Succeeded'),
      ],
      records,
      now: NOW,
      staleAfterMs: HOUR,
      cap: 1,
    });
    expect(plan.repairs.map((repair) => [repair.executionId, repair.reasons])).toEqual([
      ['e2', ['ended-unrecorded']],
    ]);
    expect(plan.deferred.map((repair) => repair.executionId)).toEqual(['e1']);
  });

  it('keeps the checkpoint at a recorded execution while a later one is missing: recorded, it may show what the earlier one lacks', () => {
    // e1 seemed whole (its only peer was itself); e2, e3 are missing, and recording them may show e1's lost stages.
    const records = new Map([['e1', record({ firstEventAt: '2026-11-24T09:00:00.000Z' })]]);
    const settled = summaries.slice(1);
    const plan = planRepairs({ summaries: settled, records, now: NOW, staleAfterMs: HOUR, cap: 10 });
    expect(plan.repairs.map((repair) => [repair.executionId, repair.reasons])).toEqual([['e2', ['missing']]]);
    expect(plan.checkpoint).toBe('2026-11-24T09:00:00.000Z');
    // Once nothing is missing, it moves on.
    const whole = new Map([...records, ['e2', record({ firstEventAt: '2026-11-24T10:00:00.000Z' })]]);
    expect(
      planRepairs({ summaries: settled, records: whole, now: NOW, staleAfterMs: HOUR, cap: 10 }).checkpoint,
    ).toBe('2026-11-24T10:00:00.000Z');
  });

  /** An execution in progress whose last event is old: a look ('stale') that may find nothing new. */
  const staleLook = (id: string, start: string) =>
    [
      summary(id, start, 'InProgress'),
      record({ status: started, firstEventAt: start, lastEventAt: start }),
    ] as const;

  it.each([
    ['missing', summary('d', '2026-11-24T11:00:00.000Z', 'Succeeded'), undefined],
    [
      'ended-unrecorded',
      summary('d', '2026-11-24T11:00:00.000Z', 'Succeeded'),
      record({ status: started, firstEventAt: '2026-11-24T11:00:00.000Z' }),
    ],
    [
      'reopened',
      summary('d', '2026-11-24T11:00:00.000Z', 'InProgress'),
      record({
        status: { status: 'FAILED', statusAt: '2026-11-24T11:05:00.000Z', attempt: 1 },
        firstEventAt: '2026-11-24T11:00:00.000Z',
      }),
    ],
    [
      'unfinished-stages',
      summary('d', '2026-11-24T11:00:00.000Z', 'Succeeded'),
      record({
        firstEventAt: '2026-11-24T11:00:00.000Z',
        stages: { ...record().stages, Deploy: { status: started, actions: {} } },
      }),
    ],
    [
      'start-unrecorded',
      summary('d', '2026-11-24T11:00:00.000Z', 'Succeeded'),
      record({ firstEventAt: '2026-11-24T11:02:00.000Z' }),
    ],
  ])('gives "%s" the cap before an older look', (reason, definite, definiteRecord) => {
    const [look, lookRecord] = staleLook('l', '2026-11-24T09:00:00.000Z');
    const plan = planRepairs({
      summaries: [look, definite],
      records: new Map([
        ['l', lookRecord],
        ['d', definiteRecord],
      ]),
      now: NOW,
      staleAfterMs: HOUR,
      cap: 1,
    });
    expect(plan.repairs.map((repair) => [repair.executionId, repair.reasons])).toEqual([['d', [reason]]]);
    expect(plan.deferred.map((repair) => repair.executionId)).toEqual(['l']);
  });

  it("takes the looks in turn, from the run's minute on, so a look that finds nothing cannot hold the cap", () => {
    const looks = ['l0', 'l1', 'l2'].map((id, index) => staleLook(id, `2026-11-24T0${7 + index}:00:00.000Z`));
    const planAt = (now: string) =>
      planRepairs({
        summaries: looks.map(([look]) => look),
        records: new Map(looks.map(([look, lookRecord]) => [look.pipelineExecutionId as string, lookRecord])),
        now,
        staleAfterMs: HOUR,
        cap: 2,
      });
    const minute = Math.floor(Date.parse(NOW) / 60_000);
    const ids = ['l0', 'l1', 'l2'];
    for (const offset of [0, 1, 2, 3]) {
      const now = new Date(Date.parse(NOW) + offset * 60_000).toISOString();
      const first = (minute + offset) % 3;
      expect(
        planAt(now).repairs.map((repair) => repair.executionId),
        now,
      ).toEqual([ids[first], ids[(first + 1) % 3]]);
    }
  });

  it('holds the checkpoint at an execution still running even when a later one has ended', () => {
    const running = summary('e2', '2026-11-24T10:00:00.000Z', 'InProgress');
    const ended = summary('e3', '2026-11-24T11:00:00.000Z', 'Succeeded');
    const records = new Map([
      ['e2', record({ status: started, firstEventAt: '2026-11-24T10:00:00.000Z', lastEventAt: NOW })],
      ['e3', record({ firstEventAt: '2026-11-24T11:00:00.000Z' })],
    ]);
    const plan = planRepairs({ summaries: [running, ended], records, now: NOW, staleAfterMs: HOUR, cap: 10 });
    expect(plan.repairs).toEqual([]);
    expect(plan.checkpoint).toBe('2026-11-24T10:00:00.000Z');
  });

  it('passes over a listed execution without an id or a start time', () => {
    const plan = planRepairs({
      summaries: [
        { pipelineExecutionId: 'no-start', status: 'Succeeded' },
        { status: 'Succeeded', startTime: new Date('2026-11-24T09:30:00.000Z') },
        summary('e1', '2026-11-24T09:00:00.000Z', 'Succeeded'),
      ],
      records: new Map(),
      now: NOW,
      staleAfterMs: HOUR,
      cap: 10,
    });
    expect(plan.repairs.map((repair) => repair.executionId)).toEqual(['e1']);
  });

  it('counts a reason the API shows as needed first, whatever look comes with it', () => {
    const [look, lookRecord] = staleLook('l', '2026-11-24T09:00:00.000Z');
    const plan = planRepairs({
      summaries: [look, summary('d', '2026-11-24T11:00:00.000Z', 'Succeeded')],
      records: new Map([
        ['l', lookRecord],
        ['d', record({ firstEventAt: '2026-11-24T11:02:00.000Z', sourceRevisions: undefined })],
      ]),
      now: NOW,
      staleAfterMs: HOUR,
      cap: 1,
    });
    expect(plan.repairs.map((repair) => [repair.executionId, repair.reasons])).toEqual([
      ['d', ['no-source-revisions', 'start-unrecorded']],
    ]);
  });

  it('does not hold the checkpoint at a rollback execution while a later one is missing', () => {
    const rollback = record({ executionType: 'ROLLBACK', firstEventAt: '2026-11-24T09:00:00.000Z' });
    const plan = planRepairs({
      summaries: [
        summary('rb', '2026-11-24T09:00:00.000Z', 'Succeeded'),
        summary('e2', '2026-11-24T10:00:00.000Z', 'Succeeded'),
      ],
      records: new Map([['rb', rollback]]),
      now: NOW,
      staleAfterMs: HOUR,
      cap: 10,
    });
    expect(plan.repairs.map((repair) => repair.executionId)).toEqual(['e2']);
    expect(plan.checkpoint).toBe('2026-11-24T10:00:00.000Z');
  });

  it('repairs nothing and keeps the checkpoint when the cap is zero', () => {
    const plan = planRepairs({
      summaries,
      records: new Map(),
      now: NOW,
      staleAfterMs: HOUR,
      cap: 0,
      previousCheckpoint: '2026-11-24T08:00:00.000Z',
    });
    expect(plan.repairs).toEqual([]);
    expect(plan.checkpoint).toBe('2026-11-24T09:00:00.000Z');
  });
});

describe('settledShapes: what successful standard executions of each version ran', () => {
  const done = { status: 'SUCCEEDED' as const, statusAt: NOW, attempt: 1 };
  const shaped = (
    version: number | undefined,
    stages: ExecutionRecord['stages'],
    extra: Partial<ExecutionRecord> = {},
  ) => record({ ...(version === undefined ? {} : { pipelineVersion: version }), stages, ...extra });
  const sourceOnly = { Source: { status: done, actions: { Source: done } } };
  const withDeploy = { ...sourceOnly, Deploy: { status: done, actions: { Blue: done, Green: done } } };

  it('passes over a record without a status', () => {
    expect(settledShapes(new Map([['x', record({ status: undefined, pipelineVersion: 1 })]]))).toEqual(
      new Map(),
    );
  });

  it('unions the stages and actions of each version, from plain successes only', () => {
    const records = new Map<string, ExecutionRecord | undefined>([
      ['a', shaped(3, sourceOnly)],
      ['b', shaped(3, withDeploy)],
      ['c', shaped(4, { Build: { status: done, actions: { Compile: done } } })],
      ['failed', shaped(4, withDeploy, { status: { status: 'FAILED', statusAt: NOW, attempt: 1 } })],
      ['rollback', shaped(4, withDeploy, { executionType: 'ROLLBACK' })],
      ['unversioned', shaped(undefined, withDeploy)],
      ['missing', undefined],
    ]);
    expect([...settledShapes(records)].map(([version, parts]) => [version, [...parts].sort()])).toEqual([
      [3, ['Deploy', 'Deploy/Blue', 'Deploy/Green', 'Source', 'Source/Source']],
      [4, ['Build', 'Build/Compile']],
    ]);
  });

  it('starts from the shapes earlier runs kept, and adds to them', () => {
    const records = new Map<string, ExecutionRecord | undefined>([['a', shaped(3, sourceOnly)]]);
    expect(
      [...settledShapes(records, { '3': ['Deploy', 'Deploy/Blue'], '2': ['Old'] })].map(
        ([version, parts]) => [version, [...parts].sort()],
      ),
    ).toEqual([
      [2, ['Old']],
      [3, ['Deploy', 'Deploy/Blue', 'Source', 'Source/Source']],
    ]);
  });
});

describe('repairReasons: unfinished stages of a terminal record', () => {
  const finished = summary('e', '2026-11-24T10:00:00.000Z', 'Succeeded');
  const at = (status: string) => ({ status, statusAt: NOW, attempt: 1 }) as ExecutionRecord['status'] & {};
  it.each([
    ['a stage with no status', { actions: { A: at('SUCCEEDED') } }, ['unfinished-stages']],
    [
      'a stage still STARTED',
      { status: at('STARTED'), actions: { A: at('SUCCEEDED') } },
      ['unfinished-stages'],
    ],
    ['a stage RESUMED', { status: at('RESUMED'), actions: { A: at('SUCCEEDED') } }, ['unfinished-stages']],
    ['a stage STOPPING', { status: at('STOPPING'), actions: { A: at('SUCCEEDED') } }, ['unfinished-stages']],
    [
      'an action still STARTED',
      { status: at('SUCCEEDED'), actions: { A: at('STARTED') } },
      ['unfinished-stages'],
    ],
    ['a stage and action that ended', { status: at('SUCCEEDED'), actions: { A: at('FAILED') } }, []],
    ['a stage STOPPED', { status: at('STOPPED'), actions: { A: at('STOPPED') } }, []],
  ])('%s', (_name, stage, reasons) => {
    const stages = { ...record().stages, Deploy: stage as ExecutionRecord['stages'][string] };
    expect(repairReasons(finished, record({ stages }), { now: NOW, staleAfterMs: HOUR })).toEqual(reasons);
  });
});
