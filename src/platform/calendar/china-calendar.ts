// China Standard Time and the statutory working-day calendar (DOMAIN.md §0). Instants are stored
// in UTC; every day boundary is decided in UTC+8 whatever the server's zone (China has had no
// daylight saving time since 1991). Calendar days are `YYYY-MM-DD` strings, which compare and sort
// as text. Pure functions: the holiday data is module data, loaded once with the code.
//
// Counting periods follows 民法典 §200–204: the day of the event is not counted (§201); the last
// day of a period that falls on a 法定休假日 is replaced by the day after the rest ends (§203).
// 法定休假日 here covers both the statutory holidays with their 调休 (全国年节及纪念日放假办法 and
// the State Council's yearly notice) and the weekly rest days, Saturday and Sunday (国务院关于职工
// 工作时间的规定 §7: 星期六和星期日为周休息日): courts and administrative bodies read §203 that
// way, because on either kind of day the offices that must receive an act are closed. A make-up
// working day (调休上班, e.g. a Saturday) is a working day: the rest it replaces moved elsewhere.

import type { FieldError } from '../errors.ts';
import holidayFile from './data/china-holidays.json' with { type: 'json' };

const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 86_400_000;
/** No real calendar has this many rest days in a row; a longer run means broken data. */
const MAX_REST_RUN = 60;

// ---- days and instants in China Standard Time ----

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDateString(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === value;
}

