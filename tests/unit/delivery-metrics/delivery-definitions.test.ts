import { describe, expect, it } from 'vitest';
import { deliveryMetricsFor } from '../../../functions/delivery-metrics/domain/delivery-metrics';
import {
  type AlarmIncident,
  type DeliveryExecution,
  deliveryTimeline,
} from '../../../functions/delivery-metrics/domain/delivery-timeline';
import { productionStageOf } from '../../../functions/delivery-metrics/domain/production-stage';
import type { ExecutionRecord } from '../../../functions/history/domain/execution-record';
import { execution, HOUR } from './dora-fixtures';

/**
 * The definitions table of docs/dora-metrics.md, one row per case: what an execution that follows a
 * deployment (`live`, Production succeeded at 09:30) counts as, with the production stage known.
 */
const WINDOW = { failureWindowMs: 24 * HOUR, productionStage: 'Production' };
const live = execution({
  id: 'live',
  start: '2026-11-16T09:00:00.000Z',
  status: 'SUCCEEDED',
  productionStatus: 'SUCCEEDED',
  productionAt: '2026-11-16T09:30:00.000Z',
});
const at = (hhmm: string) => `2026-11-16T${hhmm}:00.000Z`;

/** The execution that follows `live`, in each case the table and the EMF table share. */
const next = { id: 'x', start: at('10:00'), productionAt: at('10:30') };
const after = {
  deployed: execution({ ...next, status: 'SUCCEEDED', productionStatus: 'SUCCEEDED' }),
  failed: execution({ ...next, status: 'FAILED', productionStatus: 'FAILED', failedAt: at('10:30') }),
  gateBlocked: execution({
    ...next,
    status: 'FAILED',
    productionStatus: 'FAILED',
    failedAt: at('10:30'),
    gate: true,
  }),
  skipped: execution({ ...next, status: 'SUCCEEDED', productionStatus: 'SKIPPED' }),
  rollbackOfBuild: execution({ id: 'x', start: at('10:00'), status: 'SUCCEEDED', rollbackOf: 'Build' }),
};

type Row = [
  string,
  DeliveryExecution,
  { deployments: string[]; failure?: string; gateBlocks?: number; cause?: string },
];

const rows: Row[] = [
  [
    'a forward execution whose production stage succeeded: a deployment',
    after.deployed,
    { deployments: ['live', 'x'] },
  ],
  [
    'a production stage that failed after its actions ran: a change failure of the live deployment',
    after.failed,
    { deployments: ['live'], failure: 'x', cause: 'failed-execution' },
  ],
  [
    'a failed production stage retried to success: a deployment, and the first failure still counts',
    execution({
      id: 'x',
      start: at('10:00'),
      status: 'SUCCEEDED',
      productionStatus: 'SUCCEEDED',
      productionAt: at('11:00'),
      failedAt: at('10:30'),
    }),
    { deployments: ['live', 'x'], failure: 'x', cause: 'failed-execution' },
  ],
  [
    'an entry condition failed the production stage (no action ran): a gate block, no change failure',
    after.gateBlocked,
    { deployments: ['live'], gateBlocks: 1 },
  ],
  [
    'an entry condition skipped the production stage (the pipeline SUCCEEDED): no deployment',
    after.skipped,
    { deployments: ['live'] },
  ],
  [
    'a rollback execution of the production stage: a restore, and a change failure of the live deployment',
    execution({
      id: 'x',
      start: at('10:00'),
      status: 'SUCCEEDED',
      productionStatus: 'SUCCEEDED',
      productionAt: at('10:05'),
      rollback: true,
    }),
    { deployments: ['live'], failure: 'x', cause: 'rollback' },
  ],
  [
    'a rollback execution of another stage (Build): neither a deployment nor a failure',
    after.rollbackOfBuild,
    { deployments: ['live'] },
  ],
  [
    'a SUPERSEDED execution (a newer one took its place before production): nothing',
    execution({ id: 'x', start: at('10:00'), status: 'SUPERSEDED' }),
    { deployments: ['live'] },
  ],
  [
    'a QUEUED-mode execution that fails in production: a change failure, as in SUPERSEDED mode',
    execution({
      id: 'x',
      start: at('10:00'),
      status: 'FAILED',
      productionStatus: 'FAILED',
      productionAt: at('10:30'),
      failedAt: at('10:30'),
      executionMode: 'QUEUED',
    }),
    { deployments: ['live'], failure: 'x', cause: 'failed-execution' },
  ],
  [
    'a failure exactly at the end of the window (24 h after the deployment): not attributed',
    execution({
      id: 'x',
      start: at('10:00'),
      status: 'FAILED',
      productionStatus: 'FAILED',
      productionAt: '2026-11-17T09:30:00.000Z',
      failedAt: '2026-11-17T09:30:00.000Z',
    }),
    { deployments: ['live'] },
  ],
  [
    'a failure one millisecond inside the window: attributed',
    execution({
      id: 'x',
      start: at('10:00'),
      status: 'FAILED',
      productionStatus: 'FAILED',
      productionAt: '2026-11-17T09:29:59.999Z',
      failedAt: '2026-11-17T09:29:59.999Z',
    }),
    { deployments: ['live'], failure: 'x', cause: 'failed-execution' },
  ],
];

