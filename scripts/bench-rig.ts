// What every bench section stands on: the hotline started as production starts it, in processes of
// its own (so its CPU is its own and the load client's is not counted against it); its storage (a
// scratch PostgreSQL database and Redis key prefix, or an embedded PGlite folder); local stand-ins
// for the platforms' APIs that accept every send at once and record it; realistic deliveries; and
// a load client fast enough not to be the bottleneck (undici's Pool, one connection per request in
// flight).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, get as httpGetRaw, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Pool } from 'undici';
import { readCorpus } from '../src/classify/corpus';
import { hotlineCommand } from './hotline-command';
import type { HotlineRole } from '../src/app';

export type Metrics = Record<string, number | string | boolean | null>;
export type Progress = (line: string) => void;

export const ROOT = path.resolve(__dirname, '..');

export const round = (x: number, digits = 1): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : NaN);
export const megabytes = (bytes: number): number => Math.round(bytes / 1e5) / 10;
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** p50/p99 of latencies in milliseconds (sorts the array). */
export function latencySummary(latencies: number[]): { p50Ms: number; p99Ms: number; maxMs: number } {
  latencies.sort((a, b) => a - b);
  return { p50Ms: round(percentile(latencies, 50), 2), p99Ms: round(percentile(latencies, 99), 2), maxMs: round(latencies[latencies.length - 1] ?? NaN, 2) };
}

// ---------------------------------------------------------------------------------------------
// Storage

export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Where a deployment keeps its data: env for the hotline's processes, and how to read and drop it. */
export interface BenchStorage {
  mode: 'postgresql' | 'pglite';
  env: Record<string, string>;
  /** Runs SQL against the deployment's database (PGlite: only while no hotline process holds the folder). */
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  drop(): Promise<void>;
}

/** Makes a new, empty storage for each deployment a section starts. */
export type StorageFactory = () => Promise<BenchStorage>;

export interface Servers {
  databaseUrl: string;
  redisUrl: string;
}

