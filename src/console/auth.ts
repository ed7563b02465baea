// Staff login (argon2 password hashes) and the bearer-token guard of the console API.
import { hash, verify } from '@node-rs/argon2';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TokenSigner } from '../auth/tokens';
import type { Db } from '../db/database';
import type { StaffUser } from '../generated/prisma/client';

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

export function staffGuard(db: Db, signer: TokenSigner) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const check = token ? signer.verify(token, 'staff') : null;
    if (!check?.ok) {
      const expired = check && !check.ok && check.reason === 'expired';
      return reply.code(401).send({
        error: 'unauthorized',
        message: expired ? 'Your session has expired: log in again.' : 'Log in first: POST /api/auth/login, then send Authorization: Bearer <token>.',
      });
    }
    const user = await db.staffUser.findUnique({ where: { id: check.claims.subject } });
    if (!user || !user.active) {
      return reply.code(401).send({ error: 'unauthorized', message: 'This account is disabled.' });
    }
    req.staff = user;
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffUser;
  }
}
