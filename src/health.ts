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

// Load balancers and orchestrators ask every few seconds: fastify's own request lines (info) are
// turned off for these routes, and one line per check is written at debug instead — at warn when
// the answer is a failure, which is worth seeing.
const quiet = { logLevel: 'silent' } as const;

export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, opts) => {
  app.addHook('onResponse', async (req, reply) => {
    const line = { reqId: req.id, req: { method: req.method, url: req.url }, res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime };
    if (reply.statusCode >= 500) app.log.warn(line, 'health check failed');
    else app.log.debug(line, 'health check');
  });
  app.get('/healthz', { ...quiet, schema: { tags: ['operations'], summary: 'Liveness' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { ...quiet, schema: { tags: ['operations'], summary: 'Readiness: database, queue, channels' } }, async (_req, reply) => {
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
