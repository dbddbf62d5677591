import { describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../../../functions/history/domain/execution-record';
import { isRealRepair } from '../../../functions/history/domain/real-repair';

const RUNNING: ExecutionRecord = {
  pipeline: 'shop',
  executionId: 'exec-1',
  status: { status: 'STARTED', statusAt: '2026-11-20T10:00:00.000Z', attempt: 1 },
  firstEventAt: '2026-11-20T10:00:00.000Z',
  stages: {
    Build: {
      status: { status: 'STARTED', statusAt: '2026-11-20T10:00:05.000Z', attempt: 1 },
      actions: {
        Build: { status: 'STARTED', statusAt: '2026-11-20T10:00:06.000Z', attempt: 1, provider: 'CodeBuild' },
      },
    },
  },
  lastEventAt: '2026-11-20T10:00:06.000Z',
};

describe('isRealRepair', () => {
  it('a record written where there was none is a repair', () => {
    expect(isRealRepair(undefined, RUNNING)).toBe(true);
  });

  it('the same record is no repair', () => {
    expect(isRealRepair(RUNNING, structuredClone(RUNNING))).toBe(false);
  });

  it('a re-read that only moved the read times (lastEventAt and every statusAt) is no repair', () => {
    const reread: ExecutionRecord = {
      ...RUNNING,
      status: { status: 'STARTED', statusAt: '2026-11-20T10:09:00.000Z', attempt: 1 },
      stages: {
        Build: {
          status: { status: 'STARTED', statusAt: '2026-11-20T10:09:00.000Z', attempt: 1 },
          actions: {
            Build: {
              status: 'STARTED',
              statusAt: '2026-11-20T10:09:00.000Z',
              attempt: 1,
              provider: 'CodeBuild',
            },
          },
        },
      },
      lastEventAt: '2026-11-20T10:09:00.000Z',
    };
    expect(isRealRepair(RUNNING, reread)).toBe(false);
  });

  it('the same fields in another key order are no repair', () => {
    const { stages, lastEventAt, ...rest } = RUNNING;
    expect(isRealRepair(RUNNING, { lastEventAt, stages, ...rest })).toBe(false);
  });

  it.each<[string, ExecutionRecord]>([
    [
      'a status',
      { ...RUNNING, status: { status: 'SUCCEEDED', statusAt: '2026-11-20T10:00:00.000Z', attempt: 1 } },
    ],
    [
      'an attempt',
      { ...RUNNING, status: { status: 'STARTED', statusAt: '2026-11-20T10:00:00.000Z', attempt: 2 } },
    ],
    ['an end time', { ...RUNNING, endTime: '2026-11-20T10:09:00.000Z' }],
    ['the first event time', { ...RUNNING, firstEventAt: '2026-11-20T09:59:00.000Z' }],
    ['a field', { ...RUNNING, deploymentIds: ['d-1'] }],
    ['a stage', { ...RUNNING, stages: { ...RUNNING.stages, Deploy: { actions: {} } } }],
    ['an action', { ...RUNNING, stages: { Build: { ...RUNNING.stages.Build, actions: {} } } }],
  ])('a change to %s is a repair', (_change, after) => {
    expect(isRealRepair(RUNNING, after)).toBe(true);
  });
});
