// The one typed configuration module: every setting comes from the environment through here,
// validated at start-up so a bad value stops the process with a message saying what to fix.
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const optionalUrl = z.url().optional();
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
/** A limit: how many, or how many seconds; at least 1 (a limit cannot be switched off by 0). */
const count = (def: number, max = 1_000_000) => z.coerce.number().int().min(1).max(max).default(def);

/** Proxy addresses as fastify's trustProxy (proxy-addr) takes them: IPs, CIDR ranges or its names. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const trustProxy = z
  .string()
  .transform((v) => v.split(',').map((p) => p.trim()).filter(Boolean))
  .refine(
    (list) =>
      list.every((p) => {
        if (PROXY_NAMES.has(p)) return true;
        const [addr, bits, extra] = p.split('/');
        if (extra !== undefined || !addr || !isIP(addr)) return false;
        return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(addr) === 4 ? 32 : 128));
      }),
    'must be a comma-separated list of proxy IP addresses or CIDR ranges (e.g. 127.0.0.1,10.0.0.0/8), or loopback, linklocal, uniquelocal',
  );

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: optionalUrl,
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection string')
    .optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  WEBCHAT_TOKEN_TTL_HOURS: z.coerce.number().positive().max(24 * 365).default(24 * 7),
  CONSOLE_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  CONSOLE_SESSION_IDLE_MINUTES: z.coerce.number().positive().max(24 * 60 * 30).default(120),
  DEMO_PASSWORD_CHANGE: flag.optional(),
  MAX_MESSAGE_CHARS: z.coerce.number().int().min(1).max(100_000).default(4000),
  TRACKING_PREFIX: z
    .string()
    .regex(/^[A-Z]{2,4}$/, 'must be 2 to 4 capital letters, e.g. HCM or HN')
    .default('HCM'),
  TIMEZONE_OFFSET_MINUTES: z.coerce.number().int().min(-720).max(840).default(420),
  OVERDUE_SWEEP_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  FLOW_ABANDON_MINUTES: z.coerce.number().int().min(1).max(60 * 24 * 30).default(120),
  QUEUE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  QUEUE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  QUEUE_PREFIX: z.string().regex(/^[a-zA-Z0-9:_-]+$/).default('hotline'),
  QUEUE_STALL_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  QUEUE_PROCESS_BATCH: z.coerce.number().int().min(1).max(256).default(32),
  SEED_DEMO: flag.optional(),
  ZALO_OA_APP_ID: z.string().optional(),
  ZALO_OA_SECRET_KEY: z.string().optional(),
  ZALO_OA_APP_SECRET: z.string().optional(),
  ZALO_OA_ACCESS_TOKEN: z.string().optional(),
  ZALO_OA_REFRESH_TOKEN: z.string().optional(),
  ZALO_OA_API_BASE: z.url().default('https://openapi.zalo.me'),
  ZALO_OAUTH_BASE: z.url().default('https://oauth.zaloapp.com'),
  ZALO_BOT_TOKEN: z.string().optional(),
  ZALO_BOT_WEBHOOK_SECRET: z.string().optional(),
  ZALO_BOT_API_BASE: z.url().default('https://bot-api.zaloplatforms.com'),
  TELEGRAM_BOT_TOKEN: z.string().optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().optional(),
  TELEGRAM_API_BASE: z.url().default('https://api.telegram.org'),
  // Telegram asks for at most one message a second to one chat; a fake or local Bot API needs no gap.
  TELEGRAM_CHAT_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  // Messages a second this process sends overall (Telegram's published limit is about 30, Zalo
  // Bot's pacing here 20); with several workers, each takes its share. 0: unpaced, only against a
  // local fake (the benchmark), since a real platform answers 429.
  TELEGRAM_SENDS_PER_SECOND: z.coerce.number().min(0).max(10_000).default(30),
  ZALO_BOT_SENDS_PER_SECOND: z.coerce.number().min(0).max(10_000).default(20),
  CHANNEL_POLLING: flag.optional(),
  CLASSIFY_CONFIDENCE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.5),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(4000),
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL, e.g. smtps://user:password@mail.example.org:465').optional(),
  SMTP_FROM: z.string().min(3).max(320).optional(),
  LIVE_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(300).default(25),
  TRUST_PROXY: trustProxy.optional(),
  LIMIT_LOGIN_PER_ACCOUNT: count(5),
  LIMIT_LOGIN_PER_IP: count(20),
  LIMIT_LOGIN_WINDOW_SECONDS: count(900, 86_400),
  LIMIT_SESSIONS_PER_IP: count(120),
  LIMIT_SESSIONS_WINDOW_SECONDS: count(60, 86_400),
  LIMIT_TRACKING_PER_IP: count(60),
  LIMIT_TRACKING_WINDOW_SECONDS: count(60, 86_400),
  LIMIT_SOCKETS_PER_TOKEN: count(5, 1000),
  LIMIT_WEBCHAT_MESSAGES_PER_TOKEN: count(30),
  LIMIT_WEBCHAT_MESSAGES_WINDOW_SECONDS: count(60, 86_400),
  LIMIT_INGEST_IN_FLIGHT: count(256, 100_000),
  LIMIT_CHANNEL_MESSAGES_PER_SENDER: count(20),
  LIMIT_CHANNEL_MESSAGES_WINDOW_SECONDS: count(60, 86_400),
  ZALO_OA_EVENT_MAX_AGE_SECONDS: count(86_400, 30 * 86_400),
  ZALO_OA_EVENT_MAX_AHEAD_SECONDS: count(300, 86_400),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  logLevel: string;
  /** pretty (coloured lines for a terminal) or json (one object a line); unset: pretty on a terminal. */
  logFormat?: 'pretty' | 'json';
  sessionSecret?: string;
  webchatTokenTtlMs: number;
  /** A console sign-in lasts at most this long, and ends sooner when unused for idleMs. */
  consoleSession: { ttlMs: number; idleMs: number };
  maxMessageChars: number;
  trackingPrefix: string;
  timezoneOffsetMinutes: number;
  /** How often a worker looks for tickets past their deadlines (src/tickets/overdue.ts). */
  overdueSweepMs: number;
  /** An unfinished form is closed politely after this long without an answer. */
  flowAbandonMs: number;
  /** stallTimeoutMs: how soon a job held by a dead worker is handed to another (BullMQ lock and stall check). */
  queue: { concurrency: number; maxAttempts: number; prefix: string; stallTimeoutMs: number; processBatch: number };
  /** Seed demo agencies, routing rules and staff accounts (default: only in embedded mode). */
  seedDemo: boolean;
  /**
   * Demo accounts seeded now must change their password at first login (default: with a server
   * database; the embedded demo keeps the published demo password so anyone can try it).
   */
  demoPasswordChange: boolean;
  /** A channel whose credentials are unset is off (undefined). */
  channels: {
    zaloOa?: ZaloOaConfig;
    zaloBot?: ZaloBotConfig;
    telegram?: TelegramConfig;
  };
  /** `npm run dev`: Telegram and Zalo Bot fetch updates by long polling instead of webhooks. */
  polling: boolean;
  /** When set, GET /metrics wants it as a bearer token. */
  metricsToken?: string;
  /** Staff notifications by e-mail, for those who turn them on: the SMTP server and the From address. */
  smtp?: { url: string; from: string };
  /** How often GET /api/live writes a comment line, so proxies keep the stream open. */
  liveHeartbeatMs: number;
  /** Below this confidence a ticket goes to the operators' triage inbox instead of an agency. */
  confidenceThreshold: number;
  llm?: { baseUrl: string; apiKey?: string; model?: string; timeoutMs: number };
  /** Proxies whose X-Forwarded-For is believed (fastify trustProxy); none when unset. */
  trustProxy: string[];
  limits: Limits;
}

