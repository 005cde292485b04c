// The CST day boundaries, the holiday data and the 民法典 counting of periods at their boundary
// days (the day before, the day, the day after).

import { afterEach, describe, expect, it } from 'vitest';
import {
  addDays,
  addWorkingDays,
  chinaDate,
  createCalendar,
  dayInfo,
  daysBetween,
  defaultCalendar,
  endOfChinaDayExclusive,
  firstWorkingDayFrom,
  formatChinaTime,
  isWorkingDay,
  nextWorkingDay,
  periodEnd,
  startOfChinaDay,
  workingDaysBetween,
  type HolidayData,
} from './china-calendar.ts';
import data from './data/china-holidays.json' with { type: 'json' };

describe('China Standard Time', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('changes day at 16:00:00.000Z, to the millisecond', () => {
    expect(chinaDate(new Date('2026-02-28T15:59:59.999Z'))).toBe('2026-02-28');
    expect(chinaDate(new Date('2026-02-28T16:00:00.000Z'))).toBe('2026-03-01');
    expect(startOfChinaDay('2026-03-01').toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(endOfChinaDayExclusive('2026-03-01').toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(formatChinaTime(new Date('2026-03-20T01:30:00.000Z'))).toBe('2026-03-20 09:30:00');
  });

  it('does not depend on the server time zone', () => {
    process.env.TZ = 'America/Los_Angeles';
    expect(chinaDate(new Date('2026-02-28T16:00:00.000Z'))).toBe('2026-03-01');
    expect(startOfChinaDay('2026-03-08').toISOString()).toBe('2026-03-07T16:00:00.000Z'); // US DST starts that day
    expect(addDays('2026-03-07', 2)).toBe('2026-03-09');
    process.env.TZ = 'UTC';
    expect(chinaDate(new Date('2026-02-28T15:59:59.999Z'))).toBe('2026-02-28');
  });

  it('adds and counts calendar days across months and leap years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2026-03-01', '2026-03-21')).toBe(20);
    expect(daysBetween('2026-03-21', '2026-03-01')).toBe(-20);
  });

  it('refuses malformed dates and instants', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => startOfChinaDay('2026/03/01')).toThrow(RangeError);
    expect(() => chinaDate(new Date('nope'))).toThrow(RangeError);
    expect(() => addDays('2026-03-01', 1.5)).toThrow(RangeError);
  });
});

describe('holiday data', () => {
  it('carries a version and the source of each year', () => {
    expect(defaultCalendar.version).toBe(data.version);
    for (const y of ['2024', '2025', '2026'] as const) expect(data.years[y].source).toMatch(/国务院办公厅关于\d{4}年部分节假日安排的通知/);
  });

  it('holds the days the 2025 revision added: 除夕 and 5月2日', () => {
    expect(dayInfo('2025-01-28')).toMatchObject({ kind: 'holiday', holiday: '春节', known: true }); // 除夕 2025
    expect(dayInfo('2026-02-16')).toMatchObject({ kind: 'holiday', holiday: '春节' }); // 除夕 2026
    expect(dayInfo('2025-05-02').kind).toBe('holiday');
    // 2024 still under the old rule: 除夕 (2月9日, Friday) was a working day.
    expect(dayInfo('2024-02-09')).toMatchObject({ kind: 'workday', working: true });
  });

  it('marks holidays, weekends, make-up working days and plain workdays', () => {
    expect(dayInfo('2026-10-05')).toMatchObject({ kind: 'holiday', holiday: '国庆节', working: false });
    expect(dayInfo('2026-03-07')).toMatchObject({ kind: 'weekend', working: false });
    expect(dayInfo('2026-02-28')).toMatchObject({ kind: 'makeup_workday', working: true }); // Saturday
    expect(dayInfo('2026-01-04')).toMatchObject({ kind: 'makeup_workday', working: true }); // Sunday
    expect(dayInfo('2026-03-09')).toMatchObject({ kind: 'workday', working: true });
    expect(isWorkingDay('2025-10-11')).toBe(true);
    expect(isWorkingDay('2025-10-08')).toBe(false);
  });

  it('treats a year outside the data as weekends-only and says so', () => {
    expect(dayInfo('2027-10-01')).toEqual({ date: '2027-10-01', kind: 'workday', working: true, holiday: null, known: false });
    expect(dayInfo('2027-10-02')).toMatchObject({ kind: 'weekend', known: false });
    expect(periodEnd('2026-12-20', 5).known).toBe(true);
    const across = periodEnd('2026-12-25', 10); // nominal 2027-01-04
    expect(across).toEqual({ date: '2027-01-04', nominal: '2027-01-04', known: false });
    expect(addWorkingDays('2026-12-30', 3)).toEqual({ date: '2027-01-04', known: false });
    expect(workingDaysBetween('2026-12-28', '2027-01-08').known).toBe(false);
  });

  it('refuses data that cannot be right', () => {
    const base = (years: HolidayData['years']): HolidayData => ({ version: 't', years });
    expect(() => createCalendar(base({ 2026: { source: 's', holidays: [], workdays: ['2026-03-09'] } }))).toThrow(/not a Saturday or Sunday/);
    expect(() => createCalendar(base({ 2026: { source: 's', holidays: [{ name: 'x', dates: ['2026-03-07'] }], workdays: ['2026-03-07'] } }))).toThrow(/both/);
    expect(() => createCalendar(base({ 2026: { source: 's', holidays: [{ name: 'x', dates: ['2026-02-30'] }], workdays: [] } }))).toThrow(/bad date/);
    expect(() => createCalendar(base({ 2026: { source: 's', holidays: [{ name: 'x', dates: ['2026-03-10', '2026-03-10'] }], workdays: [] } }))).toThrow(/twice/);
  });

  it('accepts another calendar (tests, an admin screen)', () => {
    const custom = createCalendar({ version: 'x', years: { 2030: { source: 's', holidays: [{ name: '测试日', dates: ['2030-03-05'] }], workdays: [] } } });
    expect(dayInfo('2030-03-05', custom)).toMatchObject({ kind: 'holiday', holiday: '测试日', known: true });
    expect(periodEnd('2030-03-01', 4, custom).date).toBe('2030-03-06');
    expect(periodEnd('2030-03-01', 4).date).toBe('2030-03-05');
  });
});