/** The servers the bench runs on, or a clear failure telling how to start them or use --embedded. */
export async function reachServers(): Promise<Servers> {
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new Error(
      `PostgreSQL at ${redact(databaseUrl)} is not reachable (${(err as Error).message}): start it, set DATABASE_URL, or run the bench embedded with --embedded.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  const url = new URL(redisUrl);
  const pong = await new Promise<string>((resolve) => {
    const socket = createNetConnection(Number(url.port || 6379), url.hostname, resolve);
    socket.setTimeout(3000, () => (socket.destroy(), resolve('timeout')));
  });
  if (!pong.startsWith('+PONG') && !pong.startsWith('-NOAUTH')) {
    throw new Error(`Redis at ${redact(redisUrl)} is not reachable (${pong.trim() || 'no answer'}): start it, set REDIS_URL, or run the bench embedded with --embedded.`);
  }
  return { databaseUrl, redisUrl };
}

function createNetConnection(port: number, host: string, done: (answer: string) => void) {
  const socket = connect(port, host, () => socket.write('PING\r\n'));
  socket.once('data', (data) => (done(data.toString()), socket.end()));
  socket.once('error', (err) => done(err.message));
  return socket;
}

const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//…@');

/** A scratch database next to the one `baseUrl` names; dropped by `drop`. */
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

export function postgresStorage(servers: Servers): StorageFactory {
  return async () => {
    const scratch = await scratchPostgres(servers.databaseUrl);
    return postgresAt(scratch.url, servers.redisUrl, scratch.drop);
  };
}

/** A PostgreSQL database made ready elsewhere (the tests' copies of their template), with its own key prefix on `redisUrl`. */
export function postgresAt(databaseUrl: string, redisUrl: string | undefined, drop: () => Promise<void>): BenchStorage {
  const prefix = `hotline-bench-${randomBytes(4).toString('hex')}`;
  return {
    mode: 'postgresql',
    env: { DATABASE_URL: databaseUrl, ...(redisUrl ? { REDIS_URL: redisUrl } : {}), QUEUE_PREFIX: prefix },
    async query<T>(sql: string) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        return (await client.query(sql)).rows as T[];
      } finally {
        await client.end();
      }
    },
    async drop() {
      await drop();
      // The queue's keys too (an ingest run leaves every job waiting): nothing of the run is kept.
      if (redisUrl) await dropKeys(redisUrl, `${prefix}:*`);
    },
  };
}

async function dropKeys(redisUrl: string, pattern: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A PGlite folder per deployment; `template` (a migrated folder) is copied instead of migrating anew. */
export function pgliteStorage(opts: { template?: string } = {}): StorageFactory {
  return async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hotline-bench-'));
    if (opts.template) cpSync(opts.template, dataDir, { recursive: true });
    return pgliteAt(dataDir, () => rmSync(dataDir, { recursive: true, force: true }));
  };
}

export function pgliteAt(dataDir: string, remove: () => void | Promise<void>): BenchStorage {
  return {
    mode: 'pglite',
    env: { DATA_DIR: dataDir },
    async query<T>(sql: string) {
      const { PGlite } = await import('@electric-sql/pglite');
      const lite = new PGlite(path.join(dataDir, 'pglite'));
      try {
        return (await lite.query<T>(sql)).rows;
      } finally {
        await lite.close();
      }
    },
    drop: async () => void (await remove()),
  };
}

// ---------------------------------------------------------------------------------------------
// Platform fakes

export type PlatformChannel = 'zalo_oa' | 'zalo_bot' | 'telegram';
export const PLATFORM_CHANNELS: PlatformChannel[] = ['zalo_oa', 'zalo_bot', 'telegram'];

export const SECRETS = {
  zaloOa: { appId: '4318025633287511234', secretKey: 'bench-oa-secret-key', oaId: '2951278437895321234' },
  zaloBotSecret: 'bench-zalo-bot-secret',
  zaloBotToken: '1234567890:bench-zalo-bot',
  telegramSecret: 'bench-telegram-secret',
  telegramToken: '12345:bench-telegram',
};

export interface Reply {
  channel: PlatformChannel;
  chat: string;
  text: string;
  at: number;
}

/**
 * Telegram's Bot API, Zalo OA's Open API and the Zalo Bot API as the hotline calls them, accepting
 * every send at once (no rate limits) and recording each (chat, text, time). `onReply` is told as
 * each arrives, for timing end to end.
 */
export class PlatformFakes {
  readonly replies: Reply[] = [];
  readonly sendsByChannel: Record<PlatformChannel, number> = { zalo_oa: 0, zalo_bot: 0, telegram: 0 };
  onReply: ((reply: Reply) => void) | null = null;
  private servers: Server[] = [];
  private counter = 0;
  urls: Record<PlatformChannel, string> = { zalo_oa: '', zalo_bot: '', telegram: '' };

  static async start(): Promise<PlatformFakes> {
    const fakes = new PlatformFakes();
    for (const channel of PLATFORM_CHANNELS) {
      const server = createServer((req, res) => fakes.route(channel, req, res));
      server.keepAliveTimeout = 60_000;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      fakes.servers.push(server);
      fakes.urls[channel] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }
    return fakes;
  }

  /** What a hotline process needs to talk to these fakes (and to take the bench's webhooks). */
  env(): Record<string, string> {
    return {
      ZALO_OA_APP_ID: SECRETS.zaloOa.appId,
      ZALO_OA_SECRET_KEY: SECRETS.zaloOa.secretKey,
      ZALO_OA_APP_SECRET: 'bench-app-secret',
      ZALO_OA_ACCESS_TOKEN: 'bench-access-token',
      ZALO_OA_REFRESH_TOKEN: 'bench-refresh-token',
      ZALO_OA_API_BASE: this.urls.zalo_oa,
      ZALO_OAUTH_BASE: this.urls.zalo_oa,
      ZALO_BOT_TOKEN: SECRETS.zaloBotToken,
      ZALO_BOT_WEBHOOK_SECRET: SECRETS.zaloBotSecret,
      ZALO_BOT_API_BASE: this.urls.zalo_bot,
      TELEGRAM_BOT_TOKEN: SECRETS.telegramToken,
      TELEGRAM_WEBHOOK_SECRET: SECRETS.telegramSecret,
      TELEGRAM_API_BASE: this.urls.telegram,
      // Platform pacing off: the fakes do not rate-limit, and the bench measures the hotline, not
      // Telegram's 30 a second or one a second per chat (the issue excludes platform pacing).
      TELEGRAM_CHAT_INTERVAL_MS: '0',
      TELEGRAM_SENDS_PER_SECOND: '0',
      ZALO_BOT_SENDS_PER_SECOND: '0',
    };
  }

  /** Sends recorded per chat beyond the first of the same text to the same chat (a cross-check). */
  get total(): number {
    return this.replies.length;
  }

  async stop(): Promise<void> {
    for (const server of this.servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private route(channel: PlatformChannel, req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = (req.url ?? '').split('?')[0] ?? '';
      let body: Record<string, any> = {};
      const raw = Buffer.concat(chunks).toString('utf8');
      try {
        body = raw && raw.startsWith('{') ? (JSON.parse(raw) as Record<string, any>) : {};
      } catch {
        body = {};
      }
      const json = (status: number, answer: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      };
      const record = (chat: string, text: string) => {
        const reply: Reply = { channel, chat, text, at: performance.now() };
        this.replies.push(reply);
        this.sendsByChannel[channel] += 1;
        this.onReply?.(reply);
      };
      this.counter += 1;
      if (channel === 'zalo_oa') {
        if (url === '/v3.0/oa/message/cs') {
          const userId = String(body.recipient?.user_id ?? '');
          record(userId, String(body.message?.text ?? ''));
          return json(200, { data: { message_id: `bench${this.counter}`, user_id: userId }, error: 0, message: 'Success' });
        }
        if (url === '/v4/oa/access_token') return json(200, { access_token: 'bench-access-token', refresh_token: 'bench-refresh-token', expires_in: '90000' });
        if (url === '/v2.0/oa/upload/image') return json(200, { error: 0, message: 'Success', data: { attachment_id: `att${this.counter}` } });
        return json(404, { error: -1, message: `bench fake: no route ${url}` });
      }
      const method = /^\/bot[^/]+\/(\w+)$/.exec(url)?.[1] ?? '';
      if (channel === 'telegram') {
        const me = { id: 7000000001, is_bot: true, first_name: 'Hotline 1022', username: 'hotline_bench_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
        if (method === 'getMe') return json(200, { ok: true, result: me });
        if (method === 'sendMessage' || method === 'sendPhoto') {
          const chatId = String(body.chat_id);
          record(chatId, String(body.text ?? body.caption ?? ''));
          return json(200, { ok: true, result: { message_id: this.counter, date: Math.floor(Date.now() / 1000), chat: { id: Number(body.chat_id), type: 'private' }, from: me, text: body.text } });
        }
        return json(200, { ok: true, result: true });
      }
      if (method === 'getMe') return json(200, { ok: true, result: { id: '1459232241454765289', account_name: 'bot.Hotline', account_type: 'BASIC', can_join_groups: false } });
      if (method === 'sendMessage' || method === 'sendPhoto') {
        record(String(body.chat_id), String(body.text ?? body.caption ?? ''));
        return json(200, { ok: true, result: { message_id: randomBytes(10).toString('hex'), date: Date.now() } });
      }
      return json(200, { ok: true, result: true });
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Traffic

let corpusTexts: string[] | null = null;

/** The classifier corpus' message texts: what people actually write to the hotline. */
export function messageTexts(): string[] {
  corpusTexts ??= readCorpus().examples.map((e) => e.text).filter((t) => t.trim().length > 0);
  if (corpusTexts.length === 0) throw new Error('the classifier corpus (src/classify/corpus) has no texts to send');
  return corpusTexts;
}

export interface Delivery {
  path: string;
  body: string;
  headers: Record<string, string>;
  channel: PlatformChannel;
  /** The platform's chat (user) id, as the fake records the reply to it. */
  chat: string;
}

export const WEBHOOK_PATHS: Record<PlatformChannel, string> = {
  zalo_oa: '/webhooks/zalo-oa',
  zalo_bot: '/webhooks/zalo-bot',
  telegram: '/webhooks/telegram',
};

/** The chat id the fake sees for sender number `sender` of a channel (one person per number). */
export function chatOf(channel: PlatformChannel, run: string, sender: number): string {
  if (channel === 'telegram') return String(5_000_000_000 + (parseInt(run, 16) % 1000) * 1_000_000 + sender);
  if (channel === 'zalo_oa') return `84${String(parseInt(run, 16) % 100_000).padStart(5, '0')}${String(sender).padStart(10, '0')}`;
  return `zb${run}${sender.toString(16).padStart(8, '0')}`;
}

/**
 * Deliveries shaped and signed as each platform sends them (see the channels' tests), from
 * `senders` distinct people, with message texts from the corpus. `run` keeps ids apart between runs.
 */
export class Traffic {
  readonly run = randomBytes(3).toString('hex');
  private n = 0;
  private readonly texts = messageTexts();

  constructor(readonly senders = 5000) {}

  make(channel: PlatformChannel, sender = this.n % this.senders): Delivery {
    const n = this.n++;
    const text = this.texts[(n * 7919) % this.texts.length]!;
    const chat = chatOf(channel, this.run, sender);
    if (channel === 'zalo_oa') {
      const { appId, secretKey, oaId } = SECRETS.zaloOa;
      const timestamp = String(Date.now());
      const body = JSON.stringify({
        app_id: appId,
        user_id_by_app: `55${sender}`,
        event_name: 'user_send_text',
        timestamp,
        sender: { id: chat },
        recipient: { id: oaId },
        message: { msg_id: `bench${this.run}${n}`, text },
      });
      const mac = createHash('sha256').update(appId + body + timestamp + secretKey).digest('hex');
      return { channel, chat, path: WEBHOOK_PATHS.zalo_oa, body, headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` } };
    }
    if (channel === 'zalo_bot') {
      const body = JSON.stringify({
        ok: true,
        result: {
          event_name: 'message.text.received',
          message: { from: { id: chat, display_name: 'Người dân', is_bot: false }, chat: { id: chat, chat_type: 'PRIVATE' }, text, message_id: `bench${this.run}${n}`, date: Date.now() },
        },
      });
      return { channel, chat, path: WEBHOOK_PATHS.zalo_bot, body, headers: { 'content-type': 'application/json', 'x-bot-api-secret-token': SECRETS.zaloBotSecret } };
    }
    const body = JSON.stringify({
      update_id: (parseInt(this.run, 16) % 1000) * 1_000_000 + n,
      message: {
        message_id: n + 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: Number(chat), type: 'private', first_name: 'Lan' },
        from: { id: Number(chat), is_bot: false, first_name: 'Lan', language_code: 'vi' },
        text,
      },
    });
    return { channel, chat, path: WEBHOOK_PATHS.telegram, body, headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRETS.telegramSecret } };
  }
}

