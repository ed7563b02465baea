// Stored work (the outbox) for operators: what is pending, what failed for good.
import type { FastifyPluginAsync } from 'fastify';
import { seesAllTickets } from '../../tickets/actions';
import type { ConsoleApiOptions } from '../options';

export const workRoutes: FastifyPluginAsync<ConsoleApiOptions> = async (app, { db }) => {
  app.get<{ Querystring: { status: 'pending' | 'dead' } }>(
    '/work',
    {
      schema: {
        tags: ['operations'],
        summary: 'Stored work by status (dead letters: jobs that failed for good); operators and admins',
        querystring: {
          type: 'object',
          properties: { status: { type: 'string', enum: ['pending', 'dead'], default: 'dead' } },
        },
      },
    },
    async (req, reply) => {
      if (!seesAllTickets(req.staff!)) return reply.code(403).send({ error: 'forbidden', message: 'Operators and admins only.' });
      return db.outboxJob.findMany({ where: { status: req.query.status }, orderBy: { createdAt: 'desc' }, take: 200 });
    },
  );
};
