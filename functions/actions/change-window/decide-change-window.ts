import { type ChangeWindowParams, WEEKDAYS } from './change-window-params';
import { type ZonedParts, zonedInstant, zonedParts } from './zoned-time';

export type ChangeWindowDecision =
  | { readonly open: true; readonly message: string }
  | { readonly open: false; readonly message: string; readonly nextOpen: Date | undefined };

// Freezes longer than a year are a policy, not a window: say "no open window" instead of searching on.
const SEARCH_DAYS = 400;

/** Whether a change may go out at `now`, and if not, why and when the next window opens. */
export function decideChangeWindow(params: ChangeWindowParams, now: Date): ChangeWindowDecision {
  const local = zonedParts(now, params.timeZone);
  const window = describeWindow(params);
  const closedBecause = whyClosed(params, local);
  if (!closedBecause) {
    return { open: true, message: `Inside the change window (${window}) at ${formatLocal(local)}.` };
  }
  const nextOpen = findNextOpen(params, now, local);
  const next = nextOpen
    ? `Next open window: ${formatLocal(zonedParts(nextOpen, params.timeZone))} ${params.timeZone} (${nextOpen.toISOString()}).`
    : `No open window in the next ${SEARCH_DAYS} days.`;
  return {
    open: false,
    nextOpen,
    message: `Outside the change window (${window}): ${closedBecause} ${next}`,
  };
}

function whyClosed(params: ChangeWindowParams, local: ZonedParts): string | undefined {
  const date = formatDate(local);
  const freeze = params.freezes.find((candidate) => candidate.from <= date && date <= candidate.to);
  if (freeze) return `change freeze "${freeze.reason}" (${freeze.from} to ${freeze.to}).`;
  const day = WEEKDAYS[local.weekday] ?? 'SUN';
  if (!params.days.includes(day)) return `${day} is not an allowed day.`;
  const from = minutesOf(params.hours.from);
  const to = minutesOf(params.hours.to);
  if (local.minuteOfDay < from || local.minuteOfDay >= to) {
    return `${formatClock(local.minuteOfDay)} is outside ${params.hours.from}-${params.hours.to}.`;
  }
  return undefined;
}

function findNextOpen(params: ChangeWindowParams, now: Date, today: ZonedParts): Date | undefined {
  const from = minutesOf(params.hours.from);
  const to = minutesOf(params.hours.to);
  for (let offset = 0; offset <= SEARCH_DAYS; offset++) {
    const calendar = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const date = {
      year: calendar.getUTCFullYear(),
      month: calendar.getUTCMonth() + 1,
      day: calendar.getUTCDate(),
    };
    const opens = zonedInstant(date, from, params.timeZone);
    const closes = zonedInstant(date, to, params.timeZone);
    const candidate = opens > now ? opens : now;
    if (candidate < closes && !whyClosed(params, zonedParts(candidate, params.timeZone))) return candidate;
  }
  return undefined;
}

function describeWindow(params: ChangeWindowParams): string {
  return `${params.days.join(',')} ${params.hours.from}-${params.hours.to} ${params.timeZone}`;
}

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

const pad = (value: number) => String(value).padStart(2, '0');
const formatClock = (minuteOfDay: number) => `${pad(Math.floor(minuteOfDay / 60))}:${pad(minuteOfDay % 60)}`;
const formatDate = (local: ZonedParts) => `${local.year}-${pad(local.month)}-${pad(local.day)}`;
const formatLocal = (local: ZonedParts) =>
  `${WEEKDAYS[local.weekday]} ${formatDate(local)} ${formatClock(local.minuteOfDay)}`;
