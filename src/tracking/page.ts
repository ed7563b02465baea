// GET /t/:trackingCode — the public tracking page: status, agency and answer, never personal data
// (no name, phone, channel or the person's own words). JSON for Accept: application/json.
import type { FastifyPluginAsync } from 'fastify';
import type { Limit } from '../config';
import type { Db } from '../db/database';
import { agencyName, isLocale, type Locale, type Translator } from '../i18n';
import { routeLimit } from '../limits/http';
import { formatLocalTime } from '../tickets/format';
import { normalizeTrackingCode } from '../tickets/tracking-code';

export interface TrackingOptions {
  db: Db;
  translator: Translator;
  timezoneOffsetMinutes: number;
  /** Lookups per client address: codes are short, so unlimited lookups would find tickets by guessing. */
  limit: Limit;
}

export interface PublicTicket {
  trackingCode: string;
  status: string;
  statusLabel: string;
  agency: string | null;
  createdAt: string;
  dueAt: string;
  /** deliveredInChat false: the platform refused it (e.g. Zalo's interaction window closed); this page is where it is read. */
  answers: Array<{ text: string; at: string; deliveredInChat: boolean }>;
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

async function publicTicket(db: Db, translator: Translator, locale: Locale, code: string): Promise<PublicTicket | null> {
  const ticket = await db.ticket.findUnique({ where: { trackingCode: code }, include: { agency: true } });
  if (!ticket) return null;
  const answers = await db.message.findMany({
    where: { ticketId: ticket.id, author: 'agent' },
    orderBy: { seq: 'asc' },
    select: { text: true, createdAt: true, delivery: true },
  });
  return {
    trackingCode: ticket.trackingCode,
    status: ticket.status,
    statusLabel: translator.t(locale, `status.${ticket.status}`),
    agency: ticket.agency ? agencyName(ticket.agency, locale) : null,
    createdAt: ticket.createdAt.toISOString(),
    dueAt: ticket.dueAt.toISOString(),
    answers: answers.map((a) => ({ text: a.text, at: a.createdAt.toISOString(), deliveredInChat: a.delivery !== 'failed' })),
  };
}

/** The public pages' look (the tracking page, /hoi-dap and /qa). */
export const PAGE_STYLE = `<style>body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f6f8;color:#1d2733;margin:0}
main{max-width:640px;margin:40px auto;background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:28px}
h1{font-size:1.4rem;margin:0 0 18px}dl{display:grid;grid-template-columns:max-content 1fr;gap:8px 16px;margin:0 0 20px}
dt{color:#5a6b7d}dd{margin:0;font-weight:600}.answer{white-space:pre-wrap;background:#eef6ee;border-left:4px solid #2e7d32;padding:12px 14px;border-radius:6px;margin:8px 0}
.muted{color:#5a6b7d;font-size:.9rem}.notice{background:#fff4e5;border-left:4px solid #ed6c02;padding:8px 12px;border-radius:6px}nav{display:flex;justify-content:space-between;margin-bottom:16px}a{color:#0b5cad}</style>`;

function page(locale: Locale, title: string, body: string, otherHref: string, t: (k: string) => string): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><meta name="robots" content="noindex"><link rel="icon" href="/favicon.svg" type="image/svg+xml">
${PAGE_STYLE}</head>
<body><main><nav><a href="/">${escapeHtml(t('home'))}</a><a href="${otherHref}">${escapeHtml(t('other_language'))}</a></nav>${body}
<p class="muted">${escapeHtml(t('privacy'))}</p></main></body></html>`;
}

export const trackingPage: FastifyPluginAsync<TrackingOptions> = async (app, opts) => {
  app.get<{ Params: { trackingCode: string }; Querystring: { lang?: string } }>(
    '/t/:trackingCode',
    {
      onRequest: routeLimit(app, {
        name: 'tracking-ip',
        limit: opts.limit,
        message: (wait) => `Too many tracking lookups from your address; try again in ${wait}.`,
      }),
      schema: {
        tags: ['public'],
        summary: 'Public tracking page of a ticket (HTML, or JSON with Accept: application/json)',
        params: { type: 'object', properties: { trackingCode: { type: 'string', maxLength: 40 } } },
        querystring: { type: 'object', properties: { lang: { type: 'string', enum: ['vi', 'en'] } } },
      },
    },
    async (req, reply) => {
      const locale: Locale = isLocale(req.query.lang) ? req.query.lang : 'vi';
      const t = (key: string, vars?: Record<string, unknown>) => opts.translator.t(locale, `tracking:${key}`, vars);
      const code = normalizeTrackingCode(req.params.trackingCode);
      const ticket = code ? await publicTicket(opts.db, opts.translator, locale, code) : null;
      const shownCode = code ?? req.params.trackingCode.slice(0, 40);
      const wantsJson = (req.headers.accept ?? '').includes('application/json');
      const otherHref = `/t/${encodeURIComponent(shownCode)}?lang=${locale === 'vi' ? 'en' : 'vi'}`;
      reply.header('cache-control', 'no-store');
      if (!ticket) {
        const message = t('not_found', { code: shownCode });
        if (wantsJson) return reply.code(404).send({ error: 'ticket_not_found', message });
        const body = `<h1>${escapeHtml(t('not_found_title'))}</h1><p>${escapeHtml(message)}</p>`;
        return reply.code(404).type('text/html; charset=utf-8').send(page(locale, t('not_found_title'), body, otherHref, t));
      }
      if (wantsJson) return ticket;
      const when = (iso: string) => escapeHtml(formatLocalTime(new Date(iso), locale, opts.timezoneOffsetMinutes));
      const answers = ticket.answers.length
        ? ticket.answers
            .map(
              (a) =>
                `<p class="muted">${escapeHtml(t('answered_at'))}: ${when(a.at)}</p><div class="answer">${escapeHtml(a.text)}</div>` +
                (a.deliveredInChat ? '' : `<p class="notice" data-testid="not-delivered">${escapeHtml(t('not_delivered'))}</p>`),
            )
            .join('')
        : `<p>${escapeHtml(t('no_answer'))}</p>`;
      const body = `<h1>${escapeHtml(t('heading', { code: ticket.trackingCode }))}</h1><dl>
<dt>${escapeHtml(t('status'))}</dt><dd data-testid="status">${escapeHtml(ticket.statusLabel)}</dd>
<dt>${escapeHtml(t('agency'))}</dt><dd>${escapeHtml(ticket.agency ?? '—')}</dd>
<dt>${escapeHtml(t('received'))}</dt><dd>${when(ticket.createdAt)}</dd>
<dt>${escapeHtml(t('due'))}</dt><dd>${when(ticket.dueAt)}</dd></dl>
<h2>${escapeHtml(t('answer'))}</h2>${answers}`;
      return reply.type('text/html; charset=utf-8').send(page(locale, t('title', { code: ticket.trackingCode }), body, otherHref, t));
    },
  );
};
