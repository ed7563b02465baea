// Password guessing on the console's login: wrong passwords are counted per account (the strict
// one) and per client address, in the shared limit counters (Redis when REDIS_URL is set). Over
// either limit, a login is refused before its password is checked — the right password too, and
// without spending argon2 time — until the window passes. A successful login clears its account's count.
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Limit } from '../config';
import { counter, type LimitStore } from '../limits';

export interface LoginRefusal {
  /** Which count is full: the e-mail's, or the client address's. */
  scope: 'account' | 'address';
  retryAfterSeconds: number;
}

export interface LoginThrottle {
  /** Why a login for this e-mail from this address must be refused now; null when it may be tried. */
  refusal(email: string, address: string): Promise<LoginRefusal | null>;
  /** Counts a wrong password (or unknown e-mail). */
  failed(email: string, address: string): Promise<void>;
  /** The right password: the account's count starts again. */
  succeeded(email: string): Promise<void>;
  /** Forgets the account's count (what the window passing does). */
  reset(email: string): Promise<void>;
}

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;

export function loginThrottle(store: LimitStore, limits: { perAccount: Limit; perAddress: Limit }): LoginThrottle {
  const perAccount = counter(store, 'login', limits.perAccount);
  const perAddress = counter(store, 'login', limits.perAddress);
  const full = async (limiter: typeof perAccount, key: string, max: number): Promise<number | null> => {
    const res = await limiter.get(key);
    return res && res.consumedPoints >= max ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : null;
  };
  // A counter that is over its limit rejects with its state; counting a failure must not fail the login.
  const count = (limiter: typeof perAccount, key: string) =>
    limiter.consume(key).then(
      () => undefined,
      (err: unknown) => {
        if (!(err instanceof RateLimiterRes)) throw err;
      },
    );
  return {
    async refusal(email, address) {
      const account = await full(perAccount, accountKey(email), limits.perAccount.max);
      if (account !== null) return { scope: 'account', retryAfterSeconds: account };
      const byAddress = await full(perAddress, addressKey(address), limits.perAddress.max);
      return byAddress !== null ? { scope: 'address', retryAfterSeconds: byAddress } : null;
    },
    async failed(email, address) {
      await Promise.all([count(perAccount, accountKey(email)), count(perAddress, addressKey(address))]);
    },
    async succeeded(email) {
      await perAccount.delete(accountKey(email));
    },
    async reset(email) {
      await perAccount.delete(accountKey(email));
    },
  };
}
