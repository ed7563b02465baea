// Who a ticket can be given to (the console's "assign to a colleague"): the active staff of the
// agency holding it. Registered inside the console API's signed-in scope (src/console/api.ts).
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../db/database';
import { TicketActionError, ticketForActor } from '../../tickets/actions';
import { normalizeTrackingCode } from '../../tickets/tracking-code';

export interface ColleaguesRoutesOptions {
  db: Db;
}

const errorSchema = { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } } } as const;

export const colleaguesRoutes: FastifyPluginAsync<ColleaguesRoutesOptions> = async (app, { db }) => {
  app.get<{ Params: { code: string } }>(
    '/tickets/:code/colleagues',
    {
      schema: {
        tags: ['tickets'],
        summary: 'The active staff of the agency holding a ticket you may see: who POST /tickets/:code/assign-user can give it to (empty without an agency)',
        params: { type: 'object', required: ['code'], properties: { code: { type: 'string', minLength: 5, maxLength: 20 } } },
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: { id: { type: 'string' }, displayName: { type: 'string' }, role: { type: 'string' }, isLead: { type: 'boolean' } },
            },
          },
          404: errorSchema,
        },
      },
    },
    async (req) => {
      const code = normalizeTrackingCode(req.params.code);
      if (!code) throw new TicketActionError(404, 'ticket_not_found', `"${req.params.code}" is not a tracking code (e.g. HCM-26-7K3QD).`);
      const ticket = await ticketForActor(db, req.staff!, code);
      if (!ticket.agencyId) return [];
      return db.staffUser.findMany({
        where: { agencyId: ticket.agencyId, active: true },
        orderBy: [{ isLead: 'desc' }, { displayName: 'asc' }],
        select: { id: true, displayName: true, role: true, isLead: true },
      });
    },
  );
};
