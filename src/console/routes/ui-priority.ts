// POST /api/tickets/:code/priority: the console's "change priority". The deadlines follow the new
// priority (src/tickets/actions.ts changePriority), so this route needs the working calendar and
// the time zone, which the console API's options do not carry: it is its own plugin under /api
// (src/server.ts), behind the same sign-in guard (bearer token, or session cookie with CSRF).
import cookie from '@fastify/cookie';
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../db/database';
import type { TicketPriority } from '../../generated/prisma/enums';
import { changePriority, TicketActionError } from '../../tickets/actions';
import type { WorkingCalendar } from '../../tickets/deadlines';
import { isOverdue } from '../../tickets/overdue';
import { normalizeTrackingCode } from '../../tickets/tracking-code';
import { staffGuard } from '../auth';
import type { ConsoleSessions } from '../sessions';

export interface PriorityRoutesOptions {
  db: Db;
  sessions: ConsoleSessions;
  timezoneOffsetMinutes: number;
  calendar: WorkingCalendar;
}

const errorSchema = { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } } } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

export const priorityRoutes: FastifyPluginAsync<PriorityRoutesOptions> = async (app, opts) => {
  await app.register(cookie);
  app.addHook('preHandler', staffGuard(opts.sessions));

  app.post<{ Params: { code: string }; Body: { priority: TicketPriority; reason?: string } }>(
    '/tickets/:code/priority',
    {
      schema: {
        tags: ['tickets'],
        summary:
          'Change the priority of a ticket you may work on (urgent, normal, complex): its accept and answer deadlines become those of the new priority, counted from when it came in',
        security: [{ bearer: [] }, { sessionCookie: [] }],
        params: { type: 'object', required: ['code'], properties: { code: { type: 'string', minLength: 5, maxLength: 20 } } },
        body: {
          type: 'object',
          required: ['priority'],
          additionalProperties: false,
          properties: {
            priority: { type: 'string', enum: ['urgent', 'normal', 'complex'] },
            reason: { type: 'string', minLength: 3, maxLength: 1000, description: 'For staff only (the history)' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { trackingCode: { type: 'string' }, priority: { type: 'string' }, acceptDueAt: dateTime, dueAt: dateTime, overdue: { type: 'boolean' } },
          },
          400: errorSchema,
          404: errorSchema,
          409: errorSchema,
        },
      },
    },
    async (req) => {
      const code = normalizeTrackingCode(req.params.code);
      if (!code) throw new TicketActionError(404, 'ticket_not_found', `"${req.params.code}" is not a tracking code (e.g. HCM-26-7K3QD).`);
      const ticket = await changePriority(opts.db, req.staff!, code, req.body.priority, req.body.reason, opts);
      return { trackingCode: ticket.trackingCode, priority: ticket.priority, acceptDueAt: ticket.acceptDueAt, dueAt: ticket.dueAt, overdue: isOverdue(ticket) };
    },
  );
};
