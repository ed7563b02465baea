// GET /metrics in Prometheus text (prom-client): HTTP requests and webhook results, work waiting and
// dead by kind, job durations and failures, tickets by status and overdue, and the process itself.
// Counts of stored work and tickets are read from the database at scrape time: it is the source of
// truth, so every node reports the same figures whichever queue driver runs.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from './db/database';
import { sameSecret } from './channels/webhook';
import type { JobOutcome } from './work/handlers';
import { OPEN_STATUSES } from './tickets/lifecycle';

export interface HotlineMetrics {
  readonly registry: Registry;
  /** A job handler finished one attempt. */
  jobFinished(kind: string, outcome: JobOutcome, seconds: number): void;
  /** Counts every request and serves GET /metrics; call on the root instance before any route. */
  instrument(app: FastifyInstance): void;
}

const WEBHOOK_ROUTE = /^\/webhooks\/([a-z-]+)$/;

export function createMetrics(db: Db, opts: { token?: string } = {}): HotlineMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hotline_' });
  const registers = [registry];

  const requests = new Counter({
    name: 'hotline_http_requests_total',
    help: 'HTTP requests by method, route and status code',
    labelNames: ['method', 'route', 'status'],
    registers,
  });
  const requestSeconds = new Histogram({
    name: 'hotline_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const webhooks = new Counter({
    name: 'hotline_webhook_requests_total',
    help: 'Platform webhook deliveries by channel and answer (200 stored, 4xx refused, 503 not stored)',
    labelNames: ['channel', 'status'],
    registers,
  });
  const jobSeconds = new Histogram({
    name: 'hotline_job_duration_seconds',
    help: 'Time a job attempt took, by kind and outcome',
    labelNames: ['kind', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const jobFailures = new Counter({
    name: 'hotline_job_failures_total',
    help: 'Failed job attempts by kind (final: dead-lettered)',
    labelNames: ['kind', 'final'],
    registers,
  });
  const databaseUp = new Gauge({ name: 'hotline_metrics_database_up', help: '1 when the last scrape could read the database', registers });

  const work = new Gauge({ name: 'hotline_work_jobs', help: 'Stored work not done, by kind and status (pending, dead)', labelNames: ['kind', 'status'], registers });
  const oldestPending = new Gauge({ name: 'hotline_work_oldest_pending_seconds', help: 'Age of the oldest pending job, by kind', labelNames: ['kind'], registers });
  const tickets = new Gauge({ name: 'hotline_tickets', help: 'Tickets by status', labelNames: ['status'], registers });
  const overdue = new Gauge({ name: 'hotline_tickets_overdue', help: 'Open tickets past their answer deadline', registers });

  /** One read of the database per scrape; on failure the previous figures stay and databaseUp says 0. */
  async function readStored(): Promise<void> {
    try {
      const [jobs, byStatus, late] = await Promise.all([
        // IN, not <> 'done': the (status, run_after) index then reads only the unfinished rows, not
        // every job ever done (a scrape a second would otherwise scan the whole history).
        db.$queryRaw<Array<{ kind: string; status: string; n: number; oldest: number | null }>>`
          SELECT kind::text AS kind, status::text AS status, count(*)::int AS n,
                 extract(epoch FROM now() - min(created_at))::float8 AS oldest
          FROM outbox_job WHERE status IN ('pending', 'dead') GROUP BY kind, status`,
        db.$queryRaw<Array<{ status: string; n: number }>>`SELECT status::text AS status, count(*)::int AS n FROM ticket GROUP BY status`,
        db.$queryRaw<Array<{ n: number }>>`
          SELECT count(*)::int AS n FROM ticket WHERE due_at < now() AND status::text = ANY(${[...OPEN_STATUSES]})`,
      ]);
      work.reset();
      oldestPending.reset();
      for (const kind of ['process_inbound', 'deliver_outbound', 'email_notification']) {
        work.set({ kind, status: 'pending' }, 0);
        work.set({ kind, status: 'dead' }, 0);
        oldestPending.set({ kind }, 0);
      }
      for (const row of jobs) {
        work.set({ kind: row.kind, status: row.status }, row.n);
        if (row.status === 'pending') oldestPending.set({ kind: row.kind }, row.oldest ?? 0);
      }
      tickets.reset();
      for (const row of byStatus) tickets.set({ status: row.status }, row.n);
      overdue.set(late[0]?.n ?? 0);
      databaseUp.set(1);
    } catch {
      databaseUp.set(0);
    }
  }

  const onResponse = async (req: FastifyRequest, reply: FastifyReply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const status = String(reply.statusCode);
    requests.inc({ method: req.method, route, status });
    requestSeconds.observe({ method: req.method, route }, reply.elapsedTime / 1000);
    const webhook = WEBHOOK_ROUTE.exec(route);
    if (webhook) webhooks.inc({ channel: webhook[1]!.replace('-', '_'), status });
  };

  return {
    registry,
    jobFinished(kind, outcome, seconds) {
      jobSeconds.observe({ kind, outcome }, seconds);
      if (outcome === 'retry' || outcome === 'dead') jobFailures.inc({ kind, final: String(outcome === 'dead') });
    },
    instrument(app) {
      app.addHook('onResponse', onResponse);
      app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics' } }, async (req, reply) => {
        if (opts.token && !sameSecret(bearer(req.headers.authorization), opts.token)) {
          return reply.code(401).send({ error: 'invalid_token', message: 'Send the metrics token (METRICS_TOKEN) as Authorization: Bearer <token>.' });
        }
        await readStored();
        return reply.header('content-type', registry.contentType).send(await registry.metrics());
      });
    },
  };
}

function bearer(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}
