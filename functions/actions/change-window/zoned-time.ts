/** Wall-clock parts of an instant in an IANA time zone, computed with Intl (no tz database to ship). */
export interface ZonedParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  /** Minutes since local midnight. */
  readonly minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function zonedParts(instant: Date, timeZone: string): ZonedParts {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const year = parts.year ?? 0;
  const month = parts.month ?? 1;
  const day = parts.day ?? 1;
  return {
    year,
    month,
    day,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
    minuteOfDay: (parts.hour ?? 0) * 60 + (parts.minute ?? 0),
  };
}

/** Offset of the zone from UTC at `instant`, in milliseconds (positive east of Greenwich). */
function offsetAt(instant: number, timeZone: string): number {
  const wholeMinute = Math.floor(instant / 60_000) * 60_000;
  const p = zonedParts(new Date(wholeMinute), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, 0, p.minuteOfDay) - wholeMinute;
}

function wallClockAsUtc(instant: number, timeZone: string): number {
  const p = zonedParts(new Date(instant), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, 0, p.minuteOfDay);
}

/**
 * The first instant whose wall-clock time in `timeZone` is at or after the given local time. Two passes
 * settle the offset around DST changes; an ambiguous fall-back time gives its first occurrence, and a time
 * inside a spring-forward gap gives the end of the gap (the first minute that exists after it), which is
 * when a window "opening at 02:30" really opens on that day.
 */
export function zonedInstant(
  date: { year: number; month: number; day: number },
  minuteOfDay: number,
  timeZone: string,
): Date {
  const asUtc = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay);
  const first = asUtc - offsetAt(asUtc, timeZone);
  const second = asUtc - offsetAt(first, timeZone);
  for (const candidate of [Math.min(first, second), Math.max(first, second)]) {
    if (wallClockAsUtc(candidate, timeZone) === asUtc) return new Date(candidate);
  }
  // In a gap: binary search, minute by minute, for the first wall-clock time past it.
  let low = Math.min(first, second);
  let high = Math.max(first, second);
  while (high - low > 60_000) {
    const middle = low + Math.floor((high - low) / 120_000) * 60_000;
    if (wallClockAsUtc(middle, timeZone) >= asUtc) high = middle;
    else low = middle;
  }
  return new Date(high);
}
