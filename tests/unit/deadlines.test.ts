import { addWorkingHours, ticketDeadlines } from '../../src/tickets/deadlines';

const VN = 420; // UTC+7
const at = (iso: string) => new Date(iso);

describe('working-hour deadlines', () => {
  it('counts only 07:30–11:30 and 13:00–17:00 on weekdays, local time', () => {
    expect(addWorkingHours(at('2026-11-23T01:00:00Z'), 1, VN).toISOString()).toBe('2026-11-23T02:00:00.000Z'); // Mon 08:00 → 09:00
    expect(addWorkingHours(at('2026-11-23T04:00:00Z'), 1, VN).toISOString()).toBe('2026-11-23T06:30:00.000Z'); // 11:00 → lunch → 13:30
    expect(addWorkingHours(at('2026-11-27T09:30:00Z'), 1, VN).toISOString()).toBe('2026-11-30T01:00:00.000Z'); // Fri 16:30 → Mon 08:00
    expect(addWorkingHours(at('2026-11-28T03:00:00Z'), 4, VN).toISOString()).toBe('2026-11-30T04:30:00.000Z'); // Sat → Mon 11:30
    expect(addWorkingHours(at('2026-11-22T23:00:00Z'), 0.5, VN).toISOString()).toBe('2026-11-23T01:00:00.000Z'); // Mon 06:00 → 08:00
  });

  it('gives the targets of docs/taxonomy.md by priority', () => {
    const monday0730 = at('2026-11-23T00:30:00Z');
    expect(ticketDeadlines('urgent', monday0730, VN)).toEqual({
      acceptDueAt: at('2026-11-23T01:30:00Z'),
      dueAt: at('2026-11-23T04:30:00Z'),
    });
    expect(ticketDeadlines('normal', monday0730, VN).dueAt).toEqual(at('2026-11-27T10:00:00Z')); // 5 working days
    expect(ticketDeadlines('complex', monday0730, VN).dueAt).toEqual(at('2026-12-11T10:00:00Z')); // 15 working days
  });
});
