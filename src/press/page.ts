// GET /hoi-dap (Vietnamese) and GET /qa (English): the published answers, server-rendered, searchable
// without diacritics (?q=), by topic (?topic=), each with its agency and date. Public and indexable
// (a canonical address per page), and never personal data: only what staff chose to publish.
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../db/database';
import { agencyName, type Locale, type Translator } from '../i18n';
import { escapeHtml, PAGE_STYLE } from '../tracking/page';
import { searchPublishedAnswers } from './published';

export interface PublishedPageOptions {
  db: Db;
  translator: Translator;
  timezoneOffsetMinutes: number;
  /** The hotline's public address: canonical links are absolute. */
  publicUrl: string;
}

export const QA_PATHS: Record<Locale, string> = { vi: '/hoi-dap', en: '/qa' };

function localDate(date: Date, offsetMinutes: number): string {
  const d = new Date(date.getTime() + offsetMinutes * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

export const publishedAnswersPage: FastifyPluginAsync<PublishedPageOptions> = async (app, opts) => {
  for (const locale of ['vi', 'en'] as const) {
    app.get<{ Querystring: { q?: string; topic?: string } }>(
      QA_PATHS[locale],
      {
        schema: {
          tags: ['public'],
          summary: locale === 'vi' ? 'Published answers, in Vietnamese (HTML)' : 'Published answers, in English (HTML)',
          querystring: {
            type: 'object',
            properties: { q: { type: 'string', maxLength: 200 }, topic: { type: 'string', maxLength: 50, pattern: '^[a-z_]*$' } },
          },
        },
      },
      async (req, reply) => {
        const t = (key: string, vars?: Record<string, unknown>) => opts.translator.t(locale, `press:qa.${key}`, vars);
        const q = (req.query.q ?? '').trim();
        const topic = req.query.topic || undefined;
        const answers = await searchPublishedAnswers(opts.db, { locale, q, topic });
        const topics = (await opts.db.publishedAnswer.findMany({ where: { locale, topic: { not: null } }, distinct: ['topic'], select: { topic: true } }))
          .map((r) => r.topic!)
          .sort();
        const topicName = (id: string) => {
          const name = t(`topic_names.${id}`);
          return name === `qa.topic_names.${id}` ? id : name;
        };
        const options = [`<option value="">${escapeHtml(t('all_topics'))}</option>`]
          .concat(topics.map((id) => `<option value="${escapeHtml(id)}"${id === topic ? ' selected' : ''}>${escapeHtml(topicName(id))}</option>`))
          .join('');
        const items = answers
          .map(
            (a) => `<article class="qa"><h2>${escapeHtml(t('question'))}: ${escapeHtml(a.question)}</h2>
<div class="answer">${escapeHtml(a.answer)}</div>
<p class="muted">${a.demo ? `<strong>${escapeHtml(t('demo'))}</strong> · ` : ''}${a.topic ? `${escapeHtml(topicName(a.topic))} · ` : ''}${escapeHtml(
              t('answered_by', { agency: a.agency ? agencyName(a.agency, locale) : '—', date: localDate(a.publishedAt, opts.timezoneOffsetMinutes) }),
            )}</p></article>`,
          )
          .join('\n');
        const other: Locale = locale === 'vi' ? 'en' : 'vi';
        // The canonical address is the unfiltered page: searches are views of it, not pages of their own.
        const canonical = `${opts.publicUrl}${QA_PATHS[locale]}`;
        const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t('title'))}</title><link rel="canonical" href="${escapeHtml(canonical)}">
<link rel="alternate" hreflang="${other}" href="${escapeHtml(`${opts.publicUrl}${QA_PATHS[other]}`)}"><link rel="icon" href="/favicon.svg" type="image/svg+xml">
${PAGE_STYLE}<style>.qa h2{font-size:1.05rem;margin:22px 0 6px}form{display:flex;gap:8px;flex-wrap:wrap;margin:0 0 12px}input[type=search]{flex:1;min-width:12rem;padding:6px}</style></head>
<body><main><nav><a href="/">${escapeHtml(t('home'))}</a><a href="${QA_PATHS[other]}">${escapeHtml(t('other_language'))}</a></nav>
<h1>${escapeHtml(t('heading'))}</h1><p class="muted">${escapeHtml(t('intro'))}</p>
<form method="get" action="${QA_PATHS[locale]}" role="search"><input type="search" name="q" value="${escapeHtml(q)}" aria-label="${escapeHtml(t('search'))}" placeholder="${escapeHtml(t('search'))}">
<select name="topic" aria-label="${escapeHtml(t('all_topics'))}">${options}</select><button type="submit">${escapeHtml(t('search_button'))}</button></form>
<p class="muted" data-testid="count">${escapeHtml(answers.length ? t('results', { count: answers.length }) : t('no_results'))}</p>
${items}
<p class="muted">${escapeHtml(t('privacy'))}</p></main></body></html>`;
        return reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=60').send(html);
      },
    );
  }
};
