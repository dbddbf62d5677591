import { describe, expect, it } from 'vitest';
import type { DeliveryExecution } from '../../../functions/delivery-metrics/domain/delivery-timeline';
import type { FactWrite } from '../../../functions/delivery-metrics/domain/fact-write';
import {
  type DeliveryChangeDependencies,
  recordDeliveryChange,
} from '../../../functions/delivery-metrics/record-delivery-change';
import { HOUR, shop } from './dora-fixtures';

/** The dependencies with a facts store that keeps what is written (by execution) and names it. */
function dependencies() {
  const writes: FactWrite[] = [];
  const stored = new Map<string, FactWrite['fact']>();
  const deps: DeliveryChangeDependencies = {
    deliveryFacts: {
      async write(change) {
        writes.push(change);
        const previous = stored.get(change.executionId);
        stored.set(change.executionId, change.fact);
        return { applied: true, ...(previous ? { previous } : {}) };
      },
      factsBetween: async () => [...stored].map(([executionId, fact]) => ({ executionId, fact })) as never,
    },
    deliveryOptions: () => ({ productionStage: 'Production', failureWindowMs: 24 * HOUR }),
    emitDeliveryMetrics: () => undefined,
    warn: () => undefined,
  };
  return { deps, writes };
}

// Deployed to Production at 09:30 on 2026-11-16.
const deployed = shop[0] as DeliveryExecution;

/** The execution as its first events leave it: started, its Source stage done, nothing DORA reads. */
function beforeProduction(e: DeliveryExecution, start: string): DeliveryExecution {
  const { endTime: _end, ...running } = e;
  return {
    ...running,
    startTime: start,
    firstEventAt: start,
    lastEventAt: start,
    status: { status: 'STARTED', statusAt: start, attempt: 1 },
    stages: { Source: { status: { status: 'SUCCEEDED', statusAt: start, attempt: 1 }, actions: {} } },
  };
}

describe('record-delivery-change', () => {
  it('stores no fact while the execution reads as nothing (started, before its production stage)', async () => {
    const { deps, writes } = dependencies();
    const running = beforeProduction(deployed, deployed.startTime as string);
    await recordDeliveryChange(deps, { record: running });
    await recordDeliveryChange(deps, { record: { ...running, lastEventAt: '2026-11-16T09:10:00.000Z' } });
    expect(writes).toEqual([]);
  });

  it("stores the first fact at the production stage's result, leaving no day it was never stored under", async () => {
    const { deps, writes } = dependencies();
    // A late event moved the start back a day: the fact it would have left was never stored.
    const running = beforeProduction(deployed, '2026-11-17T09:00:00.000Z');
    await recordDeliveryChange(deps, { before: running, record: deployed });
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ executionId: 'e1', day: '2026-11-16' });
    expect(writes[0]).not.toHaveProperty('leavesDay');
  });

  it('leaves the old day when the fact was stored there (it read as something)', async () => {
    const { deps, writes } = dependencies();
    const movedBack = {
      ...deployed,
      startTime: '2026-11-15T23:00:00.000Z',
      firstEventAt: '2026-11-15T23:00:00.000Z',
    };
    await recordDeliveryChange(deps, { before: deployed, record: movedBack });
    expect(writes[0]).toMatchObject({ day: '2026-11-15', leavesDay: '2026-11-16' });
  });
});
