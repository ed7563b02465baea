// Deadlines count working hours, as the 1022 regulations do: the weekly office hours (by default
// Monday to Friday, 07:30–11:30 and 13:00–17:00 local time, 8 hours a day) minus public holidays,
// plus the weekend days the government swaps in as working days. The calendar lives in the
// database (tables working_hours and calendar_day, see docs/calendar.md) and is loaded once.
import type { TicketPriority } from '../generated/prisma/enums';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const HOURS_PER_DAY = 8;

/** One opening window of a day, in minutes after local midnight: [opens, closes). */
export type Window = readonly [number, number];

export interface WorkingCalendar {
  /** Windows by weekday, 0 = Sunday … 6 = Saturday. */
  readonly weekly: ReadonlyArray<ReadonlyArray<Window>>;
  /** Local dates (YYYY-MM-DD) that are public holidays or days off in lieu: no work. */
  readonly holidays: ReadonlySet<string>;
  /** Local dates (YYYY-MM-DD) of weekend days worked instead of a day off: Monday's hours. */
  readonly workingDays: ReadonlySet<string>;
}

export const STANDARD_WINDOWS: ReadonlyArray<Window> = [
  [7 * 60 + 30, 11 * 60 + 30],
  [13 * 60, 17 * 60],
];

/** Office hours with no holidays: the calendar when the database has none. */
export const STANDARD_CALENDAR: WorkingCalendar = {
  weekly: [[], STANDARD_WINDOWS, STANDARD_WINDOWS, STANDARD_WINDOWS, STANDARD_WINDOWS, STANDARD_WINDOWS, []],
  holidays: new Set(),
  workingDays: new Set(),
};

/** Accept and answer targets of docs/taxonomy.md, in working hours. */
export const SERVICE_TARGETS: Record<TicketPriority, { acceptHours: number; answerHours: number }> = {
  urgent: { acceptHours: 1, answerHours: 4 },
  normal: { acceptHours: 8, answerHours: 5 * HOURS_PER_DAY },
  complex: { acceptHours: 8, answerHours: 15 * HOURS_PER_DAY },
};

/** The windows of one local day (dayStart: local midnight in "local" milliseconds). */
function windowsOf(calendar: WorkingCalendar, dayStart: number): ReadonlyArray<Window> {
  const key = new Date(dayStart).toISOString().slice(0, 10);
  if (calendar.holidays.has(key)) return [];
  if (calendar.workingDays.has(key)) return calendar.weekly[1] ?? STANDARD_WINDOWS;
  return calendar.weekly[new Date(dayStart).getUTCDay()] ?? [];
}

/**
 * Adds `hours` working hours to `start`; offsetMinutes is the local time zone (420 = UTC+7).
 * Gives up after ten years without a working minute (a calendar with no office hours at all).
 */
export function addWorkingHours(start: Date, hours: number, offsetMinutes: number, calendar: WorkingCalendar = STANDARD_CALENDAR): Date {
  let remaining = Math.round(hours * 60);
  // Work in "local" milliseconds so that getUTC* read local wall-clock time.
  let t = start.getTime() + offsetMinutes * MINUTE;
  const giveUp = t + 3653 * DAY;
  while (remaining > 0) {
    if (t > giveUp) throw new Error('The working calendar has no working hours in ten years; check working_hours.');
    const d = new Date(t);
    const dayStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    const minuteOfDay = (t - dayStart) / MINUTE;
    for (const [open, close] of windowsOf(calendar, dayStart)) {
      if (minuteOfDay >= close) continue;
      const from = Math.max((t - dayStart) / MINUTE, open);
      const take = Math.min(remaining, close - from);
      remaining -= take;
      t = dayStart + (from + take) * MINUTE;
      if (remaining === 0) break;
    }
    if (remaining === 0) break;
    t = dayStart + DAY;
  }
  return new Date(t - offsetMinutes * MINUTE);
}

export function ticketDeadlines(priority: TicketPriority, from: Date, offsetMinutes: number, calendar: WorkingCalendar = STANDARD_CALENDAR) {
  const target = SERVICE_TARGETS[priority];
  return {
    acceptDueAt: addWorkingHours(from, target.acceptHours, offsetMinutes, calendar),
    dueAt: addWorkingHours(from, target.answerHours, offsetMinutes, calendar),
  };
}

/**
 * Working minutes between two instants (0 when `to` is not after `from`): the inverse of
 * addWorkingHours, for the reports' response and resolution times.
 */
export function workingMinutesBetween(from: Date, to: Date, offsetMinutes: number, calendar: WorkingCalendar = STANDARD_CALENDAR): number {
  const start = from.getTime() + offsetMinutes * MINUTE;
  const end = to.getTime() + offsetMinutes * MINUTE;
  if (end <= start) return 0;
  let total = 0;
  const first = new Date(start);
  for (let dayStart = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate()); dayStart < end; dayStart += DAY) {
    for (const [open, close] of windowsOf(calendar, dayStart)) {
      const a = Math.max(start, dayStart + open * MINUTE);
      const b = Math.min(end, dayStart + close * MINUTE);
      if (b > a) total += (b - a) / MINUTE;
    }
  }
  return total;
}
