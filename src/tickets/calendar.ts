// Reads the working-hour calendar (tables working_hours and calendar_day) into the shape the
// deadline arithmetic uses. Read once at start-up: deadlines are computed for every new ticket.
import type { Db } from '../db/database';
import { STANDARD_CALENDAR, type Window, type WorkingCalendar } from './deadlines';

const localDate = (date: Date) => date.toISOString().slice(0, 10);

export async function loadWorkingCalendar(db: Pick<Db, 'workingHours' | 'calendarDay'>): Promise<WorkingCalendar> {
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
