// The administration's history (admin_audit): admins read all of it, an agency lead what concerns
// their agency.
import type { FastifyPluginAsync } from 'fastify';
import { typed, type ConsoleApiOptions } from '../options';
import { isAdmin, requireAdministers } from '../rights';
import { errorSchema } from '../schemas';

const entrySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    actor: { type: ['object', 'null'], properties: { id: { type: 'string' }, displayName: { type: 'string' }, email: { type: 'string' } } },
    agencyId: { type: ['string', 'null'] },
    entity: { type: 'string' },
    entityId: { type: 'string' },
    action: { type: 'string' },
    data: { type: 'object', additionalProperties: true, description: 'before and after (no passwords)' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const auditAdminRoutes: FastifyPluginAsync<ConsoleApiOptions> = async (plain, { db }) => {
  const app = typed(plain);
  app.get(
    '/admin/audit',
    {
      schema: {
        tags: ['admin'],
        summary: 'Changes made through the administration, newest first (admins: all; an agency lead: their agency’s)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            entity: { type: 'string', enum: ['agency', 'staff_user', 'routing_rule', 'knowledge_entry', 'calendar_day', 'working_hours'] },
            entityId: { type: 'string', minLength: 1, maxLength: 100 },
            before: { type: 'string', format: 'date-time', description: 'Paging: createdAt of the last row of the previous page' },
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
          },
        } as const,
        response: { 200: { type: 'array', items: entrySchema } as const, 403: errorSchema },
      },
    },
    async (req) => {
      const staff = req.staff!;
      requireAdministers(staff);
      const { entity, entityId, before, limit } = req.query;
      const rows = await db.adminAudit.findMany({
        where: {
          ...(isAdmin(staff) ? {} : { agencyId: staff.agencyId }),
          ...(entity ? { entity } : {}),
          ...(entityId ? { entityId } : {}),
          ...(before ? { createdAt: { lt: new Date(before) } } : {}),
        },
        include: { actor: { select: { id: true, displayName: true, email: true } } },
        orderBy: { createdAt: 'desc' },
        take: limit ?? 50,
      });
      return rows.map((r) => ({ ...r, data: r.data as Record<string, unknown> }));
    },
  );
};
