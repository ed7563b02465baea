// /api/notifications: what the hotline told you about (a new ticket for your agency, a ticket past
// its deadline, a ticket reopened), newest first, read or unread; and whether you want them by
// e-mail too (while SMTP_URL is set). New ones also arrive live on GET /api/live.
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../db/database';
import type { Prisma } from '../../generated/prisma/client';
import { LOCALES, type Translator } from '../../i18n';
import { notificationTitle } from '../../notifications/notify';

export interface NotificationRoutesOptions {
  db: Db;
  translator: Translator;
  live: {
    /** Whether notifications can go by e-mail (SMTP_URL is set). */
    emailAvailable: boolean;
  };
}

const errorSchema = { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } } } as const;
const notificationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['new_ticket', 'overdue', 'reopened'] },
    title: { type: 'string', description: 'In your language' },
    ticketCode: { type: 'string' },
    agencyId: { type: ['string', 'null'] },
    read: { type: 'boolean' },
    readAt: { type: ['string', 'null'], format: 'date-time' },
    at: { type: 'string', format: 'date-time' },
  },
} as const;
const settingsSchema = {
  type: 'object',
  properties: {
    email: { type: 'boolean', description: 'Notifications are e-mailed to you as well' },
    emailAvailable: { type: 'boolean', description: 'Whether this hotline can send e-mail (SMTP_URL)' },
    locale: { type: 'string', enum: [...LOCALES], description: 'The language of your notifications and e-mails' },
  },
} as const;

export const notificationRoutes: FastifyPluginAsync<NotificationRoutesOptions> = async (app, opts) => {
  const { db, translator } = opts;

  app.get<{ Querystring: { unread?: boolean; page: number; limit: number } }>(
    '/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Your notifications, newest first, with how many are unread; paged',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            unread: { type: 'boolean', description: 'true: unread ones only' },
            page: { type: 'integer', minimum: 1, maximum: 10_000, default: 1 },
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              items: { type: 'array', items: notificationSchema },
              total: { type: 'integer', description: 'Matching the filter, on every page' },
              unread: { type: 'integer', description: 'All your unread notifications' },
              page: { type: 'integer' },
              hasMore: { type: 'boolean' },
            },
          },
        },
      },
    },
    async (req) => {
      const staff = req.staff!;
      const { page, limit } = req.query;
      const where: Prisma.NotificationWhereInput = { staffUserId: staff.id, ...(req.query.unread ? { readAt: null } : {}) };
      const [rows, total, unread] = await Promise.all([
        db.notification.findMany({
          where,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          skip: (page - 1) * limit,
          take: limit,
          include: { ticket: { select: { trackingCode: true, agencyId: true, summary: true } } },
        }),
        db.notification.count({ where }),
        db.notification.count({ where: { staffUserId: staff.id, readAt: null } }),
      ]);
      return {
        items: rows.map((n) => ({
          id: n.id,
          kind: n.kind,
          title: notificationTitle(translator, staff.locale, n),
          ticketCode: n.ticket.trackingCode,
          agencyId: n.ticket.agencyId,
          read: n.readAt !== null,
          readAt: n.readAt,
          at: n.createdAt,
        })),
        total,
        unread,
        page,
        hasMore: page * limit < total,
      };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/notifications/:id/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark one of your notifications read',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } },
        response: { 200: { type: 'object', properties: { id: { type: 'string' }, unread: { type: 'integer' } } }, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const staff = req.staff!;
      // Someone else's notification is not found, the same as one that does not exist.
      const { count } = await db.notification.updateMany({ where: { id: req.params.id, staffUserId: staff.id, readAt: null }, data: { readAt: new Date() } });
      if (count === 0 && (await db.notification.count({ where: { id: req.params.id, staffUserId: staff.id } })) === 0) {
        return reply.code(404).send({ error: 'not_found', message: 'No such notification of yours.' });
      }
      return { id: req.params.id, unread: await db.notification.count({ where: { staffUserId: staff.id, readAt: null } }) };
    },
  );

  app.post(
    '/notifications/read-all',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark all your notifications read',
        response: { 200: { type: 'object', properties: { marked: { type: 'integer' }, unread: { type: 'integer' } } } },
      },
    },
    async (req) => {
      const { count } = await db.notification.updateMany({ where: { staffUserId: req.staff!.id, readAt: null }, data: { readAt: new Date() } });
      return { marked: count, unread: 0 };
    },
  );

  app.get(
    '/notifications/settings',
    { schema: { tags: ['notifications'], summary: 'Whether your notifications are e-mailed too, and their language', response: { 200: settingsSchema } } },
    async (req) => ({ email: req.staff!.emailNotifications, emailAvailable: opts.live.emailAvailable, locale: req.staff!.locale }),
  );

  app.put<{ Body: { email?: boolean; locale?: string } }>(
    '/notifications/settings',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Turn e-mailed notifications on or off (on only while this hotline can send e-mail), or change their language',
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: { email: { type: 'boolean' }, locale: { type: 'string', enum: [...LOCALES] } },
        },
        response: { 200: settingsSchema, 400: errorSchema },
      },
    },
    async (req, reply) => {
      if (req.body.email && !opts.live.emailAvailable) {
        return reply.code(400).send({ error: 'email_unavailable', message: 'This hotline sends no e-mail (SMTP_URL is not set); ask an administrator.' });
      }
      const updated = await db.staffUser.update({
        where: { id: req.staff!.id },
        data: { ...(req.body.email !== undefined ? { emailNotifications: req.body.email } : {}), ...(req.body.locale ? { locale: req.body.locale } : {}) },
      });
      return { email: updated.emailNotifications, emailAvailable: opts.live.emailAvailable, locale: updated.locale };
    },
  );
};
