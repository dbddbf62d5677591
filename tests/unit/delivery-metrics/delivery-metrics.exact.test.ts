import { describe, expect, it } from 'vitest';
import {
  type DeliveryMetric,
  deliveryMetricsFor,
} from '../../../functions/delivery-metrics/domain/delivery-metrics';
import type { ExecutionRecord } from '../../../functions/history/domain/execution-record';
import { execution, HOUR, running, shop } from './dora-fixtures';

const options = { failureWindowMs: 24 * HOUR };
const [e1, e2, e3] = shop as [ExecutionRecord, ExecutionRecord, ExecutionRecord];
const count = (name: DeliveryMetric['name'], value = 1): DeliveryMetric => ({ name, unit: 'Count', value });
const seconds = (name: DeliveryMetric['name'], value: number): DeliveryMetric => ({
  name,
  unit: 'Seconds',
  value,
});

describe('deliveryMetricsFor: the exact metrics of one write', () => {
  it('a deployment and its lead time when the execution ends', () => {
    expect(deliveryMetricsFor(running(e1), e1, [e1], options)).toEqual([
      count('Deployments'),
      seconds('LeadTime', 5400),
    ]);
  });

  it("a pipeline's first write that is already the success counts it too", () => {
    expect(deliveryMetricsFor(undefined, e1, [e1], options)).toEqual([
      count('Deployments'),
      seconds('LeadTime', 5400),
    ]);
  });

  it('a failure, the failed execution, then the restore with its lead time', () => {
    const failing = running(e2);
    const { Production: _production, ...earlierStages } = e2.stages;
    expect(deliveryMetricsFor({ ...failing, stages: earlierStages }, failing, [e1, e2], options)).toEqual([
      count('ChangeFailures'),
    ]);
    expect(deliveryMetricsFor(failing, e2, [e1, e2], options)).toEqual([count('FailedExecutions')]);
    // Stage events came first: the record had no pipeline status yet.
    const { status: _status, ...noStatus } = failing;
    expect(deliveryMetricsFor(noStatus, e2, [e1, e2], options)).toEqual([count('FailedExecutions')]);
    expect(deliveryMetricsFor(undefined, e2, [e1, e2], options)).toEqual([
      count('ChangeFailures'),
      count('FailedExecutions'),
    ]);
    expect(deliveryMetricsFor(running(e3), e3, [e1, e2, e3], options)).toEqual([
      count('Deployments'),
      seconds('LeadTime', 3600),
      seconds('TimeToRestore', 7800),
    ]);
  });

  it.each([
    ['a deployment', e1, [e1]],
    ['a failed execution', e2, [e1, e2]],
    ['a restore', e3, [e1, e2, e3]],
  ])('a duplicate write of %s counts nothing', (_case, record, recent) => {
    expect(deliveryMetricsFor(record, record, recent, options)).toEqual([]);
  });

  it('with a configured stage: counted when the stage succeeds, and once only', () => {
    const configured = { ...options, productionStage: 'Production' };
    const { Production: _production, ...earlierStages } = e1.stages;
    const deploying = { ...running(e1), stages: earlierStages };
    const deployed = running(e1);
    expect(deliveryMetricsFor(deploying, deployed, [deployed], configured)).toEqual([
      count('Deployments'),
      seconds('LeadTime', 5400),
    ]);
    expect(deliveryMetricsFor(deployed, e1, [e1], configured)).toEqual([]);
    const { Production: _e3Production, ...e3EarlierStages } = e3.stages;
    expect(
      deliveryMetricsFor({ ...running(e3), stages: e3EarlierStages }, e3, [e1, e2, e3], configured),
      // Per deployment in time order: the restore is e1's (its failure was restored), then e3 deploys.
    ).toEqual([seconds('TimeToRestore', 7800), count('Deployments'), seconds('LeadTime', 3600)]);
    // The stage's success was already counted before the execution's end.
    expect(deliveryMetricsFor(running(e3), e3, [e1, e2, e3], configured)).toEqual([]);
  });

  it('a success whose production stage skipped deploys nothing', () => {
    const skipped = execution({
      id: 's1',
      start: '2026-11-16T15:00:00.000Z',
      committed: '2026-11-16T14:00:00.000Z',
      status: 'SUCCEEDED',
      productionStatus: 'SKIPPED',
      productionAt: '2026-11-16T15:10:00.000Z',
    });
    expect(deliveryMetricsFor(running(skipped), skipped, [e1, skipped], options)).toEqual([]);
  });

  it('a rollback that succeeds is no deployment: a rollback and the change failure it answers', () => {
    const rolledBack = execution({
      id: 'r1',
      start: '2026-11-16T10:00:00.000Z',
      committed: '2026-11-16T07:00:00.000Z',
      status: 'SUCCEEDED',
      productionStatus: 'SUCCEEDED',
      productionAt: '2026-11-16T10:10:00.000Z',
      rollback: true,
    });
    // It fails e1 when it starts (10:00) and restores service when its production stage succeeds (10:10).
    expect(deliveryMetricsFor(undefined, rolledBack, [e1, rolledBack], options)).toEqual([
      seconds('TimeToRestore', 600),
      count('ChangeFailures'),
      count('RollbackExecutions'),
    ]);
  });

  it('a gate that kept production closed is a gate block and a failed execution, no change failure', () => {
    const blocked = execution({
      id: 'g1',
      start: '2026-11-16T11:00:00.000Z',
      status: 'FAILED',
      productionStatus: 'FAILED',
      productionAt: '2026-11-16T11:05:00.000Z',
      failedAt: '2026-11-16T11:05:00.000Z',
      gate: true,
    });
    const { Production: _production, ...earlierStages } = blocked.stages;
    const beforeGate = { ...running(blocked), stages: earlierStages };
    expect(deliveryMetricsFor(beforeGate, blocked, [e1, blocked], options)).toEqual([
      count('GateBlocks'),
      count('FailedExecutions'),
    ]);
    expect(deliveryMetricsFor(blocked, blocked, [e1, blocked], options)).toEqual([]);
  });
});

