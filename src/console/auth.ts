// Staff login (argon2 password hashes), the console's session cookies, and the guard of the
// console API: a bearer token (scripts) or the session cookie (a browser), the anti-forgery check
// a cookie needs on every state-changing request, and the forced password change.
import { hash, verify } from '@node-rs/argon2';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database';
import type { StaffSession, StaffUser } from '../generated/prisma/client';
import type { ConsoleSessions, StartedSession } from './sessions';

/** HttpOnly: scripts on the page never see it. */
export const SESSION_COOKIE = 'hotline_session';
/** Readable by the console's own script, which echoes it in X-CSRF-Token (a forged cross-site request cannot read it). */
export const CSRF_COOKIE = 'csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const PASSWORD_MIN_LENGTH = 10;

export interface PasswordChecker {
  check(email: string, password: string): Promise<StaffUser | null>;
}

export function passwordChecker(db: Db): PasswordChecker {
  // Verified against when the e-mail is unknown, so a login takes as long either way.
  let dummyHash: Promise<string> | null = null;
  return {
    async check(email, password) {
      const user = await db.staffUser.findUnique({ where: { email: email.trim().toLowerCase() } });
      dummyHash ??= hash('not-a-password');
      const ok = await verify(user?.passwordHash ?? (await dummyHash), password).catch(() => false);
      return user && user.active && ok ? user : null;
    },
  };
}

export const passwordMatches = (user: Pick<StaffUser, 'passwordHash'>, password: string) =>
  verify(user.passwordHash, password).catch(() => false);

export const hashPassword = (password: string) => hash(password);

/** Why a new password is refused (400 with this error code), or null when it will do. */
export function passwordProblem(user: Pick<StaffUser, 'email'>, current: string, next: string): { error: string; message: string } | null {
  if (next.length < PASSWORD_MIN_LENGTH) {
    return { error: 'password_too_short', message: `The new password needs at least ${PASSWORD_MIN_LENGTH} characters.` };
  }
  if (next.trim().toLowerCase() === user.email.toLowerCase()) {
    return { error: 'password_is_email', message: 'The new password must not be your e-mail address.' };
  }
  if (next === current) return { error: 'password_unchanged', message: 'The new password must differ from the current one.' };
  return null;
}

export function setSessionCookies(reply: FastifyReply, started: StartedSession, secure: boolean): void {
  const base = { path: '/', sameSite: 'strict' as const, secure, expires: started.session.expiresAt };
  reply.setCookie(SESSION_COOKIE, started.token, { ...base, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, started.csrfToken, { ...base, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply, secure: boolean): void {
  const base = { path: '/', sameSite: 'strict' as const, secure };
  reply.clearCookie(SESSION_COOKIE, { ...base, httpOnly: true });
  reply.clearCookie(CSRF_COOKIE, base);
}

const UNAUTHORIZED: Record<'none' | 'invalid' | 'expired' | 'ended' | 'disabled', string> = {
  none: 'Log in first: POST /api/auth/login, then send Authorization: Bearer <token> (or the session cookie it sets).',
  invalid: 'Log in first: POST /api/auth/login, then send Authorization: Bearer <token> (or the session cookie it sets).',
  expired: 'Your session has expired: log in again.',
  ended: 'You have logged out of this session: log in again.',
  disabled: 'This account is disabled.',
};

export function staffGuard(sessions: ConsoleSessions) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const header = req.headers.authorization ?? '';
    const bearer = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    // A bearer token wins: a script sending one is not a browser riding on a cookie.
    const cookie = bearer ? '' : (req.cookies[SESSION_COOKIE] ?? '');
    if (!bearer && !cookie) return reply.code(401).send({ error: 'unauthorized', message: UNAUTHORIZED.none });
    const check = await sessions.check(bearer || cookie);
    if (!check.ok) return reply.code(401).send({ error: 'unauthorized', message: UNAUTHORIZED[check.reason] });
    // Another site can make the browser send the cookie, but cannot read the csrf token to echo it.
    if (cookie && !SAFE_METHODS.has(req.method)) {
      const given = req.headers[CSRF_HEADER];
      if (typeof given !== 'string' || given === '') {
        return reply.code(403).send({ error: 'csrf_missing', message: `Send the csrf token (the csrf cookie, or csrfToken from login or GET /api/me) in ${CSRF_HEADER}.` });
      }
      if (!sessions.csrfMatches(check.session, given)) {
        return reply.code(403).send({ error: 'csrf_invalid', message: `The ${CSRF_HEADER} header does not belong to this session; reload the console.` });
      }
    }
    if (check.user.mustChangePassword && !req.routeOptions.config.beforePasswordChange) {
      return reply.code(403).send({
        error: 'password_change_required',
        message: 'Choose a new password first: POST /api/auth/password {current, next}.',
      });
    }
    req.staff = check.user;
    req.staffSession = { session: check.session, viaCookie: cookie !== '' };
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffUser;
    staffSession?: { session: StaffSession; viaCookie: boolean };
  }
  interface FastifyContextConfig {
    /** Answers while the account must still change its password (/me, /auth/password, /auth/logout). */
    beforePasswordChange?: boolean;
  }
}