// ---------------------------------------------------------------------------------------------
// Load client

export interface Answer {
  status: number;
  ms: number;
  retryAfterS: number;
}

/** Keep-alive connections to one origin, `connections` of them, one request on each at a time. */
export class LoadClient {
  private readonly pool: Pool;

  constructor(origin: string, readonly connections: number) {
    this.pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
  }

  async post(path: string, body: string, headers: Record<string, string>): Promise<Answer> {
    const started = performance.now();
    const res = await this.pool.request({ method: 'POST', path, body, headers });
    await res.body.dump();
    const retryAfter = Number(res.headers['retry-after'] ?? 0);
    return { status: res.statusCode, ms: performance.now() - started, retryAfterS: Number.isFinite(retryAfter) ? retryAfter : 0 };
  }

  async get(path: string): Promise<{ status: number; text: string }> {
    const res = await this.pool.request({ method: 'GET', path });
    return { status: res.statusCode, text: await res.body.text() };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export interface ClosedLoopResult {
  deliveries: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** 503 not_stored answers, each delivered again after its Retry-After. */
  notStoredRetried: number;
}

/**
 * `concurrency` senders, each posting its next delivery as soon as the last was answered, for
 * `seconds` (after `warmUpSeconds` not counted). Any answer but 200 (or a 503 to retry) fails the run.
 */
export async function closedLoop(
  client: LoadClient,
  make: () => { path: string; body: string; headers: Record<string, string> },
  opts: { concurrency: number; seconds: number; warmUpSeconds?: number; label: string },
): Promise<ClosedLoopResult> {
  const latencies: number[] = [];
  let notStored = 0;
  let measuring = false;
  let stop = false;
  const run = async () => {
    while (!stop) {
      const d = make();
      const answer = await client.post(d.path, d.body, d.headers);
      if (answer.status === 503) {
        notStored += measuring ? 1 : 0;
        await sleep(1000 * (answer.retryAfterS || 1));
        continue;
      }
      if (answer.status !== 200) throw new Error(`${opts.label}: answered ${answer.status}`);
      if (measuring) latencies.push(answer.ms);
    }
  };
  const senders = Array.from({ length: opts.concurrency }, run);
  const failed = Promise.race(senders.map((s) => s.then(() => new Promise<never>(() => {}))));
  await Promise.race([sleep(1000 * (opts.warmUpSeconds ?? 1)), failed]);
  measuring = true;
  latencies.length = 0;
  const started = performance.now();
  await Promise.race([sleep(1000 * opts.seconds), failed]);
  measuring = false;
  const seconds = (performance.now() - started) / 1000;
  const counted = latencies.length;
  stop = true;
  await Promise.all(senders);
  return { deliveries: counted, seconds: round(seconds, 2), perSecond: Math.round(counted / seconds), ...latencySummary(latencies), notStoredRetried: notStored };
}

// ---------------------------------------------------------------------------------------------
// Hotline processes

/** GET on a connection of its own, closed after (the bench's few probes keep no sockets open). */
export function httpGet(url: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpGetRaw(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`GET ${url}: no answer in 30 s`)));
  });
}

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The role a hotline process runs (`--role`), as src/app.ts names them. */
export type Role = HotlineRole;

