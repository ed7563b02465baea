// Deadlines in the calendar the migration seeds: Vietnam's public holidays and swapped days.
import type { Database } from '../../src/db/database';
import { loadWorkingCalendar } from '../../src/tickets/calendar';
import { addWorkingHours, STANDARD_CALENDAR, ticketDeadlines, type WorkingCalendar } from '../../src/tickets/deadlines';
import { openFreshDatabase } from '../helpers/databases';

const VN = 420;
const at = (iso: string) => new Date(iso);

describe('working-hour calendar', () => {
  let database: Database;
  let close: () => Promise<void>;
  let calendar: WorkingCalendar;
  beforeAll(async () => {
    ({ database, close } = await openFreshDatabase());
    calendar = await loadWorkingCalendar(database.prisma);
  });
  afterAll(async () => {
    await close();
  });

  it('seeds the office hours and the 2026 and 2027 holidays, 2027 marked provisional', async () => {
    expect(calendar.weekly.map((w) => w.length)).toEqual([0, 2, 2, 2, 2, 2, 0]);
    expect(calendar.weekly[3]).toEqual([[450, 690], [780, 1020]]);
    for (const day of ['2026-01-01', '2026-02-16', '2026-02-20', '2026-04-27', '2026-04-30', '2026-05-01', '2026-08-31', '2026-09-01', '2026-09-02', '2027-02-05', '2027-02-11', '2027-04-16', '2027-09-03']) {
      expect(calendar.holidays.has(day)).toBe(true);
    }
    expect([...calendar.workingDays].sort()).toEqual(['2026-01-10', '2026-08-22']);
    const provisional = await database.prisma.calendarDay.findMany({ where: { provisional: true }, select: { date: true } });
    expect(provisional.every((d) => d.date.getUTCFullYear() === 2027)).toBe(true);
  });

  it('skips Tết: a request on the Friday before is answered the Monday after the holiday week', () => {
    // Fri 13 Feb 2026, 16:00 local: one hour of Friday, then Tết from Mon 16 to Fri 20 February.
    const due = addWorkingHours(at('2026-02-13T09:00:00Z'), 8, VN, calendar);
    expect(due.toISOString()).toBe('2026-02-23T09:00:00.000Z'); // Mon 23 Feb 16:00 local (4 h before lunch, 3 after)
    // Without the holidays the same eight hours end on Monday 16 February.
    expect(addWorkingHours(at('2026-02-13T09:00:00Z'), 8, VN, STANDARD_CALENDAR).toISOString()).toBe('2026-02-16T09:00:00.000Z');
  });

  it('counts a swapped Saturday as a working day and its swapped Friday as a day off', () => {
    // Thu 1 Jan 2026 (holiday) 09:00 → Fri 2 Jan is off, Sat 3 and Sun 4 are weekend: Mon 5 Jan 08:30.
    expect(addWorkingHours(at('2026-01-01T02:00:00Z'), 1, VN, calendar).toISOString()).toBe('2026-01-05T01:30:00.000Z');
    // Fri 9 Jan 16:30 + 1 h: half an hour on Friday, the next on the worked Saturday 10 January.
    expect(addWorkingHours(at('2026-01-09T09:30:00Z'), 1, VN, calendar).toISOString()).toBe('2026-01-10T01:00:00.000Z');
  });

  it('gives an urgent ticket opened on National Day its hours on the first working day after', () => {
    const { acceptDueAt, dueAt } = ticketDeadlines('urgent', at('2026-09-02T03:00:00Z'), VN, calendar);
    expect(acceptDueAt.toISOString()).toBe('2026-09-03T01:30:00.000Z'); // Thu 3 Sep 08:30
    expect(dueAt.toISOString()).toBe('2026-09-03T04:30:00.000Z'); // 4 working hours: 07:30–11:30
  });

  it('takes a new holiday through the client and refuses a day of an unknown kind or a window that closes before it opens', async () => {
    const db = database.prisma;
    await db.calendarDay.create({ data: { date: new Date('2026-11-24'), kind: 'holiday', name: 'Ngày Văn hóa Việt Nam', nameEn: 'Vietnamese Culture Day', source: 'test' } });
    expect((await loadWorkingCalendar(db)).holidays.has('2026-11-24')).toBe(true);
    await expect(db.calendarDay.create({ data: { date: new Date('2026-11-25'), kind: 'party', name: 'x', nameEn: 'x' } })).rejects.toThrow(/calendar_day_kind_check/);
    await expect(db.workingHours.create({ data: { weekday: 6, opensAt: 600, closesAt: 540 } })).rejects.toThrow(/working_hours_window_check/);
    await db.calendarDay.delete({ where: { date: new Date('2026-11-24') } });
  });

  it('refuses to loop for ever on a calendar without office hours', () => {
    const closed: WorkingCalendar = { weekly: [[], [], [], [], [], [], []], holidays: new Set(), workingDays: new Set() };
    expect(() => addWorkingHours(at('2026-03-02T01:00:00Z'), 1, VN, closed)).toThrow('no working hours in ten years');
  });
});
