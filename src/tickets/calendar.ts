// Reads the working-hour calendar (tables working_hours and calendar_day) into the shape the
// deadline arithmetic uses. Read at start-up and kept in memory (deadlines are computed for every
// new ticket); refresh() reads it again: the administration API calls it after a change, and each
// worker node on its minute timer, so a holiday added in the console counts without a restart.
import type { Db } from '../db/database';
import { STANDARD_CALENDAR, type Window, type WorkingCalendar } from './deadlines';

const localDate = (date: Date) => date.toISOString().slice(0, 10);

type CalendarTables = Pick<Db, 'workingHours' | 'calendarDay'>;

export async function readWorkingCalendar(db: CalendarTables): Promise<WorkingCalendar> {
  const [hours, days] = await Promise.all([
    db.workingHours.findMany({ orderBy: [{ weekday: 'asc' }, { opensAt: 'asc' }] }),
    db.calendarDay.findMany(),
  ]);
  // A database without office hours (not migrated to this calendar yet) keeps the standard hours.
  if (hours.length === 0 && days.length === 0) return STANDARD_CALENDAR;
  const weekly: Window[][] = Array.from({ length: 7 }, () => []);
  for (const h of hours) weekly[h.weekday]!.push([h.opensAt, h.closesAt]);
  return {
    weekly,
    // @db.Date values come back as midnight UTC of that date: the local date itself.
    holidays: new Set(days.filter((d) => d.kind === 'holiday').map((d) => localDate(d.date))),
    workingDays: new Set(days.filter((d) => d.kind === 'working_day').map((d) => localDate(d.date))),
  };
}

/** The calendar as last read; everything holding it sees a refresh at once. */
export class LiveWorkingCalendar implements WorkingCalendar {
  private constructor(
    private readonly db: CalendarTables,
    private current: WorkingCalendar,
  ) {}

  static async load(db: CalendarTables): Promise<LiveWorkingCalendar> {
    return new LiveWorkingCalendar(db, await readWorkingCalendar(db));
  }

  get weekly() {
    return this.current.weekly;
  }
  get holidays() {
    return this.current.holidays;
  }
  get workingDays() {
    return this.current.workingDays;
  }

  /** Reads the tables again and swaps the result in whole (deadlines are computed synchronously: each sees one calendar). */
  async refresh(): Promise<void> {
    this.current = await readWorkingCalendar(this.db);
  }
}

export const loadWorkingCalendar = (db: CalendarTables): Promise<LiveWorkingCalendar> => LiveWorkingCalendar.load(db);