/** A fixed-window limit: at most `max` in `windowMs`. */
export interface Limit {
  max: number;
  windowMs: number;
}

/** Abuse limits (README, "Limits"); each comes from its LIMIT_* variable. */
export interface Limits {
  loginPerAccount: Limit;
  loginPerIp: Limit;
  sessionsPerIp: Limit;
  trackingPerIp: Limit;
  /** Open web chat sockets of one token at once (on one node). */
  socketsPerToken: number;
  webchatMessagesPerToken: Limit;
  /** Platform channel messages of one sender; beyond it messages are stored but open no work. */
  channelMessagesPerSender: Limit;
  /** Messages (every channel) being stored at once in one process; beyond it they are refused with 503 to be delivered again. */
  ingestInFlight: number;
}

export interface ZaloOaConfig {
  appId: string;
  /** OA secret key: signs webhooks (X-ZEvent-Signature). */
  secretKey: string;
  /** App secret: authenticates token refreshes at the OAuth v4 endpoint. */
  appSecret?: string;
  accessToken?: string;
  refreshToken?: string;
  apiBase: string;
  oauthBase: string;
  /** Events signed longer ago than this, or further ahead, are refused as stale (replays). */
  eventMaxAgeMs: number;
  eventMaxAheadMs: number;
}

export interface ZaloBotConfig {
  token: string;
  webhookSecret: string;
  apiBase: string;
  /** Messages a second overall from this process; 0: unpaced. */
  sendsPerSecond?: number;
}

