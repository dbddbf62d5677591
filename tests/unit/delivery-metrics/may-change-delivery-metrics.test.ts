import { describe, expect, it } from 'vitest';
import { mayChangeDeliveryMetrics } from '../../../functions/delivery-metrics/domain/delivery-metrics';
import type { ExecutionRecord, StageRecord } from '../../../functions/history/domain/execution-record';

const AT = '2026-11-20T10:00:00.000Z';
const LATER = '2026-11-20T10:05:00.000Z';

const succeeded: StageRecord = {
  status: { status: 'SUCCEEDED', statusAt: AT, attempt: 1 },
  actions: { Deploy: { status: 'SUCCEEDED', statusAt: AT, attempt: 1 } },
};
const started: StageRecord = {
  status: { status: 'STARTED', statusAt: AT, attempt: 1 },
  actions: { Deploy: { status: 'STARTED', statusAt: AT, attempt: 1 } },
};
const failed: StageRecord = {
  status: { status: 'FAILED', statusAt: AT, attempt: 1 },
  firstFailedAt: AT,
  actions: { Deploy: { status: 'FAILED', statusAt: AT, attempt: 1 } },
};
/** Failed before any action ran: an entry condition said no. */
const gateBlocked: StageRecord = { ...failed, actions: {} };
const failedLater: StageRecord = { ...failed, firstFailedAt: LATER };

function record(stages: Record<string, StageRecord>, more: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return { pipeline: 'shop', executionId: 'exec-1', firstEventAt: AT, lastEventAt: AT, stages, ...more };
}
const ended = (stages: Record<string, StageRecord>, endTime = LATER) =>
  record(stages, { status: { status: 'SUCCEEDED', statusAt: endTime, attempt: 1 }, endTime });
const rollback = (stages: Record<string, StageRecord>) => record(stages, { executionType: 'ROLLBACK' });

describe('mayChangeDeliveryMetrics', () => {
  it.each<[string, ExecutionRecord | undefined, ExecutionRecord, string | undefined, boolean]>([
    // The execution's end.
    ['the execution ends', record({ Prod: started }), ended({ Prod: started }), undefined, true],
    ['a first write that is already the end', undefined, ended({}), undefined, true],
    ['the end time moves', ended({}), ended({}, AT), undefined, true],
    [
      'a write after the end that changes no stage',
      ended({ Prod: succeeded }),
      ended({ Prod: succeeded }),
      undefined,
      false,
    ],
    [
      'the same end, with a known stage that did not change',
      ended({ Prod: succeeded }),
      ended({ Prod: succeeded }),
      'Prod',
      false,
    ],
    // Rollback executions.
    ['the execution becomes a rollback', record({}), rollback({}), undefined, true],
    ['a first write that is already a rollback', undefined, rollback({}), 'Prod', true],
    ['a rollback that already was one', rollback({}), rollback({}), undefined, false],
    ['a standard execution', record({}), record({}, { executionType: 'STANDARD' }), undefined, false],
    // Without a known stage: first failures and gate blocks count at once, statuses only after the end.
    ['a stage first fails', record({ Prod: started }), record({ Prod: failed }), undefined, true],
    ['a first write with a failed stage', undefined, record({ Prod: failed }), undefined, true],
    ['the first failure moves', record({ Prod: failedLater }), record({ Prod: failed }), undefined, true],
    [
      'a gate block turns out to have run actions',
      record({ Prod: gateBlocked }),
      record({ Prod: failed }),
      undefined,
      true,
    ],
    [
      'a failure turns out to be a gate block',
      record({ Prod: failed }),
      record({ Prod: gateBlocked }),
      undefined,
      true,
    ],
    [
      'a stage succeeds while running',
      record({ Prod: started }),
      record({ Prod: succeeded }),
      undefined,
      false,
    ],
    ['a first write of a running stage', undefined, record({ Prod: started }), undefined, false],
    ['a stage event after the end', ended({ Prod: started }), ended({ Prod: succeeded }), undefined, true],
    ['a new stage after the end', ended({}), ended({ Prod: succeeded }), undefined, true],
    ['the same stage after the end', ended({ Prod: failed }), ended({ Prod: failed }), undefined, false],
    // With a known stage, only that stage counts, and its status at once.
    [
      'the known stage succeeds while running',
      record({ Prod: started }),
      record({ Prod: succeeded }),
      'Prod',
      true,
    ],
    [
      'the known stage first fails',
      record({ Prod: started }),
      record({ Prod: failed, Build: succeeded }),
      'Prod',
      true,
    ],
    [
      'the known stage turns out a gate block',
      record({ Prod: failed }),
      record({ Prod: gateBlocked }),
      'Prod',
      true,
    ],
    ['the known stage first appears', undefined, record({ Prod: started }), 'Prod', true],
    ['the known stage is not there yet', undefined, record({ Build: started }), 'Prod', false],
    ['another stage fails', record({ Build: started }), record({ Build: failed }), 'Prod', false],
    [
      'the known stage does not change',
      record({ Prod: started, Build: started }),
      record({ Prod: started, Build: succeeded }),
      'Prod',
      false,
    ],
    [
      'the known stage only has actions so far',
      record({ Prod: { actions: {} } }),
      record({ Prod: { actions: {} } }),
      'Prod',
      false,
    ],
    [
      'the known stage gets its first status',
      record({ Prod: { actions: {} } }),
      record({ Prod: started }),
      'Prod',
      true,
    ],
  ])('%s: %s', (_case, previous, next, knownStage, expected) => {
    expect(mayChangeDeliveryMetrics(previous, next, knownStage)).toBe(expected);
  });
});
