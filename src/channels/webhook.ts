// Shared plumbing for platform webhooks: the raw request bytes (signatures are computed over them,
// not over re-serialised JSON), constant-time secret comparison, and JSON parsing with a reason.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';

/** Makes every body in this (encapsulated) plugin arrive as the exact bytes that were sent. */
export function keepRawBody(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
}

/** The digests of the configured secrets (a handful), so each request hashes only what it was given. */
const expectedDigests = new Map<string, Buffer>();

/** Compares two secrets in time that does not depend on where they differ (hashing equalises lengths). */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined || expected === '') return false;
  const a = createHash('sha256').update(given).digest();
  let b = expectedDigests.get(expected);
  if (!b) {
    b = createHash('sha256').update(expected).digest();
    // Only configured secrets repeat; a per-request value (a Zalo mac) is not worth keeping.
    if (expectedDigests.size < 16) expectedDigests.set(expected, b);
  }
  return timingSafeEqual(a, b) && given.length === expected.length;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Parses a webhook body; big integers are kept exact by the caller's schema (ids are strings). */
export function parseJsonBody(raw: unknown): Parsed<unknown> {
  if (!Buffer.isBuffer(raw) || raw.length === 0) return { ok: false, reason: 'empty body: expected a JSON object' };
  return parseJsonText(raw.toString('utf8'));
}

function parseJsonText(text: string): Parsed<unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'body is not a JSON object' };
    return { ok: true, value };
  } catch (err) {
    return { ok: false, reason: `body is not valid JSON (${(err as Error).message})` };
  }
}

/**
 * Ids as exact strings even when a platform sends them as JSON numbers above 2^53 (JSON.parse would
 * round them): outside string literals, every integer of 16 or more digits is quoted before parsing.
 */
export function parseJsonKeepingBigIds(raw: unknown): Parsed<unknown> {
  if (!Buffer.isBuffer(raw) || raw.length === 0) return parseJsonBody(raw);
  const text = raw.toString('utf8');
  // Most bodies have no run of 16 digits anywhere: nothing to quote, no need to walk them.
  if (!SIXTEEN_DIGITS.test(text)) return parseJsonText(text);
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
      continue;
    }
    const isDigit = c >= 48 && c <= 57;
    if (!isDigit && c !== 45 /* - */) continue;
    let j = i + (c === 45 ? 1 : 0);
    while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    const next = text[j];
    const digits = j - i - (c === 45 ? 1 : 0);
    if (digits >= 16 && next !== '.' && next !== 'e' && next !== 'E') {
      out += `${text.slice(last, i)}"${text.slice(i, j)}"`;
      last = j;
    }
    i = j - 1;
  }
  return parseJsonText(last === 0 ? text : out + text.slice(last));
}

const SIXTEEN_DIGITS = /\d{16}/;

/** Seconds a platform is asked to wait before delivering again what could not be stored. */
const NOT_STORED_RETRY_AFTER_S = 5;

/**
 * The one answer for "nothing was stored" (the database is unreachable, restarting or failing over):
 * 503 with Retry-After, so every platform delivers the update again instead of dropping it.
 */
export function notStored(reply: FastifyReply): FastifyReply {
  return reply
    .code(503)
    .header('retry-after', String(NOT_STORED_RETRY_AFTER_S))
    .send({ error: 'not_stored', message: 'The message could not be stored right now; please deliver it again.' });
}

/** The public webhook routes (listed in the README's Routes table), by channel. */
export const WEBHOOK_PATHS = {
  zalo_oa: '/webhooks/zalo-oa',
  zalo_bot: '/webhooks/zalo-bot',
  telegram: '/webhooks/telegram',
} as const;

const CREDENTIALS: Record<keyof typeof WEBHOOK_PATHS, string> = {
  zalo_oa: 'ZALO_OA_APP_ID, ZALO_OA_SECRET_KEY and a token (ZALO_OA_ACCESS_TOKEN or ZALO_OA_REFRESH_TOKEN)',
  zalo_bot: 'ZALO_BOT_TOKEN and ZALO_BOT_WEBHOOK_SECRET',
  telegram: 'TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET',
};

/** For channels that are off, their webhook says so (404 channel_off) instead of "no route". */
export function channelOffWebhooks(off: Array<keyof typeof WEBHOOK_PATHS>): FastifyPluginAsync {
  return async (app) => {
    keepRawBody(app);
    for (const channel of off) {
      app.post(WEBHOOK_PATHS[channel], { schema: { hide: true } }, async (_req, reply) =>
        reply.code(404).send({
          error: 'channel_off',
          message: `The ${channel} channel is off on this hotline: set ${CREDENTIALS[channel]} to turn it on.`,
        }),
      );
    }
  };
}
