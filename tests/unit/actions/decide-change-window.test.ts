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

describe('decideChangeWindow at the edges of freezes and hours', () => {
  const paris = (extra: object = {}) => officeHours('Europe/Paris', extra);
  const yearEnd = { freezes: [{ from: '2026-12-21', to: '2026-12-23', reason: 'Year-end freeze' }] };

  it('stays open, with an exact message, before a freeze that starts in the future', () => {
    expect(decideChangeWindow(paris(yearEnd), new Date('2026-11-24T10:00:00Z'))).toEqual({
      open: true,
      message:
        'Inside the change window (MON,TUE,WED,THU,FRI 09:00-17:00 Europe/Paris) at TUE 2026-11-24 11:00.',
    });
  });

  it('is frozen on the first and on the last day of a freeze, and open the day after', () => {
    const first = decideChangeWindow(paris(yearEnd), new Date('2026-12-21T10:00:00Z'));
    const last = decideChangeWindow(paris(yearEnd), new Date('2026-12-23T10:00:00Z'));
    for (const decision of [first, last]) {
      expect(decision).toMatchObject({ open: false, nextOpen: new Date('2026-12-24T08:00:00.000Z') });
      expect(decision.message).toContain('change freeze "Year-end freeze" (2026-12-21 to 2026-12-23).');
    }
    expect(decideChangeWindow(paris(yearEnd), new Date('2026-12-24T10:00:00Z')).open).toBe(true);
    expect(decideChangeWindow(paris(yearEnd), new Date('2026-12-20T22:59:59Z')).message).toContain(
      'SUN is not an allowed day.',
    );
  });

  it('is open in the last minute of the window and closed from its closing minute', () => {
    expect(decideChangeWindow(paris(), new Date('2026-11-24T15:59:59Z')).open).toBe(true);
    expect(decideChangeWindow(paris(), new Date('2026-11-24T16:00:00Z'))).toEqual({
      open: false,
      nextOpen: new Date('2026-11-25T08:00:00.000Z'),
      message:
        'Outside the change window (MON,TUE,WED,THU,FRI 09:00-17:00 Europe/Paris): 17:00 is outside 09:00-17:00. ' +
        'Next open window: WED 2026-11-25 09:00 Europe/Paris (2026-11-25T08:00:00.000Z).',
    });
  });

  it('opens later the same day when it is early, and names the local minute with leading zeros', () => {
    expect(decideChangeWindow(paris(), new Date('2026-11-24T06:05:00Z'))).toEqual({
      open: false,
      nextOpen: new Date('2026-11-24T08:00:00.000Z'),
      message:
        'Outside the change window (MON,TUE,WED,THU,FRI 09:00-17:00 Europe/Paris): 07:05 is outside 09:00-17:00. ' +
        'Next open window: TUE 2026-11-24 09:00 Europe/Paris (2026-11-24T08:00:00.000Z).',
    });
  });

  it('names a day that is not allowed', () => {
    expect(decideChangeWindow(paris(), new Date('2026-11-28T12:00:00Z')).message).toBe(
      'Outside the change window (MON,TUE,WED,THU,FRI 09:00-17:00 Europe/Paris): SAT is not an allowed day. ' +
        'Next open window: MON 2026-11-30 09:00 Europe/Paris (2026-11-30T08:00:00.000Z).',
    );
  });

  it('still finds a window that opens on the last day of its 400-day search, and none a day later', () => {
    const dayAfter = (days: number) => new Date(Date.UTC(2026, 0, 1 + days)).toISOString().slice(0, 10);
    const frozenFor = (days: number) =>
      changeWindowParams.parse({
        timeZone: 'UTC',
        days: everyDay,
        freezes: [{ from: '2026-01-01', to: dayAfter(days - 1), reason: 'Migration' }],
      });
    const now = new Date('2026-01-01T10:00:00Z');
    expect(decideChangeWindow(frozenFor(400), now)).toMatchObject({
      open: false,
      nextOpen: new Date(`${dayAfter(400)}T00:00:00.000Z`),
    });
    expect(decideChangeWindow(frozenFor(401), now)).toMatchObject({ open: false, nextOpen: undefined });
  });
});

describe('decideChangeWindow with minutes in its hours', () => {
  const params = changeWindowParams.parse({
    timeZone: 'UTC',
    days: everyDay,
    hours: { from: '09:30', to: '17:45' },
  });

  it('opens and closes on the minute given, not the hour', () => {
    expect(decideChangeWindow(params, new Date('2026-11-24T09:15:00Z'))).toMatchObject({
      open: false,
      nextOpen: new Date('2026-11-24T09:30:00.000Z'),
    });
    expect(decideChangeWindow(params, new Date('2026-11-24T17:40:00Z')).open).toBe(true);
    expect(decideChangeWindow(params, new Date('2026-11-24T17:45:00Z')).message).toContain(
      '17:45 is outside 09:30-17:45.',
    );
  });
});
