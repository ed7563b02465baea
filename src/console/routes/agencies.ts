// Agencies as the console's pickers need them (assigning, transferring).
import type { FastifyPluginAsync } from 'fastify';
import { typed, type ConsoleApiOptions } from '../options';

const agencyPick = {
  type: 'object',
  properties: { id: { type: 'string' }, slug: { type: 'string' }, name: { type: 'string' }, nameEn: { type: 'string' }, isTriage: { type: 'boolean' } },
} as const;

export const agencyRoutes: FastifyPluginAsync<ConsoleApiOptions> = async (plain, { db }) => {
  const app = typed(plain);
  app.get(
    '/agencies',
    {
      schema: {
        tags: ['agencies'],
        summary: 'Active agencies (for assigning and transferring)',
        response: { 200: { type: 'array', items: agencyPick } as const },
      },
    },
    async () =>
      db.agency.findMany({
        where: { active: true },
        orderBy: { name: 'asc' },
        select: { id: true, slug: true, name: true, nameEn: true, isTriage: true },
      }),
  );
};