describe('working days', () => {
  it('steps over holidays and counts a make-up Saturday', () => {
    expect(nextWorkingDay('2026-02-13')).toEqual({ date: '2026-02-14', known: true }); // make-up Saturday
    expect(nextWorkingDay('2026-02-14').date).toBe('2026-02-24');
    expect(nextWorkingDay('2026-09-30').date).toBe('2026-10-08');
    expect(firstWorkingDayFrom('2026-10-08').date).toBe('2026-10-08');
    expect(firstWorkingDayFrom('2026-10-03').date).toBe('2026-10-08');
  });

  it('adds working days forwards and backwards, not counting the start day', () => {
    expect(addWorkingDays('2026-02-13', 0).date).toBe('2026-02-13');
    expect(addWorkingDays('2026-02-13', 1).date).toBe('2026-02-14');
    expect(addWorkingDays('2026-02-13', 2).date).toBe('2026-02-24');
    expect(addWorkingDays('2026-03-06', 3).date).toBe('2026-03-11'); // Friday + 3 → Wednesday
    expect(addWorkingDays('2026-02-24', -1).date).toBe('2026-02-14');
    expect(addWorkingDays('2026-03-11', -3).date).toBe('2026-03-06');
  });

  it('counts working days in (a, b], consistent with addWorkingDays', () => {
    expect(workingDaysBetween('2026-02-13', '2026-02-24')).toEqual({ days: 2, known: true });
    expect(workingDaysBetween('2026-02-24', '2026-02-13').days).toBe(-2);
    expect(workingDaysBetween('2026-03-09', '2026-03-09').days).toBe(0);
    for (let i = 0; i < 365; i += 7) {
      const a = addDays('2026-01-01', i);
      for (const n of [1, 3, 10, 30]) {
        const b = addWorkingDays(a, n).date;
        expect(workingDaysBetween(a, b).days).toBe(n);
        expect(addWorkingDays(b, -n).date <= a).toBe(true);
      }
    }
  });
});

describe('periodEnd (民法典 §201, §203)', () => {
  it('DOMAIN.md §0: documents issued 1 March, 20 days → 21 March', () => {
    expect(periodEnd('2025-03-01', 20)).toEqual({ date: '2025-03-21', nominal: '2025-03-21', known: true });
    expect(addDays('2025-03-01', 19)).toBe('2025-03-20'); // 20 March: only 19 days — short
  });

  it('moves a last day on a weekend to the Monday', () => {
    expect(periodEnd('2026-03-01', 20)).toEqual({ date: '2026-03-23', nominal: '2026-03-21', known: true });
  });

  it('moves a last day inside the 2026 Spring Festival to the first working day after it', () => {
    expect(periodEnd('2026-02-03', 10).date).toBe('2026-02-13'); // Friday before
    expect(periodEnd('2026-02-04', 10).date).toBe('2026-02-14'); // make-up Saturday: stays
    expect(periodEnd('2026-02-05', 10)).toEqual({ date: '2026-02-24', nominal: '2026-02-15', known: true });
    expect(periodEnd('2026-02-13', 10).date).toBe('2026-02-24'); // last holiday day
    expect(periodEnd('2026-02-14', 10).date).toBe('2026-02-24'); // first working day after
    expect(periodEnd('2026-02-15', 10).date).toBe('2026-02-25');
  });

  it('moves a last day inside the 2026 National Day holiday to 8 October', () => {
    expect(periodEnd('2026-09-15', 15).date).toBe('2026-09-30');
    expect(periodEnd('2026-09-16', 15)).toEqual({ date: '2026-10-08', nominal: '2026-10-01', known: true });
    expect(periodEnd('2026-09-22', 15).date).toBe('2026-10-08'); // nominal 10-07, the last holiday day
    expect(periodEnd('2026-09-23', 15).date).toBe('2026-10-08');
    expect(periodEnd('2026-09-25', 15).date).toBe('2026-10-10'); // make-up Saturday
  });

  it('a zero-day period ends on the day itself (or the next working day)', () => {
    expect(periodEnd('2026-03-09', 0).date).toBe('2026-03-09');
    expect(periodEnd('2026-03-08', 0).date).toBe('2026-03-09');
    expect(() => periodEnd('2026-03-09', -1)).toThrow(RangeError);
  });
});
