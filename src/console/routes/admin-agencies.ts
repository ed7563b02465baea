// Administration of agencies (admins): create, rename, deactivate or reactivate, and delete one
// that never held a ticket. An agency with history is deactivated instead: its tickets, staff and
// rules keep pointing at it, and it leaves the pickers and the routing.
import type { FastifyPluginAsync } from 'fastify';
import { Prisma } from '../../generated/prisma/client';
import { recordAdminChange } from '../admin-audit';
import { typed, type ConsoleApiOptions } from '../options';
import { ConsoleError, requireAdmin } from '../rights';
import { errorSchema, idParams } from '../schemas';

export const agencyAdminSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    slug: { type: 'string' },
    name: { type: 'string' },
    nameEn: { type: 'string' },
    isTriage: { type: 'boolean' },
    active: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    staff: { type: 'integer', description: 'Active staff accounts' },
    openTickets: { type: 'integer' },
    tickets: { type: 'integer', description: 'Tickets it ever held' },
  },
} as const;

const agencyBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 2, maxLength: 200 },
    nameEn: { type: 'string', minLength: 2, maxLength: 200 },
    active: { type: 'boolean', description: 'false: deactivated (out of the pickers and the routing; its tickets stay)' },
  },
} as const;

const newAgencyBody = {
  ...agencyBody,
  required: ['slug', 'name', 'nameEn'],
  properties: {
    ...agencyBody.properties,
    slug: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', minLength: 2, maxLength: 64, description: 'Stable id in URLs and seeds (so-xay-dung)' },
  },
} as const;

export const agencyAdminRoutes: FastifyPluginAsync<ConsoleApiOptions> = async (plain, { db, routingTable }) => {
  const app = typed(plain);
  app.addHook('preHandler', async (req) => requireAdmin(req.staff!));
  // An agency changed (committed before the reply goes): routing on this node reads it again.
  app.addHook('onSend', async (req) => {
    if (req.method !== 'GET') routingTable?.forget();
  });

  const withCounts = async (where: Prisma.AgencyWhereInput = {}) => {
    const agencies = await db.agency.findMany({ where, orderBy: [{ active: 'desc' }, { name: 'asc' }] });
    const ids = agencies.map((a) => a.id);
    const [staff, tickets, open] = await Promise.all([
      db.staffUser.groupBy({ by: ['agencyId'], where: { agencyId: { in: ids }, active: true }, _count: { _all: true } }),
      db.ticket.groupBy({ by: ['agencyId'], where: { agencyId: { in: ids } }, _count: { _all: true } }),
      db.ticket.groupBy({
        by: ['agencyId'],
        where: { agencyId: { in: ids }, status: { in: ['new', 'triage', 'assigned', 'transferred', 'in_progress', 'reopened'] } },
        _count: { _all: true },
      }),
    ]);
    const count = (rows: Array<{ agencyId: string | null; _count: { _all: number } }>, id: string) => rows.find((r) => r.agencyId === id)?._count._all ?? 0;
    return agencies.map((a) => ({ ...a, staff: count(staff, a.id), tickets: count(tickets, a.id), openTickets: count(open, a.id) }));
  };

  app.get(
    '/admin/agencies',
    {
      schema: {
        tags: ['admin'],
        summary: 'Every agency, deactivated ones too, with its active staff and tickets (admins)',
        response: { 200: { type: 'array', items: agencyAdminSchema } as const },
      },
    },
    async () => withCounts(),
  );

  app.post(
    '/admin/agencies',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create an agency (admins); routing rules and staff accounts can then name it',
        body: newAgencyBody,
        response: { 201: agencyAdminSchema, 400: errorSchema, 403: errorSchema, 409: errorSchema },
      },
    },
    async (req, reply) => {
      const { slug, name, nameEn, active } = req.body;
      try {
        const agency = await db.$transaction(async (tx) => {
          const created = await tx.agency.create({ data: { slug, name: name.trim(), nameEn: nameEn.trim(), active: active ?? true } });
          await recordAdminChange(tx, req.staff!, { entity: 'agency', entityId: created.id, agencyId: created.id, action: 'created', after: created });
          return created;
        });
        return reply.code(201).send({ ...agency, staff: 0, tickets: 0, openTickets: 0 });
      } catch (err) {
        if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
          throw new ConsoleError(409, 'slug_taken', `An agency with the slug "${slug}" exists already.`);
        }
        throw err;
      }
    },
  );

  app.patch(
    '/admin/agencies/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Rename an agency, or deactivate / reactivate it (admins); the last active triage agency stays active',
        params: idParams,
        body: agencyBody,
        response: { 200: agencyAdminSchema, 400: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req) => {
      const { id } = req.params;
      await db.$transaction(async (tx) => {
        const before = await tx.agency.findUnique({ where: { id } });
        if (!before) throw new ConsoleError(404, 'agency_not_found', 'No agency with that id.');
        const { name, nameEn, active } = req.body;
        if (active === false && before.active && before.isTriage) {
          const others = await tx.agency.count({ where: { isTriage: true, active: true, id: { not: id } } });
          // Routing sends what it cannot place to the triage agency: without one, no ticket could open.
          if (others === 0) throw new ConsoleError(409, 'last_triage_agency', 'This is the only active triage agency; tickets routing cannot place would have nowhere to go.');
        }
        const after = await tx.agency.update({
          where: { id },
          data: { ...(name !== undefined ? { name: name.trim() } : {}), ...(nameEn !== undefined ? { nameEn: nameEn.trim() } : {}), ...(active !== undefined ? { active } : {}) },
        });
        const action = active === false && before.active ? 'deactivated' : active === true && !before.active ? 'reactivated' : 'updated';
        await recordAdminChange(tx, req.staff!, { entity: 'agency', entityId: id, agencyId: id, action, before, after });
      });
      return (await withCounts({ id }))[0]!;
    },
  );

  app.delete(
    '/admin/agencies/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Delete an agency that never held a ticket and has no staff, rules or drafts (admins); otherwise 409: deactivate it instead',
        params: idParams,
        response: { 204: { type: 'null' }, 403: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      await db.$transaction(async (tx) => {
        const agency = await tx.agency.findUnique({ where: { id } });
        if (!agency) throw new ConsoleError(404, 'agency_not_found', 'No agency with that id.');
        const [tickets, staff, rules, drafts, subtasks, published] = await Promise.all([
          tx.ticket.count({ where: { agencyId: id } }),
          tx.staffUser.count({ where: { agencyId: id } }),
          tx.routingRule.count({ where: { agencyId: id } }),
          tx.draftDocument.count({ where: { agencyId: id } }),
          tx.ticketSubtask.count({ where: { agencyId: id } }),
          tx.publishedAnswer.count({ where: { agencyId: id } }),
        ]);
        if (tickets + subtasks + published > 0) {
          throw new ConsoleError(409, 'agency_has_tickets', `${agency.name} has held tickets; deactivate it (PATCH active: false) so its history stays.`);
        }
        if (staff + rules + drafts > 0) {
          throw new ConsoleError(409, 'agency_in_use', `${agency.name} still has staff accounts, routing rules or drafts; move or remove them, or deactivate it.`);
        }
        await tx.knowledgeEntry.updateMany({ where: { agencyId: id }, data: { agencyId: null } });
        await tx.agency.delete({ where: { id } });
        await recordAdminChange(tx, req.staff!, { entity: 'agency', entityId: id, action: 'deleted', before: agency });
      });
      return reply.code(204).send(null);
    },
  );
};
