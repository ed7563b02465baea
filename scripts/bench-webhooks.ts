// Webhook ingest: how many platform deliveries a hotline node verifies, stores (message + work
// record, committed) and acknowledges per second, and how long each acknowledgement takes.
// Workers are off, so the numbers are the webhook path alone (processing is the classifier's and
// the conversation's business, measured elsewhere). Embedded mode (PGlite) unless DATABASE_URL is
// set; then a scratch database is created on that server and dropped after, so the bench never
// writes into the database DATABASE_URL names.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { createHotline } from '../src/app';
import { WEBHOOK_PATHS } from '../src/channels/webhook';
import { loadConfig } from '../src/config';

type Metrics = Record<string, number | string>;

interface Delivery {
  body: string;
  headers: Record<string, string>;
}

const ZALO_OA = { appId: '4318025633287511234', secretKey: 'bench-oa-secret-key', oaId: '2951278437895321234' };
const ZALO_BOT_SECRET = 'bench-zalo-bot-secret';
const TELEGRAM_SECRET = 'bench-telegram-secret';

const TEXTS = [
  'Đèn đường trước số 12 Lê Lợi bị hư 3 hôm nay',
  'cho em hoi thu tuc dang ky tam tru o dau a',
  'Rác tồn đọng ở hẻm 45 Nguyễn Trãi, bốc mùi quá',
  'nuoc may nha toi bi duc tu sang den gio',
];

