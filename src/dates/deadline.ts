// When a reporter needs the answer, from their own words: "trước 16h thứ Sáu", "17 giờ ngày 5/12",
// "sáng mai", "trong 2 ngày", "by Friday 4pm", "tomorrow noon", "05/12/2026 15:00". Written here
// because the date-parsing libraries on npm (chrono-node and the like) have no Vietnamese; the
// phrases a newsroom uses are few and regular. Times are local (the hotline's UTC offset); a day
// without a time means the end of office hours (17:00); a weekday means the next one to come
// (today's, if its time is still ahead).
import { stripDiacritics } from '../classify/normalize';

export interface DeadlineOptions {
  now: Date;
  /** The hotline's local time as an offset from UTC (Vietnam: +420). */
  timezoneOffsetMinutes: number;
}

const END_OF_DAY = 17;

/** Weekday numbers (0 = Sunday) by the words people use, diacritics removed. */
const WEEKDAYS: Array<[RegExp, number]> = [
  [/\b(?:thu (?:hai|2)|t2|monday|mon)\b/, 1],
  [/\b(?:thu (?:ba|3)|t3|tuesday|tue)\b/, 2],
  [/\b(?:thu (?:tu|4)|t4|wednesday|wed)\b/, 3],
  [/\b(?:thu (?:nam|5)|t5|thursday)\b/, 4],
  [/\b(?:thu (?:sau|6)|t6|friday|fri)\b/, 5],
  [/\b(?:thu (?:bay|7)|t7|saturday|sat)\b/, 6],
  [/\b(?:chu nhat|cn|sunday|sun)\b/, 0],
];

/** The local calendar date and hour of an instant. */
function local(date: Date, offset: number) {
  const shifted = new Date(date.getTime() + offset * 60_000);
  return { y: shifted.getUTCFullYear(), m: shifted.getUTCMonth(), d: shifted.getUTCDate(), h: shifted.getUTCHours(), dow: shifted.getUTCDay() };
}

const at = (y: number, m: number, d: number, hour: number, minute: number, offset: number) =>
  new Date(Date.UTC(y, m, d, hour, minute) - offset * 60_000);

/**
 * Words that differ only by their diacritics ("tối" evening, "tới" next; "sáng" morning, "sang"
 * over to; "mai" tomorrow, "mái" roof) are read from the words as typed; without diacritics only
 * in phrases that mean nothing else ("buoi toi", "sang mai", "ngay mai").
 */
const EVENING = (raw: string, text: string) => /tối/u.test(raw) || /\b(?:buoi toi|toi nay|evening|tonight)\b/.test(text);
const MORNING = (raw: string, text: string) => /sáng/u.test(raw) || /\b(?:buoi sang|sang mai|sang nay|morning)\b/.test(text);
const TOMORROW = (raw: string, text: string) => /(?<!\p{L})mai(?!\p{L})/u.test(raw) || /\b(?:ngay mai|tomorrow)\b/.test(text);

/** The time of day the words name, if any: "16h", "16h30", "16:30", "4pm", "4:30 pm", "sáng", "trưa", "chiều". */
function timeOfDay(raw: string, text: string): { hour: number; minute: number } | null {
  const clock = /\b(\d{1,2})\s*(?:h|g|gio|:)\s*(\d{2})?\b(?!\s*\/)/.exec(text) ?? /\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b/.exec(text);
  if (clock) {
    let hour = Number(clock[1]);
    const minute = Number(clock[2] ?? 0);
    const half = clock[3];
    if (half === 'pm' && hour < 12) hour += 12;
    if (half === 'am' && hour === 12) hour = 0;
    // "4h chiều", "8h tối": the afternoon and evening hours.
    if (!half && hour < 12 && (/\b(?:chieu|afternoon)\b/.test(text) || EVENING(raw, text))) hour += 12;
    if (hour <= 23 && minute <= 59) return { hour, minute };
  }
  if (MORNING(raw, text)) return { hour: 11, minute: 0 };
  if (/\b(?:trua|noon|midday)\b/.test(text)) return { hour: 12, minute: 0 };
  if (/\b(?:chieu|afternoon)\b/.test(text)) return { hour: END_OF_DAY, minute: 0 };
  if (EVENING(raw, text)) return { hour: 20, minute: 0 };
  return null;
}

/**
 * The deadline the words give, or null when they give none (the caller asks again). A date in the
 * past is no deadline either.
 */
export function parseDeadline(words: string, options: DeadlineOptions): Date | null {
  const raw = words.toLowerCase().replace(/\s+/g, ' ');
  const text = stripDiacritics(raw);
  const offset = options.timezoneOffsetMinutes;
  const now = local(options.now, offset);
  const time = timeOfDay(raw, text);
  let day: { y: number; m: number; d: number } | null = null;

  const within = /\btrong (?:vong )?(\d{1,2}) (ngay|gio|tieng)\b|\bwithin (\d{1,2}) (days?|hours?)\b/.exec(text);
  const date = /\b(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2,4}))?\b/.exec(text);
  const weekday = WEEKDAYS.find(([pattern]) => pattern.test(text));
  if (within) {
    const n = Number(within[1] ?? within[3]);
    const unit = within[2] ?? within[4]!;
    if (/^(?:gio|tieng|hour)/.test(unit)) return new Date(options.now.getTime() + n * 3600_000);
    const then = local(new Date(options.now.getTime() + n * 86_400_000), offset);
    day = { y: then.y, m: then.m, d: then.d };
  } else if (date) {
    const d = Number(date[1]);
    const m = Number(date[2]) - 1;
    let y = date[3] ? Number(date[3]) : now.y;
    if (y < 100) y += 2000;
    if (m < 0 || m > 11 || d < 1 || d > 31) return null;
    // "5/1" said in December is next year's.
    if (!date[3] && (m < now.m || (m === now.m && d < now.d))) y += 1;
    day = { y, m, d };
  } else if (/\b(?:ngay kia|mot|the day after tomorrow)\b/.test(text)) {
    day = { y: now.y, m: now.m, d: now.d + 2 };
  } else if (TOMORROW(raw, text)) {
    day = { y: now.y, m: now.m, d: now.d + 1 };
  } else if (weekday) {
    let ahead = (weekday[1] - now.dow + 7) % 7;
    const nextWeek = /\b(?:tuan sau|tuan toi|next week)\b/.test(text);
    if (nextWeek) ahead += 7;
    day = { y: now.y, m: now.m, d: now.d + ahead };
    // Today's weekday with its time already gone means next week's.
    if (ahead === 0 && !nextWeek && (time?.hour ?? END_OF_DAY) <= now.h) day.d += 7;
  } else if (/\b(?:hom nay|trong ngay|today|tonight|eod)\b/.test(text) || time) {
    day = { y: now.y, m: now.m, d: now.d };
  }
  if (!day) return null;
  const deadline = at(day.y, day.m, day.d, time?.hour ?? END_OF_DAY, time?.minute ?? 0, offset);
  return deadline.getTime() > options.now.getTime() ? deadline : null;
}
