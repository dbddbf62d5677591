import { describe, expect, it } from 'vitest';
import {
  type DeliveryExecution,
  deliveryTimeline,
} from '../../../functions/delivery-metrics/domain/delivery-timeline';
import { execution, HOUR } from './dora-fixtures';

const at = (hhmm: string) => `2026-11-16T${hhmm}:00.000Z`;
const WINDOW = { failureWindowMs: 24 * HOUR };
const timelineOf = (
  executions: DeliveryExecution[],
  options: Parameters<typeof deliveryTimeline>[3] = WINDOW,
) => deliveryTimeline('shop', executions, [], options);

describe('deliveryTimeline, exactly', () => {
  it('infers the stage only from executions that declare none', () => {
    const declared = (id: string, start: string) =>
      execution({
        id,
        start: at(start),
        status: 'SUCCEEDED',
        productionStatus: 'SUCCEEDED',
        productionAt: at(start),
        productionStage: 'Build',
      });
    const undeclared = execution({
      id: 'u',
      start: at('12:00'),
      status: 'SUCCEEDED',
      productionStatus: 'SUCCEEDED',
      productionAt: at('12:30'),
    });
    // The declared ones succeed in Build last; they must not outvote `u`, the only one the stage is inferred for.
    const timeline = timelineOf([declared('d1', '09:00'), declared('d2', '10:00'), undeclared]);
    expect(timeline.deployments.map((d) => [d.executionId, d.deployedAt])).toEqual([
      ['d1', '2026-11-16T09:02:00.000Z'],
      ['d2', '2026-11-16T10:02:00.000Z'],
      ['u', at('12:30')],
    ]);
  });

  it('in PARALLEL mode charges a failure to a deployment whose execution started at the same moment', () => {
    const deployed = execution({
      id: 'a',
      start: at('09:00'),
      status: 'SUCCEEDED',
      productionStatus: 'SUCCEEDED',
      productionAt: at('09:30'),
    });
    const failed = execution({
      id: 'b',
      start: at('09:00'),
      status: 'FAILED',
      productionStatus: 'FAILED',
      productionAt: at('09:40'),
      failedAt: at('09:40'),
    });
    const timeline = timelineOf([deployed, failed], { ...WINDOW, executionMode: 'PARALLEL' });
    expect(timeline.deployments[0]?.changeFailure).toEqual({
      at: at('09:40'),
      cause: 'failed-execution',
      source: 'b',
    });
  });

  it('lists gate blocks oldest first, then by execution id, whatever the input order', () => {
    const blocked = (id: string, hhmm: string) =>
      execution({
        id,
        start: at('08:00'),
        status: 'FAILED',
        productionStatus: 'FAILED',
        productionAt: at(hhmm),
        failedAt: at(hhmm),
        gate: true,
      });
    const expected = [
      { executionId: 'g-a', at: at('09:00') },
      { executionId: 'g-b', at: at('09:00') },
      { executionId: 'g-0', at: at('10:00') },
    ];
    const options = { ...WINDOW, productionStage: 'Production' };
    const executions = [blocked('g-0', '10:00'), blocked('g-b', '09:00'), blocked('g-a', '09:00')];
    expect(timelineOf(executions, options).gateBlocks).toEqual(expected);
    expect(timelineOf([...executions].reverse(), options).gateBlocks).toEqual(expected);
  });
});

describe('deliveryTimeline: the production stage it reports', () => {
  const declaring = (
    id: string,
    stage: string,
    startTime: string,
    firstEventAt = startTime,
  ): DeliveryExecution => ({
    pipeline: 'shop',
    executionId: id,
    startTime,
    firstEventAt,
    lastEventAt: firstEventAt,
    productionStage: stage,
    stages: {},
  });

  it("is the newest execution's by start time, in either listed order", () => {
    const older = declaring('e-2', 'Deploy', at('10:00'));
    const newer = declaring('e-1', 'Release', at('11:00'));
    expect(timelineOf([older, newer]).productionStage).toBe('Release');
    expect(timelineOf([newer, older]).productionStage).toBe('Release');
  });

  it('goes by the start time, not the first event, when both are known', () => {
    const older = declaring('e-1', 'Deploy', at('10:00'), at('12:00'));
    const newer = declaring('e-2', 'Release', at('11:00'), at('11:01'));
    expect(timelineOf([older, newer]).productionStage).toBe('Release');
    expect(timelineOf([newer, older]).productionStage).toBe('Release');
  });

  it('breaks a tie in start time by the greater execution id', () => {
    const first = declaring('x1', 'Deploy', at('11:00'));
    const second = declaring('x2', 'Release', at('11:00'));
    expect(timelineOf([first, second]).productionStage).toBe('Release');
    expect(timelineOf([second, first]).productionStage).toBe('Release');
  });

  it('passes over newer executions that have no stage at all', () => {
    const staged = declaring('e-1', 'Deploy', at('10:00'));
    const { productionStage: _, ...stageless } = declaring('e-2', 'unused', at('11:00'));
    expect(timelineOf([stageless, staged]).productionStage).toBe('Deploy');
    expect(timelineOf([staged, stageless]).productionStage).toBe('Deploy');
  });
});
