// POST /api/tickets/:code/priority: the console's "change priority". The deadlines follow the new
// priority (src/tickets/actions.ts changePriority), counted with the live working calendar.
import type { FastifyPluginAsync } from 'fastify';
import type { TicketPriority } from '../../generated/prisma/enums';
import { changePriority, TicketActionError } from '../../tickets/actions';
import { isOverdue } from '../../tickets/overdue';
import { normalizeTrackingCode } from '../../tickets/tracking-code';
import type { ConsoleApiOptions } from '../options';

const errorSchema = { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } } } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

export const priorityRoutes: FastifyPluginAsync<ConsoleApiOptions> = async (app, opts) => {
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
