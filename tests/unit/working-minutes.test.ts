// workingMinutesBetween is the inverse of addWorkingHours: the reports' response times count the
// same office hours, holidays and swapped working days as the deadlines.
import { addWorkingHours, STANDARD_CALENDAR, workingMinutesBetween, type WorkingCalendar } from '../../src/tickets/deadlines';

const OFFSET = 420;
const local = (s: string) => new Date(`${s}:00.000+07:00`);

describe('workingMinutesBetween', () => {
  const calendar: WorkingCalendar = { ...STANDARD_CALENDAR, holidays: new Set(['2026-03-03']), workingDays: new Set(['2026-03-07']) };

  it('counts only office hours, skipping holidays and counting swapped working days', () => {
    // Monday 16:00 → Wednesday 08:30 with Tuesday off: 1 h + 1 h.
    expect(workingMinutesBetween(local('2026-03-02T16:00'), local('2026-03-04T08:30'), OFFSET, calendar)).toBe(120);
    // Friday 16:00 → Saturday (a swapped working day) 08:30: 1 h + 1 h; without the swap, 1 h.
    expect(workingMinutesBetween(local('2026-03-06T16:00'), local('2026-03-07T08:30'), OFFSET, calendar)).toBe(120);
    expect(workingMinutesBetween(local('2026-03-06T16:00'), local('2026-03-07T08:30'), OFFSET)).toBe(60);
    // The lunch break and the night are not working time; backwards is zero.
    expect(workingMinutesBetween(local('2026-03-02T11:00'), local('2026-03-02T13:30'), OFFSET)).toBe(60);
    expect(workingMinutesBetween(local('2026-03-04T10:00'), local('2026-03-02T10:00'), OFFSET)).toBe(0);
  });

  it.each([1, 4, 8, 40, 120, 7.5])('undoes addWorkingHours(%p h) from any start', (hours) => {
    for (const start of ['2026-03-02T07:00', '2026-03-02T12:00', '2026-03-06T16:45', '2026-03-08T10:00']) {
      const from = local(start);
      const to = addWorkingHours(from, hours, OFFSET, calendar);
      expect(workingMinutesBetween(from, to, OFFSET, calendar)).toBe(hours * 60);
    }
  });
});
