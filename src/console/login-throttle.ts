// Password guessing on the console's login: attempts are counted per account (the strict one) and
// per client address, in the shared limit counters (Redis when REDIS_URL is set). An attempt is
// counted before its password is checked, so a burst of parallel guesses cannot slip past the
// count while argon2 runs; over either limit a login is refused — the right password too, and
// without spending argon2 time — until the window passes. A successful login takes its attempt
// back and clears its account's count: only wrong passwords add up.
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Limit } from '../config';
import { counter, type LimitStore } from '../limits';

export interface LoginRefusal {
  /** Which count is full: the e-mail's, or the client address's. */
  scope: 'account' | 'address';
  retryAfterSeconds: number;
}

export interface LoginThrottle {
  /** Counts an attempt for this e-mail from this address; why it must be refused, or null when its password may be checked. */
  attempt(email: string, address: string): Promise<LoginRefusal | null>;
  /** The password was right: the attempt does not count, and the account's count starts again. */
  succeeded(email: string, address: string): Promise<void>;
  /** Forgets the account's count (what the window passing does). */
  reset(email: string): Promise<void>;
}

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;

/** Seconds to wait when the counter is over its limit; null when the attempt may go on. */
async function take(limiter: RateLimiterAbstract, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (err) {
    if (err instanceof RateLimiterRes) return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
    throw err;
  }
}

export function loginThrottle(store: LimitStore, limits: { perAccount: Limit; perAddress: Limit }): LoginThrottle {
  const perAccount = counter(store, 'login', limits.perAccount);
  const perAddress = counter(store, 'login', limits.perAddress);
  return {
    async attempt(email, address) {
      const account = await take(perAccount, accountKey(email));
      if (account !== null) return { scope: 'account', retryAfterSeconds: account };
      const byAddress = await take(perAddress, addressKey(address));
      if (byAddress === null) return null;
      // Refused for the address: this account was not tried.
      await perAccount.reward(accountKey(email), 1);
      return { scope: 'address', retryAfterSeconds: byAddress };
    },
    async succeeded(email, address) {
      await Promise.all([perAccount.delete(accountKey(email)), perAddress.reward(addressKey(address), 1)]);
    },
    async reset(email) {
      await perAccount.delete(accountKey(email));
    },
  };
}
