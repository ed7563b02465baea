// Deadlines count working hours, as the 1022 regulations do: Monday to Friday,
// 07:30–11:30 and 13:00–17:00 local time (8 hours a day). Public holidays are not modelled yet.
import type { TicketPriority } from '../generated/prisma/enums';

const WINDOWS: ReadonlyArray<readonly [number, number]> = [
  [7 * 60 + 30, 11 * 60 + 30],
  [13 * 60, 17 * 60],
];
const MINUTE = 60_000;
const HOURS_PER_DAY = 8;

/** Accept and answer targets of docs/taxonomy.md, in working hours. */
export const SERVICE_TARGETS: Record<TicketPriority, { acceptHours: number; answerHours: number }> = {
  urgent: { acceptHours: 1, answerHours: 4 },
  normal: { acceptHours: 8, answerHours: 5 * HOURS_PER_DAY },
  complex: { acceptHours: 8, answerHours: 15 * HOURS_PER_DAY },
};

/** Adds `hours` working hours to `start`; offsetMinutes is the local time zone (420 = UTC+7). */
export function addWorkingHours(start: Date, hours: number, offsetMinutes: number): Date {
  let remaining = Math.round(hours * 60);
  // Work in "local" milliseconds so that getUTC* read local wall-clock time.
  let t = start.getTime() + offsetMinutes * MINUTE;
  while (remaining > 0) {
    const d = new Date(t);
    const dayStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    const weekday = d.getUTCDay();
    if (weekday !== 0 && weekday !== 6) {
      const minuteOfDay = (t - dayStart) / MINUTE;
      for (const [open, close] of WINDOWS) {
        if (minuteOfDay >= close) continue;
        const from = Math.max(minuteOfDay, open);
        const take = Math.min(remaining, close - from);
        remaining -= take;
        t = dayStart + (from + take) * MINUTE;
        if (remaining === 0) break;
      }
      if (remaining === 0) break;
    }
    t = dayStart + 24 * 60 * MINUTE;
  }
  return new Date(t - offsetMinutes * MINUTE);
}

export function ticketDeadlines(priority: TicketPriority, from: Date, offsetMinutes: number) {
  const target = SERVICE_TARGETS[priority];
  return {
    acceptDueAt: addWorkingHours(from, target.acceptHours, offsetMinutes),
    dueAt: addWorkingHours(from, target.answerHours, offsetMinutes),
  };
}
