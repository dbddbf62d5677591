/**
 * A sample event as if it happened now: its envelope `time` and the CloudWatch state timestamps moved by the
 * same amount, so a decision that compares them with recorded history (the demo's, shifted to end a minute
 * ago) sees a fresh alarm, not one from the day the sample was written.
 */
export function shiftToNow<T extends Record<string, unknown>>(event: T, now = Date.now()): T {
  const time = Date.parse(String(event.time));
  if (Number.isNaN(time)) return event;
  const shift = now - time;
  const moved = (value: unknown) =>
    typeof value === 'string' && !Number.isNaN(Date.parse(value))
      ? new Date(Date.parse(value) + shift)
          .toISOString()
          .replace('Z', value.endsWith('+0000') ? '+0000' : 'Z')
      : value;
  const detail = { ...(event.detail as Record<string, unknown> | undefined) };
  for (const key of ['state', 'previousState']) {
    const state = detail[key] as Record<string, unknown> | undefined;
    if (state?.timestamp) detail[key] = { ...state, timestamp: moved(state.timestamp) };
  }
  return { ...event, time: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'), detail };
}
