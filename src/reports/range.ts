// Local days and periods as instants: a report's "1 March" is the local day (TIMEZONE_OFFSET_MINUTES),
// not UTC's.
const MINUTE = 60_000;
const DAY = 86_400_000;

export interface LocalRange {
  /** First local day, YYYY-MM-DD. */
  from: string;
  /** Last local day (inclusive), YYYY-MM-DD. */
  to: string;
  /** Local midnight of `from`. */
  start: Date;
  /** Local midnight after `to` (exclusive). */
  end: Date;
}

export class ReportInputError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReportInputError';
  }
}

function parseDay(text: string): number {
  const ms = Date.parse(`${text}T00:00:00.000Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) throw new ReportInputError('bad_date', `${text} is not a date (YYYY-MM-DD).`);
  return ms;
}

const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The local day `now` falls on. */
export const localToday = (now: Date, offsetMinutes: number) => dayText(now.getTime() + offsetMinutes * MINUTE);

export function localRange(from: string, to: string, offsetMinutes: number, maxDays = 366): LocalRange {
  const a = parseDay(from);
  const b = parseDay(to);
  if (b < a) throw new ReportInputError('bad_range', `to (${to}) is before from (${from}).`);
  if ((b - a) / DAY + 1 > maxDays) throw new ReportInputError('range_too_long', `At most ${maxDays} days at once.`);
  return { from, to, start: new Date(a - offsetMinutes * MINUTE), end: new Date(b + DAY - offsetMinutes * MINUTE) };
}

/** Every local day of a range, in order. */
export function daysOf(range: Pick<LocalRange, 'from' | 'to'>): string[] {
  const days: string[] = [];
  for (let ms = parseDay(range.from); ms <= parseDay(range.to); ms += DAY) days.push(dayText(ms));
  return days;
}

export type PeriodKind = 'month' | 'quarter' | 'year';

/** A calendar month (number 1–12), quarter (1–4) or year of local time. */
export function periodRange(kind: PeriodKind, year: number, number: number | undefined, offsetMinutes: number): LocalRange & { kind: PeriodKind; year: number; number: number | null } {
  const need = kind === 'month' ? 12 : kind === 'quarter' ? 4 : 0;
  if (need > 0 && (number === undefined || number < 1 || number > need)) {
    throw new ReportInputError('bad_period', `A ${kind} needs number from 1 to ${need}.`);
  }
  const firstMonth = kind === 'month' ? number! - 1 : kind === 'quarter' ? (number! - 1) * 3 : 0;
  const months = kind === 'month' ? 1 : kind === 'quarter' ? 3 : 12;
  const from = dayText(Date.UTC(year, firstMonth, 1));
  const to = dayText(Date.UTC(year, firstMonth + months, 1) - DAY);
  return { ...localRange(from, to, offsetMinutes), kind, year, number: need > 0 ? number! : null };
}