describe('delivery definitions, case by case (production stage known)', () => {
  it.each(rows)('%s', (_case, next, expected) => {
    const timeline = deliveryTimeline('shop', [live, next], [], WINDOW);
    expect(timeline.deployments.map((d) => d.executionId)).toEqual(expected.deployments);
    const failed = timeline.deployments.find((d) => d.changeFailure);
    expect(failed?.changeFailure?.source).toBe(expected.failure);
    if (expected.cause) expect(failed?.changeFailure?.cause).toBe(expected.cause);
    expect(timeline.gateBlocks).toHaveLength(expected.gateBlocks ?? 0);
  });

  it('a rollback of the production stage restores the failure it follows', () => {
    const failing = after.failed;
    const rollback = execution({
      id: 'rb',
      start: at('10:40'),
      status: 'SUCCEEDED',
      productionStatus: 'SUCCEEDED',
      productionAt: at('10:50'),
      rollback: true,
    });
    const [deployment] = deliveryTimeline('shop', [live, failing, rollback], [], WINDOW).deployments;
    expect(deployment).toMatchObject({ restoredAt: at('10:50'), restoreMs: 20 * 60_000 });
  });
});

describe('PARALLEL mode: each execution stands alone', () => {
  const parallel = (options: Parameters<typeof execution>[0]) =>
    execution({ ...options, executionMode: 'PARALLEL' });
  // A starts first; B starts later and succeeds first; then A fails in production.
  const a = parallel({
    id: 'A',
    start: at('10:00'),
    status: 'FAILED',
    productionStatus: 'FAILED',
    productionAt: at('11:00'),
    failedAt: at('11:00'),
  });
  const b = parallel({
    id: 'B',
    start: at('10:10'),
    status: 'SUCCEEDED',
    productionStatus: 'SUCCEEDED',
    productionAt: at('10:40'),
  });

  it.each<[string, DeliveryExecution[], string | undefined]>([
    ['with no earlier deployment, nothing is charged', [a, b], undefined],
    [
      'with a deployment started before A, that one is charged, never the later-started B',
      [live, a, b],
      'live',
    ],
  ])('%s', (_case, executions, charged) => {
    const timeline = deliveryTimeline('shop', executions, [], WINDOW);
    expect(timeline.deployments.find((d) => d.executionId === 'B')?.changeFailure).toBeUndefined();
    expect(timeline.deployments.find((d) => d.changeFailure)?.executionId).toBe(charged);
  });

  it('in SUPERSEDED mode the same order charges the live deployment B (executions pass production one at a time)', () => {
    const { executionMode: _a, ...sequentialA } = a;
    const { executionMode: _b, ...sequentialB } = b;
    const timeline = deliveryTimeline('shop', [sequentialA, sequentialB], [], WINDOW);
    expect(timeline.deployments.find((d) => d.changeFailure)?.executionId).toBe('B');
  });

  it('the mode may come from the options (the recorder reads it from the declaration)', () => {
    const { executionMode: _a, ...plainA } = a;
    const { executionMode: _b, ...plainB } = b;
    const timeline = deliveryTimeline('shop', [plainA, plainB], [], { ...WINDOW, executionMode: 'PARALLEL' });
    expect(timeline.deployments.find((d) => d.changeFailure)).toBeUndefined();
  });
});

describe('alarm incidents linked to an execution that did not deploy', () => {
  const failing = execution({
    id: 'x',
    start: at('10:00'),
    status: 'FAILED',
    productionStatus: 'FAILED',
    productionAt: at('11:00'),
    failedAt: at('11:00'),
    deploymentIds: ['d-X'],
  });

  it.each<[string, AlarmIncident, string | undefined]>([
    [
      'by execution id: attributed to the live deployment',
      { at: at('10:45'), alarmName: 'errors', executionId: 'x' },
      'errors',
    ],
    [
      'by CodeDeploy id: attributed to the live deployment',
      { at: at('10:45'), alarmName: 'errors', deploymentId: 'd-X' },
      'errors',
    ],
    [
      "to another pipeline's execution: ignored",
      { at: at('10:45'), alarmName: 'errors', executionId: 'elsewhere' },
      'x',
    ],
  ])('%s', (_case, incident, source) => {
    const [deployment] = deliveryTimeline('shop', [live, failing], [incident], WINDOW).deployments;
    expect(deployment?.changeFailure?.source).toBe(source);
  });
});

