// Agencies as the console's pickers need them (assigning, transferring).
import type { FastifyPluginAsync } from 'fastify';
import type { ConsoleApiOptions } from '../options';

export const agencyRoutes: FastifyPluginAsync<ConsoleApiOptions> = async (app, { db }) => {
  app.get('/agencies', { schema: { tags: ['agencies'], summary: 'Active agencies (for assigning and transferring)' } }, async () =>
    db.agency.findMany({
      where: { active: true },
      orderBy: { name: 'asc' },
      select: { id: true, slug: true, name: true, nameEn: true, isTriage: true },
    }),
  );
};