export interface TelegramConfig {
  token: string;
  webhookSecret: string;
  apiBase: string;
  /** Least gap between two messages to one chat (Telegram's limit: one a second). */
  chatIntervalMs?: number;
  /** Messages a second overall from this process; 0: unpaced. */
  sendsPerSecond?: number;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** Empty strings count as unset, as they do in most deployment tools' env files. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`),
    );
  }
  const e = parsed.data;
  const embedded = !e.DATABASE_URL;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    sessionSecret: e.SESSION_SECRET,
    webchatTokenTtlMs: e.WEBCHAT_TOKEN_TTL_HOURS * 3600_000,
    consoleSession: { ttlMs: e.CONSOLE_SESSION_HOURS * 3600_000, idleMs: e.CONSOLE_SESSION_IDLE_MINUTES * 60_000 },
    maxMessageChars: e.MAX_MESSAGE_CHARS,
    trackingPrefix: e.TRACKING_PREFIX,
    timezoneOffsetMinutes: e.TIMEZONE_OFFSET_MINUTES,
    overdueSweepMs: e.OVERDUE_SWEEP_SECONDS * 1000,
    flowAbandonMs: e.FLOW_ABANDON_MINUTES * 60_000,
    queue: {
      concurrency: e.QUEUE_CONCURRENCY,
      maxAttempts: e.QUEUE_MAX_ATTEMPTS,
      prefix: e.QUEUE_PREFIX,
      stallTimeoutMs: e.QUEUE_STALL_TIMEOUT_MS,
      processBatch: e.QUEUE_PROCESS_BATCH,
    },
    seedDemo: e.SEED_DEMO ?? embedded,
    demoPasswordChange: e.DEMO_PASSWORD_CHANGE ?? !embedded,
    channels: {
      zaloOa:
        e.ZALO_OA_APP_ID && e.ZALO_OA_SECRET_KEY && (e.ZALO_OA_ACCESS_TOKEN || e.ZALO_OA_REFRESH_TOKEN)
          ? {
              appId: e.ZALO_OA_APP_ID,
              secretKey: e.ZALO_OA_SECRET_KEY,
              appSecret: e.ZALO_OA_APP_SECRET,
              accessToken: e.ZALO_OA_ACCESS_TOKEN,
              refreshToken: e.ZALO_OA_REFRESH_TOKEN,
              apiBase: trimSlash(e.ZALO_OA_API_BASE),
              oauthBase: trimSlash(e.ZALO_OAUTH_BASE),
              eventMaxAgeMs: e.ZALO_OA_EVENT_MAX_AGE_SECONDS * 1000,
              eventMaxAheadMs: e.ZALO_OA_EVENT_MAX_AHEAD_SECONDS * 1000,
            }
          : undefined,
      // Long polling needs no webhook secret; a webhook always does.
      zaloBot:
        e.ZALO_BOT_TOKEN && (e.ZALO_BOT_WEBHOOK_SECRET || e.CHANNEL_POLLING)
          ? { token: e.ZALO_BOT_TOKEN, webhookSecret: e.ZALO_BOT_WEBHOOK_SECRET ?? '', apiBase: trimSlash(e.ZALO_BOT_API_BASE), sendsPerSecond: e.ZALO_BOT_SENDS_PER_SECOND }
          : undefined,
      telegram:
        e.TELEGRAM_BOT_TOKEN && (e.TELEGRAM_WEBHOOK_SECRET || e.CHANNEL_POLLING)
          ? {
              token: e.TELEGRAM_BOT_TOKEN,
              webhookSecret: e.TELEGRAM_WEBHOOK_SECRET ?? '',
              apiBase: trimSlash(e.TELEGRAM_API_BASE),
              chatIntervalMs: e.TELEGRAM_CHAT_INTERVAL_MS,
              sendsPerSecond: e.TELEGRAM_SENDS_PER_SECOND,
            }
          : undefined,
    },
    polling: e.CHANNEL_POLLING ?? false,
    metricsToken: e.METRICS_TOKEN,
    smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: e.SMTP_FROM ?? `Hotline 1022 <no-reply@${new URL(publicUrl).hostname}>` } : undefined,
    liveHeartbeatMs: e.LIVE_HEARTBEAT_SECONDS * 1000,
    confidenceThreshold: e.CLASSIFY_CONFIDENCE_THRESHOLD,
    llm: e.LLM_BASE_URL
      ? { baseUrl: e.LLM_BASE_URL, apiKey: e.LLM_API_KEY, model: e.LLM_MODEL, timeoutMs: e.LLM_TIMEOUT_MS }
      : undefined,
    trustProxy: e.TRUST_PROXY ?? [],
    limits: {
      loginPerAccount: { max: e.LIMIT_LOGIN_PER_ACCOUNT, windowMs: e.LIMIT_LOGIN_WINDOW_SECONDS * 1000 },
      loginPerIp: { max: e.LIMIT_LOGIN_PER_IP, windowMs: e.LIMIT_LOGIN_WINDOW_SECONDS * 1000 },
      sessionsPerIp: { max: e.LIMIT_SESSIONS_PER_IP, windowMs: e.LIMIT_SESSIONS_WINDOW_SECONDS * 1000 },
      trackingPerIp: { max: e.LIMIT_TRACKING_PER_IP, windowMs: e.LIMIT_TRACKING_WINDOW_SECONDS * 1000 },
      socketsPerToken: e.LIMIT_SOCKETS_PER_TOKEN,
      webchatMessagesPerToken: { max: e.LIMIT_WEBCHAT_MESSAGES_PER_TOKEN, windowMs: e.LIMIT_WEBCHAT_MESSAGES_WINDOW_SECONDS * 1000 },
      ingestInFlight: e.LIMIT_INGEST_IN_FLIGHT,
      channelMessagesPerSender: { max: e.LIMIT_CHANNEL_MESSAGES_PER_SENDER, windowMs: e.LIMIT_CHANNEL_MESSAGES_WINDOW_SECONDS * 1000 },
    },
  };
}
