// Reports (src/reports): the dashboard's figures for a range of days, and the period report a
// press center publishes, as JSON, CSV and a printable page. Operators, admins and press officers
// read the whole city; agency staff their own agency's dashboard.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isLocale, type Locale } from '../../i18n';
import { csvDisposition } from '../../press/csv';
import { dashboard } from '../../reports/dashboard';
import { periodReport } from '../../reports/period';
import { localRange, localToday, periodRange, type PeriodKind } from '../../reports/range';
import { periodCsv, periodPage } from '../../reports/render';
import { typed, type ConsoleApiOptions } from '../options';
import { ConsoleError, reportScope, type Staff } from '../rights';
import { errorSchema } from '../schemas';

const DAY = '^\\d{4}-\\d{2}-\\d{2}$';
const count = { type: 'integer' } as const;
const nullableNumber = { type: ['number', 'null'] } as const;
const keyed = { type: 'array', items: { type: 'object', properties: { key: { type: ['string', 'null'] }, count } } } as const;

const dashboardSchema = {
  type: 'object',
  properties: {
    range: {
      type: 'object',
      properties: { from: { type: 'string' }, to: { type: 'string' }, agencyId: { type: ['string', 'null'] }, timezoneOffsetMinutes: count },
    },
    totals: { type: 'object', properties: { tickets: count, answered: count, onlineSupport: count } },
    perDay: {
      type: 'array',
      description: 'Every local day of the range, zeros included: tickets opened by channel',
      items: { type: 'object', properties: { date: { type: 'string' }, total: count, webchat: count, zalo_oa: count, zalo_bot: count, telegram: count } },
    },
    byIntent: { ...keyed, description: 'Tickets opened, by intent (null: not classified), most first' },
    byTopic: { ...keyed, description: 'Tickets opened, by topic, most first' },
    byAgency: {
      type: 'array',
      description: 'Tickets opened, by the agency holding them now, most first',
      items: { type: 'object', properties: { agencyId: { type: ['string', 'null'] }, name: { type: ['string', 'null'] }, nameEn: { type: ['string', 'null'] }, count } },
    },
    onTime: {
      type: 'object',
      description: 'Of the tickets opened (not rejected or duplicate) that were answered or whose answer deadline passed: how many got their first staff answer by the deadline',
      properties: { due: count, onTime: count, rate: { ...nullableNumber, description: '0..1; null when nothing was due' } },
    },
    firstResponse: { type: 'object', description: 'Opening to the first staff answer, in working hours', properties: { count, medianWorkingHours: nullableNumber } },
    resolution: { type: 'object', description: 'Opening to the answer that stands (answered or closed tickets), in working hours', properties: { count, medianWorkingHours: nullableNumber } },
    now: { type: 'object', description: 'At this moment, whatever the range', properties: { backlog: { ...count, description: 'Open tickets' }, overdue: count } },
    ratings: {
      type: 'object',
      description: 'Ratings people gave in the range (1–5)',
      properties: {
        count,
        average: nullableNumber,
        distribution: { type: 'object', properties: { 1: count, 2: count, 3: count, 4: count, 5: count } },
      },
    },
    onlineSupport: { type: 'object', description: 'Tickets flagged as online public-service support', properties: { tickets: count, answered: count, share: nullableNumber } },
  },
} as const;

const periodQuery = {
  type: 'object',
  required: ['period', 'year'],
  additionalProperties: false,
  properties: {
    period: { type: 'string', enum: ['month', 'quarter', 'year'] },
    year: { type: 'integer', minimum: 2000, maximum: 2100 },
    number: { type: 'integer', minimum: 1, maximum: 12, description: 'Month 1–12 or quarter 1–4; not for a year' },
    lang: { type: 'string', enum: ['vi', 'en'], default: 'vi', description: 'Language of the CSV and the printable page' },
  },
} as const;

interface PeriodQuery {
  period: PeriodKind;
  year: number;
  number?: number;
  lang: Locale;
}

const periodSchema = {
  type: 'object',
  properties: {
    period: { type: 'object', properties: { kind: { type: 'string' }, year: count, number: { type: ['integer', 'null'] }, from: { type: 'string' }, to: { type: 'string' } } },
    requests: { type: 'object', description: 'Every ticket: opened in the period, and given a staff answer in it', properties: { received: count, answered: count } },
    questions: { type: 'object', description: 'Tickets with intent question', properties: { received: count, answered: count } },
    onlineSupport: { type: 'object', description: 'Online public-service support: opened, and answered or closed in the period', properties: { received: count, handled: count } },
    pressRequests: { type: 'object', description: 'Press information requests (intent press)', properties: { received: count, answered: count } },
    draftComments: {
      type: 'object',
      properties: {
        total: count,
        drafts: { type: 'array', items: { type: 'object', properties: { draftId: { type: 'string' }, titleVi: { type: 'string' }, titleEn: { type: 'string' }, agency: { type: 'string' }, comments: count } } },
      },
    },
    pressConferences: {
      type: 'object',
      description: 'Held: not cancelled, started within the period and before now; registrants not cancelled',
      properties: {
        held: count,
        registrants: count,
        events: {
          type: 'array',
          items: { type: 'object', properties: { eventId: { type: 'string' }, titleVi: { type: 'string' }, titleEn: { type: 'string' }, startsAt: { type: 'string', format: 'date-time' }, registrants: count } },
        },
      },
    },
  },
} as const;