function utcMidnight(date: string): number {
  if (!isDateString(date)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  return Date.parse(`${date}T00:00:00Z`);
}

function fromUtcMidnight(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The calendar day in China Standard Time of an instant. */
export function chinaDate(instant: Date): string {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError('invalid instant');
  return new Date(t + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant 00:00:00.000 CST of `date` (16:00Z of the day before). */
export function startOfChinaDay(date: string): Date {
  return new Date(utcMidnight(date) - CST_OFFSET_MS);
}

/** The first instant after `date` in CST (24:00 of `date`): a period ending on `date` is over at this instant. */
export function endOfChinaDayExclusive(date: string): Date {
  return new Date(utcMidnight(date) + DAY_MS - CST_OFFSET_MS);
}

export function addDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`days must be an integer: ${n}`);
  return fromUtcMidnight(utcMidnight(date) + n * DAY_MS);
}

/** Calendar days from `a` to `b` (b − a; negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((utcMidnight(b) - utcMidnight(a)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(utcMidnight(date)).getUTCDay();
}

/** `YYYY-MM-DD HH:mm:ss` in CST, for messages. */
export function formatChinaTime(instant: Date): string {
  const iso = new Date(instant.getTime() + CST_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

// ---- the holiday calendar ----

export interface HolidayYear {
  /** The State Council notice the dates come from. */
  source: string;
  holidays: { name: string; dates: string[] }[];
  /** Make-up working days (调休上班日), each a Saturday or Sunday. */
  workdays: string[];
}

export interface HolidayData {
  version: string;
  years: Record<string, HolidayYear>;
}

/** Where the holiday arrangement comes from; tests and an admin screen can supply their own. */
export interface Calendar {
  /** Version of the data, worth recording beside a decision taken with it. */
  readonly version: string;
  /** Whether the arrangement of `year` is in the data (otherwise weekends-only is assumed). */
  covers(year: number): boolean;
  /** Name of the statutory holiday on `date` (春节, 国庆节 …), or null. */
  holidayOn(date: string): string | null;
  /** Whether `date` is a make-up working day. */
  isMakeUpWorkday(date: string): boolean;
}

/** Builds a calendar from data, refusing data that cannot be right. */
export function createCalendar(data: HolidayData): Calendar {
  const holidays = new Map<string, string>();
  const workdays = new Set<string>();
  const years = new Set<number>();
  for (const [year, y] of Object.entries(data.years)) {
    if (!/^\d{4}$/.test(year)) throw new Error(`holiday data: bad year key ${year}`);
    years.add(Number(year));
    for (const h of y.holidays) {
      if (!h.name) throw new Error(`holiday data ${year}: a holiday without a name`);
      for (const d of h.dates) {
        if (!isDateString(d)) throw new Error(`holiday data ${year}: bad date ${d}`);
        if (holidays.has(d)) throw new Error(`holiday data ${year}: ${d} listed twice`);
        holidays.set(d, h.name);
      }
    }
    for (const d of y.workdays) {
      if (!isDateString(d)) throw new Error(`holiday data ${year}: bad date ${d}`);
      const wd = weekday(d);
      if (wd !== 0 && wd !== 6) throw new Error(`holiday data ${year}: make-up working day ${d} is not a Saturday or Sunday`);
      workdays.add(d);
    }
  }
  for (const d of workdays) if (holidays.has(d)) throw new Error(`holiday data: ${d} is both a holiday and a make-up working day`);
  return {
    version: data.version,
    covers: (year) => years.has(year),
    holidayOn: (date) => holidays.get(date) ?? null,
    isMakeUpWorkday: (date) => workdays.has(date),
  };
}

export const defaultCalendar: Calendar = createCalendar(holidayFile as HolidayData);

// ---- working days ----

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

export interface DayInfo {
  date: string;
  kind: DayKind;
  working: boolean;
  /** The holiday's name when kind is 'holiday'. */
  holiday: string | null;
  /** False when the data does not cover the year: the answer assumes weekends-only. */
  known: boolean;
}

/** A day computed from the calendar; `known` is false when any day it depended on lies outside the data. */
export interface CalendarDay {
  date: string;
  known: boolean;
}

function covered(date: string, calendar: Calendar): boolean {
  return calendar.covers(Number(date.slice(0, 4)));
}

export function dayInfo(date: string, calendar: Calendar = defaultCalendar): DayInfo {
  const known = covered(date, calendar);
  if (calendar.isMakeUpWorkday(date)) return { date, kind: 'makeup_workday', working: true, holiday: null, known };
  const holiday = calendar.holidayOn(date);
  if (holiday !== null) return { date, kind: 'holiday', working: false, holiday, known };
  const wd = weekday(date);
  if (wd === 0 || wd === 6) return { date, kind: 'weekend', working: false, holiday: null, known };
  return { date, kind: 'workday', working: true, holiday: null, known };
}

/** Whether offices work on `date`. Use `dayInfo` to learn whether the year is in the data. */
export function isWorkingDay(date: string, calendar: Calendar = defaultCalendar): boolean {
  return dayInfo(date, calendar).working;
}

/** `date` itself when it is a working day, else the first working day after it. */
export function firstWorkingDayFrom(date: string, calendar: Calendar = defaultCalendar): CalendarDay {
  let d = date;
  let known = covered(d, calendar);
  for (let i = 0; !isWorkingDay(d, calendar); i++) {
    if (i >= MAX_REST_RUN) throw new Error(`calendar: no working day within ${MAX_REST_RUN} days of ${date}`);
    d = addDays(d, 1);
    known = known && covered(d, calendar);
  }
  return { date: d, known };
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: string, calendar: Calendar = defaultCalendar): CalendarDay {
  const r = firstWorkingDayFrom(addDays(date, 1), calendar);
  return { date: r.date, known: r.known && covered(date, calendar) };
}

/**
 * The n-th working day after `date` (before it when n < 0; `date` itself when n = 0). The day of
 * the event is not counted: a reply due "within 3 working days" of a Friday is due on Wednesday.
 */
export function addWorkingDays(date: string, n: number, calendar: Calendar = defaultCalendar): CalendarDay {
  if (!Number.isInteger(n)) throw new RangeError(`working days must be an integer: ${n}`);
  const step = n < 0 ? -1 : 1;
  let d = date;
  let known = covered(d, calendar);
  for (let left = Math.abs(n), rest = 0; left > 0; ) {
    d = addDays(d, step);
    known = known && covered(d, calendar);
    if (isWorkingDay(d, calendar)) {
      left--;
      rest = 0;
    } else if (++rest > MAX_REST_RUN) {
      throw new Error(`calendar: no working day within ${MAX_REST_RUN} days of ${d}`);
    }
  }
  return { date: d, known };
}

/**
 * Working days d with a < d ≤ b (negated when b < a), so that addWorkingDays(a, result) = b
 * whenever b is a working day.
 */
export function workingDaysBetween(a: string, b: string, calendar: Calendar = defaultCalendar): { days: number; known: boolean } {
  if (b < a) {
    const r = workingDaysBetween(b, a, calendar);
    return { days: -r.days, known: r.known };
  }
  let days = 0;
  let known = covered(a, calendar);
  for (let d = addDays(a, 1); d <= b; d = addDays(d, 1)) {
    known = known && covered(d, calendar);
    if (isWorkingDay(d, calendar)) days++;
  }
  return { days, known };
}

export interface PeriodEnd extends CalendarDay {
  /** eventDate + days, before any move past a rest day. */
  nominal: string;
}

/**
 * The last day of a period of `days` days triggered on `eventDate` (民法典 §201, §203): the
 * period starts the day after the event, so its nominal last day is eventDate + days; when that
 * day is a rest day (holiday or weekend, see the head of this file) the period ends on the next
 * working day. Documents issued on 2026-03-01 with "20 days" end on 2026-03-21… which is a
 * Saturday, so the period's last day is Monday 2026-03-23.
 */
export function periodEnd(eventDate: string, days: number, calendar: Calendar = defaultCalendar): PeriodEnd {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`period days must be a non-negative integer: ${days}`);
  const nominal = addDays(eventDate, days);
  const end = firstWorkingDayFrom(nominal, calendar);
  return { date: end.date, nominal, known: end.known };
}

// ---- deadlines ----

/** The end of a period: its last day and the first instant after it (an act at or after `closesAt` is late). */
export interface Due {
  lastDay: string;
  closesAt: Date;
  /** False when the holiday data did not cover a day the answer depended on: warn the user. */
  known: boolean;
}

export function dueOf(day: CalendarDay): Due {
  return { lastDay: day.date, closesAt: endOfChinaDayExclusive(day.date), known: day.known };
}

/** A deadline is an instant: an act completed at `deadline` itself is already late. */
export function deadlinePassed(deadline: Date, at: Date): boolean {
  return at.getTime() >= deadline.getTime();
}

/** A warning (not a refusal) when some of these instants fall in a year the holiday data does not cover. */
export function calendarWarning(instants: readonly Date[], calendar: Calendar = defaultCalendar): FieldError | null {
  const years = [...new Set(instants.map((i) => Number(chinaDate(i).slice(0, 4))))].filter((y) => !calendar.covers(y)).sort();
  if (years.length === 0) return null;
  return { field: 'calendar', rule: 'calendar_unknown', message: `${years.join('、')} 年的法定节假日安排尚未录入，相关期限暂按仅周末休息计算，请人工核对` };
}
