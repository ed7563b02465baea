// Administration of the working-hour calendar (src/tickets/calendar.ts, docs/calendar.md): the days
// that break the weekly pattern (holidays, days off in lieu, swapped working days) and the weekly
// office hours (admins). After each change the calendar deadlines are computed with is read again,
// so new tickets and the overdue sweep use it without a restart.
import type { FastifyPluginAsync } from 'fastify';
import type { CalendarDay } from '../../generated/prisma/client';
import { recordAdminChange } from '../admin-audit';
import { typed, type ConsoleApiOptions } from '../options';
import { ConsoleError, requireAdmin } from '../rights';
import { errorSchema } from '../schemas';

const DATE = '^\\d{4}-\\d{2}-\\d{2}$';

const daySchema = {
  type: 'object',
  properties: {
    date: { type: 'string', description: 'Local date, YYYY-MM-DD' },
    kind: { type: 'string', description: 'holiday or working_day' },
    name: { type: 'string' },
    nameEn: { type: 'string' },
    provisional: { type: 'boolean' },
    source: { type: ['string', 'null'] },
  },
} as const;

const dayBody = {
  type: 'object',
  required: ['kind', 'name', 'nameEn'],
  additionalProperties: false,
  properties: {
    kind: { type: 'string', enum: ['holiday', 'working_day'], description: 'holiday: no work that day; working_day: a weekend day worked (Monday’s hours)' },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    nameEn: { type: 'string', minLength: 1, maxLength: 200 },
    provisional: { type: 'boolean', description: 'Derived from the Labour Code, not announced yet' },
    source: { type: ['string', 'null'], maxLength: 500 },
  },
} as const;

const dateParams = {
  type: 'object',
  required: ['date'],
  additionalProperties: false,
  properties: { date: { type: 'string', pattern: DATE } },
} as const;

const window = {
  type: 'object',
  required: ['weekday', 'opensAt', 'closesAt'],
  additionalProperties: false,
  properties: {
    weekday: { type: 'integer', minimum: 0, maximum: 6, description: '0 = Sunday … 6 = Saturday' },
    opensAt: { type: 'integer', minimum: 0, maximum: 1440, description: 'Minutes after local midnight (07:30 = 450)' },
    closesAt: { type: 'integer', minimum: 0, maximum: 1440 },
  },
} as const;

const hoursSchema = { type: 'array', items: window } as const;

/** A calendar_day row as the API shows it (the date as the local YYYY-MM-DD it stands for). */
const dayView = (d: CalendarDay) => ({ ...d, date: d.date.toISOString().slice(0, 10) });

