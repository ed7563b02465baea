// Signed, expiring tokens (HMAC-SHA256) for web chat sessions and staff logins. Stateless, so
// any node verifies them; the purpose is signed in, so a chat token never opens the console.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/database';

/** staff: a console session (its id); csrf: the anti-forgery token of a console session (its id). */
export type TokenPurpose = 'webchat' | 'staff' | 'csrf';

export interface TokenClaims {
  purpose: TokenPurpose;
  subject: string;
  expiresAt: number;
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'wrong_purpose' };

export class TokenSigner {
  constructor(private readonly secret: Buffer) {}

  sign(purpose: TokenPurpose, subject: string, ttlMs: number, now = Date.now()): { token: string; expiresAt: Date } {
    const claims: TokenClaims = { purpose, subject, expiresAt: now + ttlMs };
    const body = Buffer.from(JSON.stringify([claims.purpose, claims.subject, claims.expiresAt])).toString('base64url');
    return { token: `${body}.${this.mac(body)}`, expiresAt: new Date(claims.expiresAt) };
  }

  verify(token: string, purpose: TokenPurpose, now = Date.now()): TokenCheck {
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined) return { ok: false, reason: 'malformed' };
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (!Array.isArray(parsed) || parsed.length !== 3) return { ok: false, reason: 'malformed' };
    const [p, subject, expiresAt] = parsed as [unknown, unknown, unknown];
    if (typeof subject !== 'string' || typeof expiresAt !== 'number') return { ok: false, reason: 'malformed' };
    if (p !== purpose) return { ok: false, reason: 'wrong_purpose' };
    if (expiresAt <= now) return { ok: false, reason: 'expired' };
    return { ok: true, claims: { purpose, subject, expiresAt } };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

const SECRET_KEY = 'session_secret';

/** SESSION_SECRET when configured; otherwise one generated once and kept in the database, shared by all nodes. */
export async function loadSessionSecret(db: Db, configured?: string): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'utf8');
  await db.appSetting.createMany({
    data: [{ key: SECRET_KEY, value: randomBytes(32).toString('base64url') }],
    skipDuplicates: true,
  });
  const row = await db.appSetting.findUniqueOrThrow({ where: { key: SECRET_KEY } });
  return Buffer.from(row.value, 'base64url');
}