/** The period report is the city's: operators, admins and press officers. */
function requireCityReader(staff: Staff): void {
  if (staff.role !== 'admin' && staff.role !== 'operator' && staff.role !== 'press_officer') {
    throw new ConsoleError(403, 'forbidden', 'The period report is for operators, press officers and administrators.');
  }
}

export const reportRoutes: FastifyPluginAsync<ConsoleApiOptions> = async (plain, opts) => {
  const { db } = opts;
  const app = typed(plain);
  const offset = opts.timezoneOffsetMinutes;

  app.get(
    '/reports/dashboard',
    {
      schema: {
        tags: ['reports'],
        summary: 'Dashboard figures for local days from–to (default: the last 30 days); agency staff: their agency only',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            from: { type: 'string', pattern: DAY, description: 'First local day (YYYY-MM-DD)' },
            to: { type: 'string', pattern: DAY, description: 'Last local day, inclusive (default: today)' },
            agencyId: { type: 'string', format: 'uuid', description: 'One agency (agency staff: only their own)' },
          },
        } as const,
        response: { 200: dashboardSchema, 400: errorSchema, 403: errorSchema },
      },
    },
    async (req) => {
      const agencyId = reportScope(req.staff!, req.query.agencyId);
      const now = new Date();
      const to = req.query.to ?? localToday(now, offset);
      const from = req.query.from ?? localToday(new Date(Date.parse(`${to}T12:00:00Z`) - 29 * 86_400_000 - offset * 60_000), offset);
      return dashboard(db, { range: localRange(from, to, offset), agencyId, timezoneOffsetMinutes: offset, calendar: opts.calendar, now });
    },
  );

  const report = async (req: FastifyRequest<{ Querystring: PeriodQuery }>) => {
    requireCityReader(req.staff!);
    const q = req.query;
    if (q.period === 'quarter' && q.number !== undefined && q.number > 4) throw new ConsoleError(400, 'bad_period', 'A quarter is 1 to 4.');
    return periodReport(db, periodRange(q.period, q.year, q.period === 'year' ? undefined : q.number, offset));
  };
  const fileName = (q: PeriodQuery) => `bao-cao-${q.year}${q.period === 'year' ? '' : `-${q.period === 'quarter' ? 'q' : ''}${q.number}`}.csv`;
  const sendCsv = (reply: FastifyReply, q: PeriodQuery, csv: string) =>
    reply.type('text/csv; charset=utf-8').header('content-disposition', csvDisposition(fileName(q))).send(csv);
  const query = (q: PeriodQuery) =>
    new URLSearchParams({ period: q.period, year: String(q.year), ...(q.number !== undefined ? { number: String(q.number) } : {}) }).toString();

  plain.get<{ Querystring: PeriodQuery }>(
    '/reports/period',
    {
      schema: {
        tags: ['reports'],
        summary: 'The figures a press center publishes for a month, quarter or year (JSON; CSV with Accept: text/csv); operators, press officers, admins',
        querystring: periodQuery,
        response: {
          200: { description: 'JSON, or CSV (UTF-8 with BOM) when the request accepts text/csv', content: { 'application/json': { schema: periodSchema }, 'text/csv': { schema: { type: 'string' } } } },
          400: errorSchema,
          403: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const r = await report(req);
      const accept = req.headers.accept ?? '';
      if (/\btext\/csv\b/.test(accept) && !/\bapplication\/json\b/.test(accept)) return sendCsv(reply, req.query, periodCsv(opts.translator, req.query.lang, r, offset));
      return reply.type('application/json').send(r);
    },
  );

  plain.get<{ Querystring: PeriodQuery }>(
    '/reports/period.csv',
    {
      schema: {
        tags: ['reports'],
        summary: 'The period report as CSV (section, figure, value; one row per draft and per press conference)',
        querystring: periodQuery,
        response: { 200: { description: 'CSV (UTF-8 with BOM)', content: { 'text/csv': { schema: { type: 'string' } } } }, 400: errorSchema, 403: errorSchema },
      },
    },
    async (req, reply) => sendCsv(reply, req.query, periodCsv(opts.translator, req.query.lang, await report(req), offset)),
  );

  plain.get<{ Querystring: PeriodQuery }>(
    '/reports/period/print',
    {
      schema: {
        tags: ['reports'],
        summary: 'The period report as a printable page (server-rendered HTML, Vietnamese or English by lang); open it with the console session',
        querystring: periodQuery,
        response: { 200: { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } }, 400: errorSchema, 403: errorSchema },
      },
    },
    async (req, reply) => {
      const r = await report(req);
      const locale: Locale = isLocale(req.query.lang) ? req.query.lang : 'vi';
      const other = locale === 'vi' ? 'en' : 'vi';
      const html = periodPage(opts.translator, locale, r, {
        offsetMinutes: offset,
        now: new Date(),
        otherLanguageHref: `/api/reports/period/print?${query(req.query)}&lang=${other}`,
        csvHref: `/api/reports/period.csv?${query(req.query)}&lang=${locale}`,
      });
      return reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-store').send(html);
    },
  );
};