describe('deliveryMetricsFor: lead time to the end, when the production stage event is not there yet', () => {
  const endedEarly = (record: ExecutionRecord, more: Partial<ExecutionRecord> = {}): ExecutionRecord => {
    const { Production: _production, ...stages } = record.stages;
    return { ...record, stages, ...more };
  };

  it('from the commit to the end time', () => {
    expect(deliveryMetricsFor(running(e3), endedEarly(e3), [e1, e2, e3], options)).toEqual([
      count('Deployments'),
      seconds('LeadTime', 3600),
    ]);
  });

  it('from the commit to the status time when no end time is recorded', () => {
    const { endTime: _end, ...noEnd } = endedEarly(e3, {
      status: { status: 'SUCCEEDED', statusAt: '2026-11-16T14:10:00.000Z', attempt: 1 },
    });
    expect(deliveryMetricsFor(running(e3), noEnd, [e1, e2, e3], options)).toEqual([
      count('Deployments'),
      seconds('LeadTime', 2400),
    ]);
  });

  it('zero when the commit is the end, none when it is after or unknown', () => {
    const at = (committed: string | undefined) =>
      endedEarly(e3, { sourceRevisions: committed ? [{ actionName: 'Source', createdAt: committed }] : [] });
    expect(deliveryMetricsFor(running(e3), at(e3.endTime), [e1, e2, e3], options)).toEqual([
      count('Deployments'),
      seconds('LeadTime', 0),
    ]);
    expect(deliveryMetricsFor(running(e3), at('2026-11-16T14:30:00.001Z'), [e1, e2, e3], options)).toEqual([
      count('Deployments'),
    ]);
    expect(deliveryMetricsFor(running(e3), at(undefined), [e1, e2, e3], options)).toEqual([
      count('Deployments'),
    ]);
  });
});