/** One hotline process: `node dist/main.js --role <role>`, as `npm start` runs it (scripts/hotline-command.ts). */
export class HotlineProcess {
  private output = '';
  private exited: { code: number | null; signal: string | null } | null = null;
  private peakRss = 0;
  private sampler: NodeJS.Timeout | null = null;

  private constructor(
    readonly name: string,
    readonly role: Role,
    readonly child: ChildProcess,
    readonly base: string,
    readonly startedAt: number,
  ) {
    const keep = (data: Buffer) => (this.output = (this.output + data.toString()).slice(-8000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => (this.exited = { code, signal }));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Starts the process and waits for GET /readyz to answer 200. */
  static async start(name: string, role: Role, env: Record<string, string>): Promise<{ process: HotlineProcess; readySeconds: number }> {
    const port = await freePort();
    const startedAt = performance.now();
    const command = hotlineCommand(role);
    // BENCH_NODE_ARGS: node flags for the hotline's processes only, e.g. to profile them under load
    // (`--cpu-prof --cpu-prof-dir=/tmp/prof`, which NODE_OPTIONS refuses).
    const extra = process.env.BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...extra, ...command.args], {
      cwd: ROOT,
      env: { ...cleanEnv(), ...command.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: 'https://hotline.bench', LOG_LEVEL: 'warn', LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const hotline = new HotlineProcess(name, role, child, `http://127.0.0.1:${port}`, startedAt);
    const deadline = startedAt + 180_000;
    for (;;) {
      if (hotline.exited) throw new Error(`${name} (${role}) exited before it was ready (${JSON.stringify(hotline.exited)}):\n${hotline.output}`);
      if (performance.now() > deadline) {
        await hotline.stop();
        throw new Error(`${name} (${role}) was not ready within 180 s:\n${hotline.output}`);
      }
      const ok = await httpGet(`${hotline.base}/readyz`).then((r) => r.status === 200, () => false);
      if (ok) break;
      await sleep(25);
    }
    const readySeconds = round((performance.now() - startedAt) / 1000, 2);
    hotline.sampler = setInterval(() => hotline.sampleRss(), 250);
    return { process: hotline, readySeconds };
  }

  /** CPU time the process has used so far, user and system, from /proc (seconds). */
  cpuSeconds(): number {
    return procCpuSeconds(this.pid);
  }

  /** Resident memory now, from /proc (bytes). */
  rss(): number {
    return procStatus(this.pid, 'VmRSS');
  }

  /** The highest resident memory seen: samples every 250 ms, and the kernel's high-water mark. */
  peakRssBytes(): number {
    this.sampleRss();
    return Math.max(this.peakRss, procStatus(this.pid, 'VmHWM'));
  }

  resetPeak(): void {
    this.peakRss = this.rss();
  }

  private sampleRss(): void {
    this.peakRss = Math.max(this.peakRss, this.rss());
  }

  /** SIGTERM (the hotline closes itself: finishes work in hand), SIGKILL after 30 s. */
  async stop(): Promise<void> {
    if (this.sampler) clearInterval(this.sampler);
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const killed = await Promise.race([exited.then(() => false), sleep(30_000).then(() => true)]);
    if (killed) {
      this.child.kill('SIGKILL');
      await exited;
    }
  }

  /** The last lines it wrote (for error reports). */
  tail(): string {
    return this.output;
  }
}

/** The bench's environment without what would point a hotline at the wrong database or prefix. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(DATABASE_URL|REDIS_URL|DATA_DIR|QUEUE_PREFIX|PORT|HOST|npm_.*)$/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

/** utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 1/100 s on Linux). */
export function procCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by the local processes named `comm` (postgres, redis-server): the servers' share of the cores. */
export function commandCpuSeconds(comm: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) total += procCpuSeconds(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

export function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** What every bench hotline is configured with, beyond its storage and the fakes. */
export const BENCH_ENV: Record<string, string> = {
  // Agencies and routing rules to route tickets to (a scratch database starts empty).
  SEED_DEMO: 'true',
  // The bench's thousands of senders write far faster than people do; above the per-sender limit
  // messages are stored but open no work, and the bench measures the normal path.
  LIMIT_CHANNEL_MESSAGES_PER_SENDER: '1000000',
  LIMIT_SESSIONS_PER_IP: '1000000',
  LIMIT_WEBCHAT_MESSAGES_PER_TOKEN: '1000000',
};

/** The processes of one deployment: the api and worker roles (PostgreSQL + Redis), or one all-in-one node (embedded). */
export interface Deployment {
  storage: BenchStorage;
  nodes: HotlineProcess[];
  /** Where people and platforms connect (the api or all-in-one node). */
  base: string;
  readySeconds: Record<string, number>;
  /** What runs: e.g. "api + worker" or "all-in-one". */
  topology: string;
  stop(): Promise<void>;
}

export async function deploy(
  newStorage: StorageFactory,
  fakes: PlatformFakes,
  opts: { workers: boolean; extraEnv?: Record<string, string> },
): Promise<Deployment> {
  const storage = await newStorage();
  const env = { ...BENCH_ENV, ...fakes.env(), ...storage.env, ...opts.extraEnv };
  const nodes: HotlineProcess[] = [];
  const readySeconds: Record<string, number> = {};
  try {
    if (storage.mode === 'pglite' || !storage.env.REDIS_URL) {
      // One process holds an embedded database (and without Redis the queue is in-process): the
      // all-in-one node, workers and all.
      const { process: node, readySeconds: s } = await HotlineProcess.start('hotline', 'all', env);
      nodes.push(node);
      readySeconds.all = s;
    } else {
      const { process: api, readySeconds: s } = await HotlineProcess.start('api', 'api', env);
      nodes.push(api);
      readySeconds.api = s;
      if (opts.workers) {
        const { process: worker, readySeconds: w } = await HotlineProcess.start('worker', 'worker', env);
        nodes.push(worker);
        readySeconds.worker = w;
      }
    }
  } catch (err) {
    for (const node of nodes) await node.stop();
    await storage.drop();
    throw err;
  }
  const topology =
    nodes[0]!.role === 'all'
      ? `one all-in-one node (${storage.mode === 'pglite' ? 'embedded PGlite' : 'PostgreSQL, no Redis'}; workers on${opts.workers ? '' : ' — the embedded node has no switch to turn them off'})`
      : opts.workers
        ? 'api node + worker node (PostgreSQL + Redis)'
        : 'api node only, no workers (PostgreSQL + Redis)';
  return {
    storage,
    nodes,
    base: nodes[0]!.base,
    readySeconds,
    topology,
    async stop() {
      for (const node of nodes) await node.stop();
    },
  };
}

/** Pending and dead work by kind, from the hotline's /metrics (read from the database it shares). */
export async function workCounts(base: string): Promise<Record<string, number>> {
  const { text } = await httpGet(`${base}/metrics`);
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^hotline_work_jobs\{kind="(\w+)",status="(\w+)"\} (\d+)/gm)) out[`${m[1]}:${m[2]}`] = Number(m[3]);
  return out;
}

/** Waits until no work of `kinds` is pending (or `timeoutMs` passes); returns whether it got there. */
export async function drained(base: string, kinds: string[], timeoutMs: number, onPoll?: (counts: Record<string, number>) => void): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const counts = await workCounts(base);
    onPoll?.(counts);
    if (kinds.every((k) => (counts[`${k}:pending`] ?? 0) === 0)) return true;
    if (performance.now() > deadline) return false;
    await sleep(250);
  }
}
