// GET /healthz (the process answers) and GET /readyz (database, queue and channels).
import type { FastifyPluginAsync } from 'fastify';
import type { Channel } from './channels/types';
import type { Database } from './db/database';
import type { JobQueue } from './queue/types';

export interface HealthOptions {
  db: Database;
  queue: JobQueue;
  /** Which channels are on (their credentials are configured). */
  channels: Record<Channel, boolean>;
}

export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, opts) => {
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'Liveness' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { tags: ['operations'], summary: 'Readiness: database, queue, channels' } }, async (_req, reply) => {
    const [database, queue] = await Promise.all([opts.db.ping(), opts.queue.status()]);
    const ready = database.ok && queue.ok;
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'unavailable',
      database: { mode: opts.db.mode, ...database },
      queue,
      channels: opts.channels,
    });
  });
};