describe('deliveryMetricsFor: an execution still running counts for nothing yet', () => {
  // e1 deployed more than a day before, so the failure falls outside its window: only X could take it.
  const x = running(
    execution({
      id: 'x',
      start: '2026-11-17T10:00:00.000Z',
      status: 'STARTED',
      productionStatus: 'SUCCEEDED',
      productionAt: '2026-11-17T10:40:00.000Z',
    }),
  );
  const yFailed = execution({
    id: 'y',
    start: '2026-11-17T11:00:00.000Z',
    status: 'STARTED',
    productionStatus: 'FAILED',
    productionAt: '2026-11-17T11:20:00.000Z',
    failedAt: '2026-11-17T11:20:00.000Z',
  });
  const { Production: _production, ...earlierStages } = yFailed.stages;

  it('a failure after another execution whose production succeeded but which has not ended is charged to nobody yet', () => {
    expect(
      deliveryMetricsFor({ ...yFailed, stages: earlierStages }, yFailed, [e1, x, yFailed], options),
    ).toEqual([]);
  });

  it('once that execution ends, it is the deployment, and the failure is charged to it', () => {
    const xEnded = execution({
      id: 'x',
      start: '2026-11-17T10:00:00.000Z',
      status: 'SUCCEEDED',
      productionStatus: 'SUCCEEDED',
      productionAt: '2026-11-17T10:40:00.000Z',
    });
    expect(deliveryMetricsFor(x, xEnded, [e1, xEnded, yFailed], options)).toEqual([
      count('Deployments'),
      count('ChangeFailures'),
    ]);
  });
});

describe('deliveryMetricsFor: which time a deployment counts from', () => {
  /** e1 as recorded when the pipeline's own SUCCEEDED event came 15 minutes after the production stage's. */
  const endedLater = (record: ExecutionRecord): ExecutionRecord => ({
    ...record,
    status: { status: 'SUCCEEDED', statusAt: '2026-11-16T09:45:00.000Z', attempt: 1 },
    endTime: '2026-11-16T09:45:00.000Z',
  });

  it("the lead time runs to the production stage's success, not to the execution's end", () => {
    expect(deliveryMetricsFor(running(e1), endedLater(e1), [endedLater(e1)], options)).toEqual([
      count('Deployments'),
      seconds('LeadTime', 5400),
    ]);
  });

  it('a production stage with actions but no stage status yet: lead time to the end', () => {
    const { Production: production, ...stages } = e3.stages;
    const actionsOnly = { ...e3, stages: { ...stages, Production: { actions: production?.actions ?? {} } } };
    expect(deliveryMetricsFor(running(e3), actionsOnly, [e1, e2, actionsOnly], options)).toEqual([
      count('Deployments'),
      seconds('LeadTime', 3600),
    ]);
  });

  it('with a configured stage and no commit time: the deployment without a lead time', () => {
    const { sourceRevisions: _revisions, ...uncommitted } = e1;
    const { Production: _production, ...earlierStages } = uncommitted.stages;
    expect(
      deliveryMetricsFor({ ...uncommitted, stages: earlierStages }, uncommitted, [uncommitted], {
        ...options,
        productionStage: 'Production',
      }),
    ).toEqual([count('Deployments')]);
  });

  it('a production success delivered after the failure and the fix that followed it: the failure and its restore', () => {
    const at = (id: string, start: string, status: 'SUCCEEDED' | 'FAILED', productionAt: string) =>
      execution({
        id,
        start,
        status,
        productionStatus: status,
        productionAt,
        ...(status === 'FAILED' ? { failedAt: productionAt } : {}),
      });
    const x = at('x', '2026-11-17T10:00:00.000Z', 'SUCCEEDED', '2026-11-17T10:40:00.000Z');
    const y = at('y', '2026-11-17T11:00:00.000Z', 'FAILED', '2026-11-17T11:20:00.000Z');
    const z = at('z', '2026-11-17T12:00:00.000Z', 'SUCCEEDED', '2026-11-17T12:30:00.000Z');
    const { Production: _production, ...earlierStages } = x.stages;
    expect(deliveryMetricsFor({ ...x, stages: earlierStages }, x, [x, y, z], options)).toEqual([
      seconds('TimeToRestore', 4200),
      count('ChangeFailures'),
    ]);
  });

  it('a duplicate write of a rollback counts nothing', () => {
    const rolledBack = execution({
      id: 'r1',
      start: '2026-11-16T10:00:00.000Z',
      status: 'STARTED',
      productionStatus: 'STARTED',
      rollback: true,
    });
    expect(deliveryMetricsFor(rolledBack, rolledBack, [e1, rolledBack], options)).toEqual([]);
  });
});
