import * as z from 'zod/mini';
import { isValidTimeZone } from './zoned-time';

export const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const clockTime = z
  .string()
  .check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { message: 'expected HH:MM' }));
const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected YYYY-MM-DD' }));

/** UserParameters of the change-window action (docs/invoke-actions.md). */
export const changeWindowParams = z.object({
  timeZone: z
    .string()
    .check(z.refine(isValidTimeZone, { message: 'expected an IANA time zone such as Europe/Paris' })),
  days: z._default(z.array(z.enum(WEEKDAYS)).check(z.minLength(1)), ['MON', 'TUE', 'WED', 'THU', 'FRI']),
  hours: z._default(
    z
      .object({ from: clockTime, to: clockTime })
      .check(z.refine((hours) => hours.from < hours.to, { message: 'expected from before to (same day)' })),
    { from: '00:00', to: '24:00' },
  ),
  freezes: z._default(
    z.array(
      z
        .object({ from: isoDate, to: isoDate, reason: z.string().check(z.minLength(1)) })
        .check(z.refine((freeze) => freeze.from <= freeze.to, { message: 'expected from on or before to' })),
    ),
    [],
  ),
});

export type ChangeWindowParams = z.infer<typeof changeWindowParams>;
