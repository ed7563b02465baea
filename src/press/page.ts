// GET /hoi-dap (Vietnamese) and GET /qa (English): the published answers, server-rendered, searchable
// without diacritics (?q=), by topic (?topic=), 20 a page (?page=), each with its agency and date;
// and GET /hoi-dap/:id, /qa/:id, one answer on a page of its own. Public and indexable: a canonical
// address per listing (its topic and page, not the search words: searches are not indexed), links
// to the previous and next pages, the other language as an alternate, and never personal data:
// only what staff chose to publish.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Db } from '../db/database';
import type { Agency, PublishedAnswer } from '../generated/prisma/client';
import { agencyName, type Locale, type Translator } from '../i18n';
import { escapeHtml, PAGE_STYLE } from '../tracking/page';
import { publishedAnswerPath, searchPublishedAnswers } from './published';

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

/** A listing's address: its topic and page, and the search words when given. */
function listingUrl(locale: Locale, params: { q?: string; topic?: string; page?: number }): string {
  const query = new URLSearchParams();
  if (params.q) query.set('q', params.q);
  if (params.topic) query.set('topic', params.topic);
  if (params.page && params.page > 1) query.set('page', String(params.page));
  const qs = query.toString();
  return `${QA_PATHS[locale]}${qs ? `?${qs}` : ''}`;
}

