// The period report as a CSV download and as a printable page (server-rendered HTML, in the
// reader's language; the texts are locales/<vi|en>/reports.json).
import { toCsv } from '../press/csv';
import type { Locale, Translator } from '../i18n';
import { formatLocalTime } from '../tickets/format';
import { escapeHtml } from '../tracking/page';
import type { PeriodReport } from './period';

/** The report's figures in the order it prints them: [key of reports.json, value]. */
export function periodFigures(r: PeriodReport): Array<[string, number]> {
  return [
    ['requests_received', r.requests.received],
    ['requests_answered', r.requests.answered],
    ['questions_received', r.questions.received],
    ['questions_answered', r.questions.answered],
    ['online_received', r.onlineSupport.received],
    ['online_handled', r.onlineSupport.handled],
    ['press_received', r.pressRequests.received],
    ['press_answered', r.pressRequests.answered],
    ['draft_comments_total', r.draftComments.total],
    ['conferences_held', r.pressConferences.held],
    ['conference_registrants', r.pressConferences.registrants],
  ];
}

export function periodTitle(t: Translator, locale: Locale, r: PeriodReport): string {
  const period = t.t(locale, `reports:period.${r.period.kind}`, { year: r.period.year, number: r.period.number ?? '' });
  return t.t(locale, 'reports:title', { period });
}

/** section, figure, value: one row a figure, then one a draft and one a conference. */
export function periodCsv(t: Translator, locale: Locale, r: PeriodReport, offsetMinutes: number): string {
  const tr = (key: string) => t.t(locale, `reports:${key}`);
  const rows: unknown[][] = [
    ...periodFigures(r).map(([key, value]) => [tr(key.startsWith('draft') ? 'section.drafts' : key.startsWith('conference') ? 'section.conferences' : 'section.requests'), tr(key), value]),
    ...r.draftComments.drafts.map((d) => [tr('section.drafts'), `${locale === 'en' ? d.titleEn : d.titleVi} (${d.agency})`, d.comments]),
    ...r.pressConferences.events.map((e) => [
      tr('section.conferences'),
      `${locale === 'en' ? e.titleEn : e.titleVi} (${formatLocalTime(e.startsAt, locale, offsetMinutes)})`,
      e.registrants,
    ]),
  ];
  return toCsv([tr('section_column'), tr('figure'), tr('value')], rows);
}

const PRINT_STYLE = `<style>
body{font-family:"Times New Roman",Georgia,serif;color:#111;margin:2rem auto;max-width:48rem;padding:0 1rem;line-height:1.4}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.15rem;margin-top:1.75rem;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%;margin-top:.5rem}th,td{border:1px solid #999;padding:.35rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap}.muted{color:#555}nav{display:flex;gap:1rem;margin-bottom:1rem}
@media print{nav{display:none}body{margin:0}}
</style>`;

export function periodPage(t: Translator, locale: Locale, r: PeriodReport, opts: { offsetMinutes: number; now: Date; otherLanguageHref: string; csvHref: string }): string {
  const tr = (key: string, vars?: Record<string, unknown>) => escapeHtml(t.t(locale, `reports:${key}`, vars));
  const title = escapeHtml(periodTitle(t, locale, r));
  const figures = periodFigures(r);
  const table = (keys: Array<[string, number]>) =>
    `<table><thead><tr><th>${tr('figure')}</th><th class="n">${tr('value')}</th></tr></thead><tbody>${keys
      .map(([key, value]) => `<tr><td>${tr(key)}</td><td class="n">${value.toLocaleString(locale === 'en' ? 'en-GB' : 'vi-VN')}</td></tr>`)
      .join('')}</tbody></table>`;
  const drafts = r.draftComments.drafts.length
    ? `<table><thead><tr><th>${tr('draft')}</th><th>${tr('agency')}</th><th class="n">${tr('comments')}</th></tr></thead><tbody>${r.draftComments.drafts
        .map((d) => `<tr><td>${escapeHtml(locale === 'en' ? d.titleEn : d.titleVi)}</td><td>${escapeHtml(d.agency)}</td><td class="n">${d.comments}</td></tr>`)
        .join('')}</tbody></table>`
    : `<p class="muted">${tr('no_drafts')}</p>`;
  const events = r.pressConferences.events.length
    ? `<table><thead><tr><th>${tr('conference')}</th><th>${tr('starts_at')}</th><th class="n">${tr('registrants')}</th></tr></thead><tbody>${r.pressConferences.events
        .map(
          (e) =>
            `<tr><td>${escapeHtml(locale === 'en' ? e.titleEn : e.titleVi)}</td><td>${escapeHtml(formatLocalTime(e.startsAt, locale, opts.offsetMinutes))}</td><td class="n">${e.registrants}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : `<p class="muted">${tr('no_conferences')}</p>`;
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>${PRINT_STYLE}</head>
<body><main><nav><a href="${escapeHtml(opts.otherLanguageHref)}">${tr('other_language')}</a><a href="${escapeHtml(opts.csvHref)}">CSV</a></nav>
<h1>${title}</h1><p class="muted">${tr('range', { from: r.period.from, to: r.period.to })} · ${tr('printed', { at: formatLocalTime(opts.now, locale, opts.offsetMinutes) })}</p>
<h2>${tr('section.requests')}</h2>${table(figures.slice(0, 8))}
<h2>${tr('section.drafts')}</h2>${table(figures.slice(8, 9))}${drafts}
<h2>${tr('section.conferences')}</h2>${table(figures.slice(9))}${events}
</main></body></html>`;
}
