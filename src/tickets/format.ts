// Dates as people at the hotline read them: local wall-clock time, "14:30 25/11/2026".
import type { Locale } from '../i18n';

export function formatLocalTime(date: Date, locale: Locale, offsetMinutes: number): string {
  const d = new Date(date.getTime() + offsetMinutes * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const day = `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
  return locale === 'vi' ? `${time} ngày ${day}` : `${time} on ${day}`;
}