function parseDate(text: string): Date {
  const date = new Date(`${text}T00:00:00.000Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
    throw new ConsoleError(400, 'bad_date', `${text} is not a calendar date (YYYY-MM-DD).`);
  }
  return date;
}

export const calendarAdminRoutes: FastifyPluginAsync<ConsoleApiOptions> = async (plain, opts) => {
  const { db } = opts;
  const app = typed(plain);
  app.addHook('preHandler', async (req) => requireAdmin(req.staff!));

  app.get(
    '/admin/calendar/days',
    {
      schema: {
        tags: ['admin'],
        summary: 'Days off and swapped working days of one year (admins)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { year: { type: 'integer', minimum: 2000, maximum: 2100, description: 'Default: this year' } },
        } as const,
        response: { 200: { type: 'array', items: daySchema } as const, 403: errorSchema },
      },
    },
    async (req) => {
      const year = req.query.year ?? new Date().getUTCFullYear();
      const days = await db.calendarDay.findMany({
        where: { date: { gte: new Date(Date.UTC(year, 0, 1)), lt: new Date(Date.UTC(year + 1, 0, 1)) } },
        orderBy: { date: 'asc' },
      });
      return days.map(dayView);
    },
  );

  app.put(
    '/admin/calendar/days/:date',
    {
      schema: {
        tags: ['admin'],
        summary: 'Make a date a day off (holiday) or a swapped working day, or change it (admins); deadlines count it from now on',
        params: dateParams,
        body: dayBody,
        response: { 200: daySchema, 400: errorSchema, 403: errorSchema },
      },
    },
    async (req) => {
      const date = parseDate(req.params.date);
      const { kind, name, nameEn, provisional, source } = req.body;
      const data = { kind, name: name.trim(), nameEn: nameEn.trim(), provisional: provisional ?? false, source: source ?? null };
      const day = await db.$transaction(async (tx) => {
        const before = await tx.calendarDay.findUnique({ where: { date } });
        const after = await tx.calendarDay.upsert({ where: { date }, create: { date, ...data }, update: data });
        await recordAdminChange(tx, req.staff!, {
          entity: 'calendar_day',
          entityId: req.params.date,
          action: before ? 'updated' : 'created',
          before: before ? dayView(before) : undefined,
          after: dayView(after),
        });
        return after;
      });
      await opts.calendar.refresh();
      return dayView(day);
    },
  );

  app.delete(
    '/admin/calendar/days/:date',
    {
      schema: {
        tags: ['admin'],
        summary: 'Make a date an ordinary day of the weekly pattern again (admins)',
        params: dateParams,
        response: { 204: { type: 'null' }, 400: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const date = parseDate(req.params.date);
      await db.$transaction(async (tx) => {
        const before = await tx.calendarDay.findUnique({ where: { date } });
        if (!before) throw new ConsoleError(404, 'day_not_found', `${req.params.date} is an ordinary day already.`);
        await tx.calendarDay.delete({ where: { date } });
        await recordAdminChange(tx, req.staff!, { entity: 'calendar_day', entityId: req.params.date, action: 'deleted', before: dayView(before) });
      });
      await opts.calendar.refresh();
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/admin/calendar/hours',
    {
      schema: {
        tags: ['admin'],
        summary: 'The weekly office hours, one window per row (admins)',
        response: { 200: hoursSchema, 403: errorSchema },
      },
    },
    async () => db.workingHours.findMany({ orderBy: [{ weekday: 'asc' }, { opensAt: 'asc' }], select: { weekday: true, opensAt: true, closesAt: true } }),
  );

  app.put(
    '/admin/calendar/hours',
    {
      schema: {
        tags: ['admin'],
        summary: 'Replace the weekly office hours (admins): every window of the week; windows of a day must not overlap',
        body: { type: 'object', required: ['windows'], additionalProperties: false, properties: { windows: { ...hoursSchema, minItems: 1, maxItems: 70 } } } as const,
        response: { 200: hoursSchema, 400: errorSchema, 403: errorSchema },
      },
    },
    async (req) => {
      const windows = [...req.body.windows].sort((a, b) => a.weekday - b.weekday || a.opensAt - b.opensAt);
      for (const [i, w] of windows.entries()) {
        if (w.closesAt <= w.opensAt) throw new ConsoleError(400, 'bad_window', `A window must close after it opens (weekday ${w.weekday}, ${w.opensAt}–${w.closesAt}).`);
        const prev = windows[i - 1];
        if (prev && prev.weekday === w.weekday && prev.closesAt > w.opensAt) {
          throw new ConsoleError(400, 'overlapping_windows', `Two windows of weekday ${w.weekday} overlap.`);
        }
      }
      await db.$transaction(async (tx) => {
        const before = await tx.workingHours.findMany({ orderBy: [{ weekday: 'asc' }, { opensAt: 'asc' }], select: { weekday: true, opensAt: true, closesAt: true } });
        await tx.workingHours.deleteMany({});
        await tx.workingHours.createMany({ data: windows });
        await recordAdminChange(tx, req.staff!, { entity: 'working_hours', entityId: 'week', action: 'replaced', before, after: windows });
      });
      await opts.calendar.refresh();
      return windows;
    },
  );
};