describe('the production stage without configuration or declaration (inferred, last resort)', () => {
  // Source → Build → Production → Verify
  const stages = (id: string, start: string, names: string[], status = 'SUCCEEDED'): ExecutionRecord => {
    const base = Date.parse(start);
    const record: ExecutionRecord = {
      pipeline: 'shop',
      executionId: id,
      startTime: start,
      firstEventAt: start,
      lastEventAt: start,
      status: { status: 'SUCCEEDED', statusAt: new Date(base + 3_600_000).toISOString(), attempt: 1 },
      endTime: new Date(base + 3_600_000).toISOString(),
      stages: {},
    };
    names.forEach((name, index) => {
      record.stages[name] = {
        status: {
          status: status as 'SUCCEEDED',
          statusAt: new Date(base + index * 60_000).toISOString(),
          attempt: 1,
        },
        actions: {},
      };
    });
    return record;
  };
  const all = ['Source', 'Build', 'Production', 'Verify'];

  it.each<[string, ExecutionRecord[], string]>([
    ['the last stage of forward successes', [stages('1', at('09:00'), all)], 'Verify'],
    [
      'a newer rollback execution of Production does not move it',
      [
        stages('1', at('09:00'), all),
        { ...stages('2', at('10:00'), ['Production']), executionType: 'ROLLBACK' },
      ],
      'Verify',
    ],
    [
      "one execution whose last stage's SUCCEEDED was lost does not move it",
      [
        stages('1', at('09:00'), all),
        stages('2', at('10:00'), all),
        stages('3', at('11:00'), ['Source', 'Build', 'Production']),
      ],
      'Verify',
    ],
    [
      'an execution whose last stage an entry condition skipped does not move it',
      [
        stages('1', at('09:00'), all),
        {
          ...stages('2', at('10:00'), ['Source', 'Build', 'Production']),
          stages: {
            ...stages('2', at('10:00'), ['Source', 'Build', 'Production']).stages,
            ...stages('2', at('10:00'), ['Verify'], 'SKIPPED').stages,
          },
        },
      ],
      'Verify',
    ],
  ])('%s', (_case, executions, expected) => {
    expect(productionStageOf(executions)).toBe(expected);
  });

  it('a declared stage on each execution wins over inference, whatever happened to end last', () => {
    const declared = (record: ExecutionRecord): DeliveryExecution => ({
      ...record,
      productionStage: 'Verify',
    });
    const rollback = { ...stages('2', at('10:00'), ['Production']), executionType: 'ROLLBACK' as const };
    const timeline = deliveryTimeline(
      'shop',
      [declared(stages('1', at('09:00'), all)), declared(rollback)],
      [],
      {
        failureWindowMs: 24 * HOUR,
      },
    );
    expect(timeline.productionStage).toBe('Verify');
    expect(timeline.deployments.map((d) => d.executionId)).toEqual(['1']);
  });
});

describe('EMF metrics per case (the recorder, production stage known)', () => {
  const running = (record: ExecutionRecord): ExecutionRecord => {
    const { endTime: _end, ...rest } = record;
    const stages = Object.fromEntries(
      Object.entries(record.stages).filter(([name]) => name !== 'Production'),
    );
    return {
      ...rest,
      stages,
      status: { status: 'STARTED', statusAt: record.startTime as string, attempt: 1 },
    };
  };
  const names = (metrics: { name: string; value: number }[]) => metrics.map((m) => `${m.name}=${m.value}`);

  it.each<[string, ExecutionRecord, string[]]>([
    ['an entry-condition skip of production: no Deployments', after.skipped, []],
    [
      'a gate block: GateBlocks, not ChangeFailures',
      after.gateBlocked,
      ['GateBlocks=1', 'FailedExecutions=1'],
    ],
    ['a failed deployment: ChangeFailures', after.failed, ['ChangeFailures=1', 'FailedExecutions=1']],
    ['a rollback of another stage: RollbackExecutions only', after.rollbackOfBuild, ['RollbackExecutions=1']],
  ])('%s', (_case, next, expected) => {
    const previous = { ...running(next), executionType: undefined };
    expect(names(deliveryMetricsFor(previous, next, [live, next], WINDOW))).toEqual(expected);
  });

  it('an entry-condition skip counts no Deployments either when the stage is inferred', () => {
    const skipped = after.skipped;
    const metrics = deliveryMetricsFor(running(skipped), skipped, [live, skipped], {
      failureWindowMs: 24 * HOUR,
    });
    expect(names(metrics)).toEqual([]);
  });
});
