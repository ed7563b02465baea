// The hotline's logger: pino, with nothing in a log line that would let its reader act as someone
// (tokens, secrets) or reach a person (phone numbers). Three layers, because no single one sees
// everything:
// - `redact` removes credential fields wherever a log call passes them (headers, token, password…);
// - the request serializer logs the URL with its credential query parameters replaced
//   (GET /webchat/ws?token=… is how the widget connects);
// - a last pass over every finished line replaces anything shaped like one of our signed tokens,
//   a Telegram bot token, a Zalo mac, a configured secret, or a Vietnamese phone number, wherever
//   it ended up (an error message, a platform's URL, a message text in a debug line).
//
// The lines are JSON for log collectors, or pino-pretty's readable one-liners when a person watches
// a terminal (LOG_FORMAT overrides the guess); the scrubbing happens before either.
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config';

export type LogFormat = 'pretty' | 'json';

/** The format to write: LOG_FORMAT when set, else pretty only when the output is a terminal. */
export function chooseLogFormat(setting: LogFormat | undefined, outputIsTty: boolean): LogFormat {
  return setting ?? (outputIsTty ? 'pretty' : 'json');
}

/**
 * pino-pretty as an in-process stream rather than a transport worker: nothing to start or flush,
 * and lines are written synchronously, so a crash right after a log call still shows it.
 */
function prettyStream(destination: DestinationStream | undefined, colorize: boolean): DestinationStream {
  return pretty({
    destination: (destination as NodeJS.WritableStream | undefined) ?? 1,
    colorize,
    translateTime: 'SYS:HH:MM:ss.l',
    // One line per event; fastify's request objects shrink to "GET /t/… → 404".
    singleLine: true,
    ignore: 'pid,hostname,req,res',
    messageFormat: '{msg}{if req.method} {req.method} {req.url}{end}{if res.statusCode} → {res.statusCode}{end}',
    sync: true,
  });
}

const REDACTED = '[redacted]';

const CREDENTIAL_FIELDS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-telegram-bot-api-secret-token',
  'x-bot-api-secret-token',
  'x-zevent-signature',
  'x-csrf-token',
  'csrfToken',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'secret',
  'secretKey',
  'webhookSecret',
  'apiKey',
  'phone',
];

/** Each credential field at the top of a log object, one level down (req.headers.x) and two. */
const REDACT_PATHS = CREDENTIAL_FIELDS.flatMap((f) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(f) ? `.${f}` : `["${f}"]`;
  const top = key.startsWith('.') ? f : key;
  return [top, `*${key}`, `*.*${key}`];
});

// q: the console's inbox search, which may be a person's phone number.
const QUERY_CREDENTIALS = /([?&](?:token|access_token|refresh_token|secret|secret_token|key|api_key|signature|mac|password|q)=)[^&#]*/gi;

/** A URL as it may be logged: credential query parameters replaced, the rest kept for debugging. */
export function redactUrl(url: string): string {
  return url.replace(QUERY_CREDENTIALS, `$1${REDACTED}`);
}

const PATTERNS: Array<[RegExp, string]> = [
  // Our signed tokens (src/auth/tokens.ts): base64url claims, a dot, a base64url HMAC-SHA256.
  [/[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, '[token]'],
  // Telegram bot tokens (123456789:AA…), also inside api.telegram.org/bot<token>/ URLs.
  [/\d{5,12}:[A-Za-z0-9_-]{30,}/g, '[bot-token]'],
  // Zalo OA webhook signatures.
  [/mac=[0-9a-fA-F]{64}/g, `mac=${REDACTED}`],
  [/Bearer\s+[A-Za-z0-9._~+/=-]+/g, `Bearer ${REDACTED}`],
  // Vietnamese phone numbers: 0 or (+)84, then 9 digits, maybe grouped by spaces, dots or dashes.
  [/(?<![\w-])(?:\+84|84|0)(?:[\s.-]?\d){9}(?![\w-])/g, '[phone]'],
];

export function scrubber(secrets: string[]): (line: string) => string {
  // Short values would match ordinary words; real secrets are long.
  const exact = [...new Set(secrets.filter((s) => s.length >= 8))].sort((a, b) => b.length - a.length);
  return (line) => {
    let out = line;
    for (const secret of exact) if (out.includes(secret)) out = out.split(secret).join('[secret]');
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };
}

/** The password inside SMTP_URL (smtps://user:password@host), if any. */
function smtpPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/** The configured secrets, for the exact-match pass (the patterns catch their usual shapes too). */
export function configuredSecrets(config: Pick<Config, 'sessionSecret' | 'channels' | 'llm'> & Partial<Pick<Config, 'smtp'>>): string[] {
  const { zaloOa, zaloBot, telegram } = config.channels;
  return [
    config.sessionSecret,
    zaloOa?.secretKey,
    zaloOa?.appSecret,
    zaloOa?.accessToken,
    zaloOa?.refreshToken,
    zaloBot?.token,
    zaloBot?.webhookSecret,
    telegram?.token,
    telegram?.webhookSecret,
    config.llm?.apiKey,
    smtpPassword(config.smtp?.url),
  ].filter((s): s is string => typeof s === 'string' && s !== '');
}

interface RequestLike {
  method?: string;
  url?: string;
  host?: string;
  hostname?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** The process's logger; `destination` (tests) instead of stdout. */
export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat' | 'sessionSecret' | 'channels' | 'llm'> & Partial<Pick<Config, 'smtp'>>, destination?: DestinationStream): Logger {
  const isTty = Boolean(destination ? (destination as { isTTY?: boolean }).isTTY : process.stdout.isTTY);
  const format = chooseLogFormat(config.logFormat, isTty);
  // Silent writes nothing, so there is nothing to redact; with redact paths set, every child logger
  // (fastify makes one per request) runs its bindings through them, written or not.
  const silent = config.logLevel === 'silent';
  return pino(
    {
      level: config.logLevel,
      ...(silent ? {} : { redact: { paths: REDACT_PATHS, censor: REDACTED } }),
      serializers: {
        // Fastify's own request serializer, with the URL's credentials removed.
        req: (req: RequestLike) => ({
          method: req.method,
          url: req.url === undefined ? undefined : redactUrl(req.url),
          host: req.host ?? req.hostname,
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort,
        }),
      },
      hooks: { streamWrite: scrubber(configuredSecrets(config)) },
    },
    format === 'pretty' ? prettyStream(destination, isTty) : destination,
  );
}
