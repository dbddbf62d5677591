import { describe, expect, it } from 'vitest';
import { changeWindowParams } from '../../../functions/actions/change-window/change-window-params';
import { decideChangeWindow } from '../../../functions/actions/change-window/decide-change-window';

const officeHours = (timeZone: string, extra: object = {}) =>
  changeWindowParams.parse({ timeZone, hours: { from: '09:00', to: '17:00' }, ...extra });
const everyDay = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

describe('decideChangeWindow', () => {
  it.each([
    ['a Tuesday morning in Paris', officeHours('Europe/Paris'), '2026-11-24T10:00:00Z', true, undefined],
    [
      'a Tuesday evening in Paris',
      officeHours('Europe/Paris'),
      '2026-11-24T16:30:00Z',
      false,
      '2026-11-25T08:00:00.000Z',
    ],
    [
      'a Saturday in Paris',
      officeHours('Europe/Paris'),
      '2026-11-28T12:00:00Z',
      false,
      '2026-11-30T08:00:00.000Z',
    ],
    [
      'Wednesday 09:00 in Auckland (NZDT, UTC+13)',
      officeHours('Pacific/Auckland'),
      '2026-11-24T20:00:00Z',
      true,
      undefined,
    ],
    [
      'a minute before 09:00 in Auckland',
      officeHours('Pacific/Auckland'),
      '2026-11-24T19:59:00Z',
      false,
      '2026-11-24T20:00:00.000Z',
    ],
    [
      '08:30 in Kolkata (UTC+5:30)',
      officeHours('Asia/Kolkata'),
      '2026-11-24T03:00:00Z',
      false,
      '2026-11-24T03:30:00.000Z',
    ],
    [
      'the evening before New York springs forward (next opening is EDT, 13:00Z)',
      officeHours('America/New_York', { days: everyDay }),
      '2026-03-07T23:00:00Z',
      false,
      '2026-03-08T13:00:00.000Z',
    ],
    [
      'the evening before New York falls back (next opening is EST, 14:00Z)',
      officeHours('America/New_York', { days: everyDay }),
      '2026-10-31T22:00:00Z',
      false,
      '2026-11-01T14:00:00.000Z',
    ],
    [
      'a window opening at 02:30 on the day 02:30 does not exist in New York (opens at 03:00 EDT)',
      changeWindowParams.parse({
        timeZone: 'America/New_York',
        days: everyDay,
        hours: { from: '02:30', to: '04:00' },
      }),
      '2026-03-08T06:00:00Z',
      false,
      '2026-03-08T07:00:00.000Z',
    ],
    [
      'a year-end freeze in Paris (opens on the first weekday after it)',
      officeHours('Europe/Paris', {
        freezes: [{ from: '2026-12-20', to: '2027-01-03', reason: 'Year-end freeze' }],
      }),
      '2026-12-22T10:00:00Z',
      false,
      '2027-01-04T08:00:00.000Z',
    ],
  ])('%s', (_case, params, now, open, nextOpen) => {
    const decision = decideChangeWindow(params, new Date(now));
    expect(decision.open).toBe(open);
    if (!decision.open) expect(decision.nextOpen?.toISOString()).toBe(nextOpen);
  });

  it('names the freeze and the next open window in local time in its message', () => {
    const decision = decideChangeWindow(
      officeHours('Europe/Paris', {
        freezes: [{ from: '2026-12-20', to: '2027-01-03', reason: 'Year-end freeze' }],
      }),
      new Date('2026-12-22T10:00:00Z'),
    );
    expect(decision.message).toBe(
      'Outside the change window (MON,TUE,WED,THU,FRI 09:00-17:00 Europe/Paris): change freeze "Year-end freeze" ' +
        '(2026-12-20 to 2027-01-03). Next open window: MON 2027-01-04 09:00 Europe/Paris (2027-01-04T08:00:00.000Z).',
    );
  });

  it('says there is no open window when every allowed day is frozen', () => {
    const decision = decideChangeWindow(
      officeHours('UTC', { freezes: [{ from: '2026-01-01', to: '2028-12-31', reason: 'Migration' }] }),
      new Date('2026-11-24T10:00:00Z'),
    );
    expect(decision).toMatchObject({ open: false, nextOpen: undefined });
    expect(decision.message).toMatch(/No open window in the next 400 days/);
  });

  it('rejects an unknown time zone and a reversed window in its parameters', () => {
    const parsed = changeWindowParams.safeParse({
      timeZone: 'Mars/Olympus',
      hours: { from: '17:00', to: '09:00' },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['timeZone', 'hours']);
  });
});
