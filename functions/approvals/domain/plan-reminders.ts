export type ReminderStep = { kind: 'remind' } | { kind: 'expire' } | { kind: 'wait' };

/**
 * What the schedule does with one PENDING approval: expire it once its deadline passed (CodePipeline has
 * rejected it by then; its FAILED event normally closes it first, this is the backstop), remind once when
 * the deadline is less than `remindBeforeMs` away, otherwise wait.
 */
export function planReminder(
  approval: { deadline: number; remindedAt?: string },
  nowMs: number,
  remindBeforeMs: number,
): ReminderStep {
  if (approval.deadline <= nowMs) return { kind: 'expire' };
  if (!approval.remindedAt && approval.deadline - nowMs <= remindBeforeMs) return { kind: 'remind' };
  return { kind: 'wait' };
}
