// Console sign-ins, kept server-side (staff_session): a login starts a session, and its bearer
// token and the browser's session cookie both carry the session's id, signed. Logging out, the
// lifetime (CONSOLE_SESSION_HOURS), going unused (CONSOLE_SESSION_IDLE_MINUTES) or a password
// change ends it, so a token or cookie from before no longer opens anything.
import type { TokenSigner } from '../auth/tokens';
import type { Db } from '../db/database';
import type { StaffSession, StaffUser } from '../generated/prisma/client';

export interface SessionTimes {
  ttlMs: number;
  idleMs: number;
}

export interface StartedSession {
  session: StaffSession;
  token: string;
  csrfToken: string;
}

export type SessionCheck =
  | { ok: true; session: StaffSession; user: StaffUser }
  | { ok: false; reason: 'invalid' | 'expired' | 'ended' | 'disabled' };

/** The last-seen time is written at most this often (a tenth of the idle time): not a database write on every request. */
const TOUCH_EVERY_MS = 60_000;
const KEEP_ENDED_MS = 30 * 24 * 3600_000;

export class ConsoleSessions {
  constructor(
    private readonly db: Db,
    private readonly signer: TokenSigner,
    readonly times: SessionTimes,
  ) {}

  async start(user: Pick<StaffUser, 'id'>, now = new Date()): Promise<StartedSession> {
    // Sessions stay a month past their end (who was signed in when), then go: the table does not grow forever.
    await this.db.staffSession.deleteMany({ where: { staffUserId: user.id, expiresAt: { lt: new Date(now.getTime() - KEEP_ENDED_MS) } } });
    const session = await this.db.staffSession.create({
      data: { staffUserId: user.id, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + this.times.ttlMs) },
    });
    return { session, token: this.tokenFor(session, now), csrfToken: this.csrfFor(session, now) };
  }

  /** The session a token names, if it is still on; refreshes its last-seen time. */
  async check(token: string, now = new Date()): Promise<SessionCheck> {
    const verified = this.signer.verify(token, 'staff', now.getTime());
    if (!verified.ok) return { ok: false, reason: verified.reason === 'expired' ? 'expired' : 'invalid' };
    const found = await this.db.staffSession.findUnique({ where: { id: verified.claims.subject }, include: { staffUser: true } });
    if (!found) return { ok: false, reason: 'invalid' };
    const { staffUser: user, ...session } = found;
    if (session.endedAt) return { ok: false, reason: 'ended' };
    if (session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > this.times.idleMs) {
      return { ok: false, reason: 'expired' };
    }
    if (!user.active) return { ok: false, reason: 'disabled' };
    if (now.getTime() - session.lastSeenAt.getTime() > Math.min(TOUCH_EVERY_MS, this.times.idleMs / 10)) {
      await this.db.staffSession.update({ where: { id: session.id }, data: { lastSeenAt: now } });
    }
    return { ok: true, session, user };
  }

  /** The anti-forgery token a browser sends back in X-CSRF-Token: bound to this session, so it dies with it. */
  csrfFor(session: Pick<StaffSession, 'id' | 'expiresAt'>, now = new Date()): string {
    return this.signer.sign('csrf', session.id, session.expiresAt.getTime() - now.getTime(), now.getTime()).token;
  }

  csrfMatches(session: Pick<StaffSession, 'id'>, given: string): boolean {
    const check = this.signer.verify(given, 'csrf');
    return check.ok && check.claims.subject === session.id;
  }

  async end(sessionId: string, now = new Date()): Promise<void> {
    await this.db.staffSession.updateMany({ where: { id: sessionId, endedAt: null }, data: { endedAt: now } });
  }

  /** Ends every session of a user but `keep` (after a password change). */
  async endOthers(userId: string, keep: string, now = new Date()): Promise<void> {
    await this.db.staffSession.updateMany({ where: { staffUserId: userId, endedAt: null, id: { not: keep } }, data: { endedAt: now } });
  }

  private tokenFor(session: StaffSession, now: Date): string {
    return this.signer.sign('staff', session.id, session.expiresAt.getTime() - now.getTime(), now.getTime()).token;
  }
}