/** Builds the n-th delivery of each platform, shaped as the platform sends it (see the channels' tests). */
const DELIVERIES: Record<keyof typeof WEBHOOK_PATHS, { make(n: number): Delivery }> = {
  zalo_oa: {
    make(n) {
      const timestamp = String(Date.now());
      const body = JSON.stringify({
        app_id: ZALO_OA.appId,
        user_id_by_app: `55${n}`,
        event_name: 'user_send_text',
        timestamp,
        sender: { id: `84052133984213${String(n).padStart(5, '0')}` },
        recipient: { id: ZALO_OA.oaId },
        message: { msg_id: `bench-oa-${n}-${randomBytes(4).toString('hex')}`, text: TEXTS[n % TEXTS.length] },
      });
      const mac = createHash('sha256').update(ZALO_OA.appId + body + timestamp + ZALO_OA.secretKey).digest('hex');
      return { body, headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` } };
    },
  },
  zalo_bot: {
    make(n) {
      const body = JSON.stringify({
        ok: true,
        result: {
          event_name: 'message.text.received',
          message: {
            from: { id: `zb${n % 500}`, display_name: 'Người dân', is_bot: false },
            chat: { id: `zb${n % 500}`, chat_type: 'PRIVATE' },
            text: TEXTS[n % TEXTS.length],
            message_id: `bench-zb-${n}-${randomBytes(4).toString('hex')}`,
            date: Date.now(),
          },
        },
      });
      return { body, headers: { 'content-type': 'application/json', 'x-bot-api-secret-token': ZALO_BOT_SECRET } };
    },
  },
  telegram: {
    make(n) {
      const chatId = 5_000_000_000 + (n % 500);
      const body = JSON.stringify({
        update_id: 900_000_000 + n,
        message: {
          message_id: n + 1,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: 'private', first_name: 'Lan' },
          from: { id: chatId, is_bot: false, first_name: 'Lan', language_code: 'vi' },
          text: TEXTS[n % TEXTS.length],
        },
      });
      return { body, headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET } };
    },
  },
};

/**
 * What the same machine does with no hotline behind the route: a bare fastify that reads the same
 * body as bytes, parses it as JSON and answers 200. Measured in the same run, with the same load,
 * so the hotline's figures can be read as a share of what the machine allows.
 */
async function bareFastify(): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/bare', async (req) => {
    JSON.parse((req.body as Buffer).toString('utf8'));
    return { ok: true };
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${url}/bare`, close: () => app.close() };
}

/** Sends `total` deliveries, `concurrency` at a time, and reports the rate and the acknowledgement times. */
async function load(
  send: (n: number) => Promise<number>,
  total: number,
  concurrency: number,
  progress: (line: string) => void,
): Promise<{ perSecond: number; ackP50Ms: number; ackP99Ms: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const quarter = Math.max(1, Math.floor(total / 4));
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        latencies.push(await send(next++));
        if (latencies.length % quarter === 0 && latencies.length < total) progress(`${latencies.length} of ${total} delivered`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: Math.round(total / seconds),
    ackP50Ms: Number(percentile(latencies, 50).toFixed(2)),
    ackP99Ms: Number(percentile(latencies, 99).toFixed(2)),
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** A scratch database next to the one DATABASE_URL names; dropped by the returned function. */
export async function scratchPostgres(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hotline_bench_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** Storage a caller made ready (DATA_DIR or DATABASE_URL), and how to drop it. */
export interface BenchStorage {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * Where a bench hotline keeps its data and the environment every bench hotline starts from: a
 * temporary folder (embedded), or a scratch database next to DATABASE_URL, both removed by `drop`.
 * Or `given`: the bench's test passes a copy of the test template, since a new PGlite folder costs
 * an initdb, every migration and the seeding before the first delivery.
 */
export async function benchStorage(given?: BenchStorage): Promise<{ env: Record<string, string | undefined>; drop(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hotline-bench-'));
  const scratch = !given && process.env.DATABASE_URL ? await scratchPostgres(process.env.DATABASE_URL) : null;
  return {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      DATABASE_URL: scratch?.url ?? '',
      REDIS_URL: process.env.REDIS_URL ?? '',
      ...given?.env,
    },
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
      await scratch?.drop();
      await given?.drop();
    },
  };
}

export async function benchWebhooks(
  opts: { perChannel?: number; concurrency?: number; warmUp?: number; alone?: number; bare?: boolean; progress?: (line: string) => void; storage?: BenchStorage } = {},
): Promise<Record<string, Metrics>> {
  const perChannel = opts.perChannel ?? 2000;
  // 64 at once: the load of the hotline's worst day (many platform connections delivering together).
  const concurrency = opts.concurrency ?? 64;
  const progress = opts.progress ?? (() => {});
  const warmUp = opts.warmUp ?? 50;
  const aloneCount = opts.alone ?? 200;
  const storage = await benchStorage(opts.storage);
  // With workers off nothing is sent; the only platform call on the webhook path is Telegram's
  // getMe (grammY needs the bot's own name once), answered by this stand-in.
  const platform = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url?.endsWith('/getMe')) {
      res.end(JSON.stringify({ ok: true, result: { id: 12345, is_bot: true, first_name: 'Hotline', username: 'hotline_bench_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false } }));
    } else {
      res.statusCode = 503;
      res.end(JSON.stringify({ ok: false, error_code: 503, description: 'bench: no sending' }));
    }
  });
  await new Promise<void>((resolve) => platform.listen(0, '127.0.0.1', resolve));
  const nowhere = `http://127.0.0.1:${(platform.address() as AddressInfo).port}`;
  const config = loadConfig({
    ...storage.env,
    ZALO_OA_APP_ID: ZALO_OA.appId,
    ZALO_OA_SECRET_KEY: ZALO_OA.secretKey,
    ZALO_OA_APP_SECRET: 'bench-app-secret',
    ZALO_OA_ACCESS_TOKEN: 'bench-access-token',
    ZALO_OA_REFRESH_TOKEN: 'bench-refresh-token',
    ZALO_OA_API_BASE: nowhere,
    ZALO_OAUTH_BASE: nowhere,
    ZALO_BOT_TOKEN: '12345:bench',
    ZALO_BOT_WEBHOOK_SECRET: ZALO_BOT_SECRET,
    ZALO_BOT_API_BASE: nowhere,
    TELEGRAM_BOT_TOKEN: '12345:bench',
    TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
    TELEGRAM_API_BASE: nowhere,
    // The bench measures the normal path: its few hundred senders write far faster than people do.
    LIMIT_CHANNEL_MESSAGES_PER_SENDER: '1000000',
  });
  const hotline = await createHotline({ config, runWorkers: false, classifier: null, logger: pino({ level: 'silent' }) });
  const results: Record<string, Metrics> = {};
  try {
    const base = (await hotline.listen()).replace('0.0.0.0', '127.0.0.1');
    // The machine's own ceiling first, with the Telegram body (the largest of the three).
    let bare: Awaited<ReturnType<typeof load>> | null = null;
    if (opts.bare !== false) {
      const baseline = await bareFastify();
      try {
        const sendBare = async (n: number): Promise<number> => {
          const { body, headers } = DELIVERIES.telegram.make(n);
          const started = performance.now();
          const res = await fetch(baseline.url, { method: 'POST', body, headers });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`bare fastify answered ${res.status}`);
          return performance.now() - started;
        };
        for (let i = 0; i < warmUp; i++) await sendBare(i);
        progress(`bare fastify: ${perChannel} deliveries, ${concurrency} at a time`);
        bare = await load(sendBare, perChannel, concurrency, (line) => progress(`bare fastify: ${line}`));
        results['webhook ingest: bare fastify (same body, no hotline)'] = { deliveries: perChannel, concurrency, ...bare };
      } finally {
        await baseline.close();
      }
    }
    const on = new Set<string>(hotline.channels.map((c) => c.channel));
    for (const [channel, delivery] of Object.entries(DELIVERIES) as Array<[keyof typeof WEBHOOK_PATHS, (typeof DELIVERIES)[keyof typeof WEBHOOK_PATHS]]>) {
      if (!on.has(channel)) {
        results[`webhook ingest: ${channel}`] = { skipped: 'channel not built in this checkout' };
        continue;
      }
      const send = async (n: number): Promise<number> => {
        const { body, headers } = delivery.make(n);
        const started = performance.now();
        const res = await fetch(base + WEBHOOK_PATHS[channel], { method: 'POST', body, headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${channel}: webhook answered ${res.status}`);
        return performance.now() - started;
      };
      progress(`${channel}: warm-up, then ${aloneCount} deliveries one at a time`);
      for (let i = 0; i < warmUp; i++) await send(1_000_000 + i); // warm-up: JIT, connections, prepared statements
      // One at a time: how long a lone delivery waits for its 200.
      const alone: number[] = [];
      for (let i = 0; i < aloneCount; i++) alone.push(await send(2_000_000 + i));
      alone.sort((a, b) => a - b);
      // Many at once: how many a node takes per second, and the wait under that load.
      progress(`${channel}: ${perChannel} deliveries, ${concurrency} at a time`);
      const many = await load(send, perChannel, concurrency, (line) => progress(`${channel}: ${line}`));
      results[`webhook ingest: ${channel}`] = {
        database: hotline.db.mode,
        aloneAckP50Ms: Number(percentile(alone, 50).toFixed(2)),
        aloneAckP99Ms: Number(percentile(alone, 99).toFixed(2)),
        deliveries: perChannel,
        concurrency,
        ...many,
        shareOfBare: bare ? `${((100 * many.perSecond) / bare.perSecond).toFixed(1)}%` : 'n/a',
      };
    }
  } finally {
    await hotline.close();
    platform.close();
    await storage.drop();
  }
  return results;
}