export const publishedAnswersPage: FastifyPluginAsync<PublishedPageOptions> = async (app, opts) => {
  const other = (locale: Locale): Locale => (locale === 'vi' ? 'en' : 'vi');
  const texts = (locale: Locale) => {
    const t = (key: string, vars?: Record<string, unknown>) => opts.translator.t(locale, `press:qa.${key}`, vars);
    const topicName = (id: string) => {
      const name = t(`topic_names.${id}`);
      return name === `qa.topic_names.${id}` ? id : name;
    };
    return { t, topicName };
  };

  function document(
    reply: FastifyReply,
    locale: Locale,
    head: { title: string; canonical: string; alternate: string; noindex?: boolean; prev?: string; next?: string; description?: string },
    body: string,
  ) {
    const { t } = texts(locale);
    const abs = (path: string) => escapeHtml(`${opts.publicUrl}${path}`);
    const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(head.title)}</title><link rel="canonical" href="${abs(head.canonical)}">
${head.description ? `<meta name="description" content="${escapeHtml(head.description)}">` : ''}${head.noindex ? '<meta name="robots" content="noindex, follow">' : ''}
<link rel="alternate" hreflang="${other(locale)}" href="${abs(head.alternate)}">${head.prev ? `<link rel="prev" href="${abs(head.prev)}">` : ''}${head.next ? `<link rel="next" href="${abs(head.next)}">` : ''}
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
${PAGE_STYLE}<style>.qa h2{font-size:1.05rem;margin:22px 0 6px}.qa h2 a{color:inherit;text-decoration:none}form{display:flex;gap:8px;flex-wrap:wrap;margin:0 0 12px}input[type=search]{flex:1;min-width:12rem;padding:6px}.pages{display:flex;gap:16px;margin:20px 0}</style></head>
<body><main><nav><a href="/">${escapeHtml(t('home'))}</a><a href="${escapeHtml(head.alternate)}">${escapeHtml(t('other_language'))}</a></nav>
${body}
<p class="muted">${escapeHtml(t('privacy'))}</p></main></body></html>`;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=60').send(html);
  }

  const meta = (locale: Locale, a: PublishedAnswer & { agency: Agency | null }) => {
    const { t, topicName } = texts(locale);
    return `${a.demo ? `<strong>${escapeHtml(t('demo'))}</strong> · ` : ''}${a.topic ? `<a href="${escapeHtml(listingUrl(locale, { topic: a.topic }))}">${escapeHtml(topicName(a.topic))}</a> · ` : ''}${escapeHtml(
      t('answered_by', { agency: a.agency ? agencyName(a.agency, locale) : '—', date: localDate(a.publishedAt, opts.timezoneOffsetMinutes) }),
    )}`;
  };

  for (const locale of ['vi', 'en'] as const) {
    app.get<{ Querystring: { q?: string; topic?: string; page?: number } }>(
      QA_PATHS[locale],
      {
        schema: {
          tags: ['public'],
          summary: locale === 'vi' ? 'Published answers, in Vietnamese (HTML)' : 'Published answers, in English (HTML)',
          querystring: {
            type: 'object',
            properties: {
              q: { type: 'string', maxLength: 200 },
              topic: { type: 'string', maxLength: 50, pattern: '^[a-z_]*$' },
              page: { type: 'integer', minimum: 1, maximum: 10000 },
            },
          },
        },
      },
      async (req, reply) => {
        const { t, topicName } = texts(locale);
        const q = (req.query.q ?? '').trim();
        const topic = req.query.topic || undefined;
        const found = await searchPublishedAnswers(opts.db, { locale, q, topic, page: req.query.page });
        const topics = (await opts.db.publishedAnswer.findMany({ where: { locale, topic: { not: null } }, distinct: ['topic'], select: { topic: true } }))
          .map((r) => r.topic!)
          .sort();
        const options = [`<option value="">${escapeHtml(t('all_topics'))}</option>`]
          .concat(topics.map((id) => `<option value="${escapeHtml(id)}"${id === topic ? ' selected' : ''}>${escapeHtml(topicName(id))}</option>`))
          .join('');
        const items = found.answers
          .map(
            (a) => `<article class="qa"><h2><a href="${escapeHtml(publishedAnswerPath(a))}">${escapeHtml(t('question'))}: ${escapeHtml(a.question)}</a></h2>
<div class="answer">${escapeHtml(a.answer)}</div>
<p class="muted">${meta(locale, a)}</p></article>`,
          )
          .join('\n');
        const at = (page: number) => listingUrl(locale, { q, topic, page });
        const prev = found.page > 1 ? at(found.page - 1) : undefined;
        const next = found.page < found.pages ? at(found.page + 1) : undefined;
        const pager =
          prev || next
            ? `<nav class="pages">${prev ? `<a rel="prev" href="${escapeHtml(prev)}">${escapeHtml(t('previous'))}</a>` : ''}<span class="muted">${escapeHtml(
                t('page', { page: found.page, pages: found.pages }),
              )}</span>${next ? `<a rel="next" href="${escapeHtml(next)}">${escapeHtml(t('next'))}</a>` : ''}</nav>`
            : '';
        const heading = topic ? `${t('heading')}: ${topicName(topic)}` : t('heading');
        const body = `<h1>${escapeHtml(heading)}</h1><p class="muted">${escapeHtml(t('intro'))}</p>
<form method="get" action="${QA_PATHS[locale]}" role="search"><input type="search" name="q" value="${escapeHtml(q)}" aria-label="${escapeHtml(t('search'))}" placeholder="${escapeHtml(t('search'))}">
<select name="topic" aria-label="${escapeHtml(t('all_topics'))}">${options}</select><button type="submit">${escapeHtml(t('search_button'))}</button></form>
<p class="muted" data-testid="count">${escapeHtml(found.total ? t('results', { count: found.total }) : t('no_results'))}</p>
${items}
${pager}`;
        return document(
          reply,
          locale,
          {
            title: topic ? `${topicName(topic)} – ${t('title')}` : t('title'),
            // Searches are views of the listing, not pages of their own: canonical without the words, and not indexed.
            canonical: listingUrl(locale, { topic, page: found.page }),
            alternate: QA_PATHS[other(locale)],
            noindex: q !== '',
            prev,
            next,
            description: t('intro'),
          },
          body,
        );
      },
    );

    app.get<{ Params: { id: string } }>(
      `${QA_PATHS[locale]}/:id`,
      {
        schema: {
          tags: ['public'],
          summary: locale === 'vi' ? 'One published answer, in Vietnamese (HTML)' : 'One published answer, in English (HTML)',
          params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
        },
      },
      async (req, reply) => {
        const { t } = texts(locale);
        const answer = await opts.db.publishedAnswer.findUnique({ where: { id: req.params.id }, include: { agency: true } });
        if (!answer) {
          return document(reply.code(404), locale, { title: t('not_found'), canonical: QA_PATHS[locale], alternate: QA_PATHS[other(locale)], noindex: true }, `<h1>${escapeHtml(t('not_found'))}</h1><p><a href="${QA_PATHS[locale]}">${escapeHtml(t('heading'))}</a></p>`);
        }
        // An answer lives on the page of its own language.
        if (answer.locale !== locale) return reply.redirect(publishedAnswerPath(answer), 301);
        const body = `<p><a href="${QA_PATHS[locale]}">← ${escapeHtml(t('heading'))}</a></p><article class="qa"><h1>${escapeHtml(t('question'))}: ${escapeHtml(answer.question)}</h1>
<h2>${escapeHtml(t('answer'))}</h2><div class="answer">${escapeHtml(answer.answer)}</div>
<p class="muted">${meta(locale, answer)}</p></article>`;
        return document(
          reply,
          locale,
          {
            title: `${answer.question.slice(0, 90)} – ${t('title')}`,
            canonical: publishedAnswerPath(answer),
            alternate: QA_PATHS[other(locale)],
            description: answer.answer.slice(0, 160),
          },
          body,
        );
      },
    );
  }
};
