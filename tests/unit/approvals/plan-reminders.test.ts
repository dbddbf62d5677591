import { describe, expect, it } from 'vitest';
import { planReminder } from '../../../functions/approvals/domain/plan-reminders';

const now = Date.parse('2026-12-02T10:00:00Z');
const hour = 3_600_000;

describe('planReminder', () => {
  it.each([
    // deadline relative to now, reminded before?, remind window, expected step
    { deadline: now - 1, remindedAt: undefined, window: hour, step: 'expire', why: 'the deadline passed' },
    {
      deadline: now,
      remindedAt: undefined,
      window: hour,
      step: 'expire',
      why: 'the deadline is exactly now',
    },
    {
      deadline: now,
      remindedAt: '2026-12-02T09:00:00Z',
      window: hour,
      step: 'expire',
      why: 'a reminded approval still expires',
    },
    { deadline: now + 1, remindedAt: undefined, window: hour, step: 'remind', why: 'one millisecond left' },
    {
      deadline: now + hour,
      remindedAt: undefined,
      window: hour,
      step: 'remind',
      why: 'exactly the window away',
    },
    {
      deadline: now + hour + 1,
      remindedAt: undefined,
      window: hour,
      step: 'wait',
      why: 'just outside the window',
    },
    {
      deadline: now + 1,
      remindedAt: '2026-12-02T09:30:00Z',
      window: hour,
      step: 'wait',
      why: 'reminded once already',
    },
    { deadline: now + 5, remindedAt: undefined, window: 0, step: 'wait', why: 'no window: never remind' },
  ])('$why → $step', ({ deadline, remindedAt, window, step }) => {
    const approval = remindedAt === undefined ? { deadline } : { deadline, remindedAt };
    expect(planReminder(approval, now, window)).toEqual({ kind: step });
  });
});
