// Signing in and out of the console, who is signed in, and changing one's password.
import type { FastifyPluginAsync } from 'fastify';
import { clientAddress } from '../../limits/http';
import { RateLimitedError, waitText } from '../../limits';
import {
  clearSessionCookies,
  hashPassword,
  PASSWORD_MIN_LENGTH,
  passwordChecker,
  passwordMatches,
  passwordProblem,
  setSessionCookies,
} from '../auth';
import type { ConsoleApiOptions } from '../options';
import { errorSchema, sessionSchema, userSchema } from '../schemas';

function refuse(scope: 'account' | 'address', retryAfterSeconds: number, reply: { header(k: string, v: number): unknown }): never {
  reply.header('retry-after', retryAfterSeconds);
  const wait = waitText(retryAfterSeconds);
  throw new RateLimitedError(
    scope === 'account'
      ? `Too many login attempts for this account; try again in ${wait}, or ask an administrator.`
      : `Too many login attempts from your address; try again in ${wait}.`,
    retryAfterSeconds,
  );
}

/** POST /auth/login: the one console route that needs no session. */
export const loginRoutes: FastifyPluginAsync<ConsoleApiOptions> = async (app, opts) => {
  const { db } = opts;
  const passwords = passwordChecker(db);
  app.post<{ Body: { email: string; password: string } }>(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Log in with e-mail and password: returns a bearer token (scripts) and sets the session cookie and the csrf cookie (browsers); wrong passwords are limited per account and per address',
        body: {
          type: 'object',
          required: ['email', 'password'],
          additionalProperties: false,
          properties: { email: { type: 'string', minLength: 3, maxLength: 254 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
        },
        response: { 200: sessionSchema, 401: errorSchema, 429: errorSchema },
      },
    },
    async (req, reply) => {
      const address = clientAddress(req);
      // Before the password hash is checked: a flood must not cost argon2 time (it slowed every other page).
      const refusal = await opts.loginThrottle.attempt(req.body.email, address);
      if (refusal) {
        req.log.info({ limit: `login-${refusal.scope}` }, 'rate limited');
        return refuse(refusal.scope, refusal.retryAfterSeconds, reply);
      }
      const user = await passwords.check(req.body.email, req.body.password);
      if (!user) return reply.code(401).send({ error: 'invalid_credentials', message: 'Wrong e-mail or password.' });
      await opts.loginThrottle.succeeded(req.body.email, address);
      await db.staffUser.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
      const started = await opts.sessions.start(user);
      setSessionCookies(reply, started, opts.secureCookies);
      return { token: started.token, expiresAt: started.session.expiresAt.toISOString(), csrfToken: started.csrfToken, user };
    },
  );
};

/** The signed-in staff member's own session and password (behind the console guard). */
export const authRoutes: FastifyPluginAsync<ConsoleApiOptions> = async (app, opts) => {
  const { db } = opts;
  app.get(
    '/me',
    {
      config: { beforePasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'Who is logged in, and the csrf token of this session',
        response: { 200: { ...userSchema, properties: { ...userSchema.properties, csrfToken: { type: 'string' } } } },
      },
    },
    async (req) => ({ ...req.staff!, csrfToken: opts.sessions.csrfFor(req.staffSession!.session) }),
  );

  app.post(
    '/auth/logout',
    { config: { beforePasswordChange: true }, schema: { tags: ['auth'], summary: 'End this session: its token and cookie stop working', response: { 204: { type: 'null' } } } },
    async (req, reply) => {
      await opts.sessions.end(req.staffSession!.session.id);
      clearSessionCookies(reply, opts.secureCookies);
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { current: string; next: string } }>(
    '/auth/password',
    {
      config: { beforePasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: `Change your password (at least ${PASSWORD_MIN_LENGTH} characters, not your e-mail); your other sessions end`,
        body: {
          type: 'object',
          required: ['current', 'next'],
          additionalProperties: false,
          properties: { current: { type: 'string', minLength: 1, maxLength: 1024 }, next: { type: 'string', minLength: 1, maxLength: 1024 } },
        },
        response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } }, 400: errorSchema, 429: errorSchema },
      },
    },
    async (req, reply) => {
      const staff = req.staff!;
      const address = clientAddress(req);
      // A wrong current password counts like a wrong login: a stolen session must not guess it.
      const refusal = await opts.loginThrottle.attempt(staff.email, address);
      if (refusal) return refuse(refusal.scope, refusal.retryAfterSeconds, reply);
      if (!(await passwordMatches(staff, req.body.current))) {
        return reply.code(400).send({ error: 'wrong_current_password', message: 'The current password is wrong.' });
      }
      await opts.loginThrottle.succeeded(staff.email, address);
      const problem = passwordProblem(staff, req.body.current, req.body.next);
      if (problem) return reply.code(400).send(problem);
      await db.staffUser.update({
        where: { id: staff.id },
        data: { passwordHash: await hashPassword(req.body.next), mustChangePassword: false, passwordChangedAt: new Date() },
      });
      await opts.sessions.endOthers(staff.id, req.staffSession!.session.id);
      return { ok: true };
    },
  );
};
