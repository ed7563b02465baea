// GET /metrics, scraped as Prometheus would: requests and webhook answers by channel and status,
// stored work by kind, job durations, tickets by status and overdue, process figures; with
// METRICS_TOKEN only for the bearer of it.
import Fastify from 'fastify';
import { createMetrics } from '../../src/metrics';
import { startTelegramHotline, type TelegramHotline } from '../channels/telegram/setup';
import { textUpdate } from '../helpers/fake-telegram';
import { ChatClient, eventually, newSession } from '../helpers/hotline';

/** The value of one sample, by metric name and exact labels; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v) && Object.keys(have).length === Object.keys(labels).length) return Number(m[3]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  let h: TelegramHotline;
  beforeAll(async () => {
    h = await startTelegramHotline();
  });
  afterAll(async () => h?.stop());

  const scrape = async () => {
    const res = await h.t.hotline.server.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.body;
  };

  it('counts requests, webhook answers, jobs and tickets, as the database has them', async () => {
    // A web chat conversation, a stored Telegram message and a refused one.
    const { token } = await newSession(h.t);
    const chat = await ChatClient.connect(h.t, token);
    const seq = await chat.sendMessage('m1', 'Đèn đường trước nhà bị hỏng');
    await chat.waitFor((f) => f.type === 'message' && (f.seq as number) > seq);
    await chat.close();
    await h.write('551001', 'Mất nước cả ngày');
    const refused = await fetch(`${h.t.baseUrl}/webhooks/telegram`, { method: 'POST', body: JSON.stringify(textUpdate(1, 1, 1, 'x')) });
    expect(refused.status).toBe(401);
    const prisma = h.t.hotline.db.prisma;
    await eventually(async () => (await prisma.outboxJob.count({ where: { status: 'pending' } })) === 0);

    const text = await scrape();
    expect(sample(text, 'hotline_http_requests_total', { method: 'POST', route: '/webchat/sessions', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'hotline_webhook_requests_total', { channel: 'telegram', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'hotline_webhook_requests_total', { channel: 'telegram', status: '401' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'hotline_job_duration_seconds_count', { kind: 'process_inbound', outcome: 'done' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'hotline_job_duration_seconds_count', { kind: 'deliver_outbound', outcome: 'done' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'hotline_work_jobs', { kind: 'process_inbound', status: 'pending' })).toBe(0);
    expect(sample(text, 'hotline_work_jobs', { kind: 'deliver_outbound', status: 'dead' })).toBe(
      await prisma.outboxJob.count({ where: { kind: 'deliver_outbound', status: 'dead' } }),
    );
    const byStatus = await prisma.ticket.groupBy({ by: ['status'], _count: true });
    expect(byStatus.length).toBeGreaterThan(0);
    for (const row of byStatus) expect(sample(text, 'hotline_tickets', { status: row.status })).toBe(row._count);
    expect(sample(text, 'hotline_tickets_overdue')).toBe(0);
    expect(sample(text, 'hotline_metrics_database_up')).toBe(1);
    expect(sample(text, 'hotline_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts an open ticket past its deadline as overdue, and a dead job as dead', async () => {
    const prisma = h.t.hotline.db.prisma;
    const ticket = await prisma.ticket.findFirstOrThrow({ where: { status: { in: ['triage', 'assigned'] } } });
    await prisma.ticket.update({ where: { id: ticket.id }, data: { dueAt: new Date(Date.now() - 60_000) } });
    const job = await prisma.outboxJob.findFirstOrThrow({ where: { kind: 'deliver_outbound', status: 'done' } });
    await prisma.outboxJob.update({ where: { id: job.id }, data: { status: 'dead' } });
    const text = await scrape();
    expect(sample(text, 'hotline_tickets_overdue')).toBe(1);
    expect(sample(text, 'hotline_work_jobs', { kind: 'deliver_outbound', status: 'dead' })).toBe(
      await prisma.outboxJob.count({ where: { kind: 'deliver_outbound', status: 'dead' } }),
    );
  });

  it('with METRICS_TOKEN, answers only the bearer of it', async () => {
    const app = Fastify();
    createMetrics(h.t.hotline.db.prisma, { token: 'metrics-token-of-this-test' }).instrument(app);
    try {
      const none = await app.inject({ method: 'GET', url: '/metrics' });
      expect(none.statusCode).toBe(401);
      expect(none.json()).toMatchObject({ error: 'invalid_token', message: expect.stringContaining('METRICS_TOKEN') });
      const wrong = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer metrics-token-of-another' } });
      expect(wrong.statusCode).toBe(401);
      const right = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer metrics-token-of-this-test' } });
      expect(right.statusCode).toBe(200);
      expect(right.body).toContain('hotline_tickets_overdue');
    } finally {
      await app.close();
    }
  });
});
