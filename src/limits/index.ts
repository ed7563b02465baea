// Abuse limits, counted in Redis when the hotline has one, so every node shares the count, and in
// memory otherwise (rate-limiter-flexible). A Redis outage falls back to counting in memory on
// each node: limits get looser for a while, and nothing is refused because the counter is
// unreachable. HTTP routes use these counters through @fastify/rate-limit (./http.ts).
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Limit } from '../config';

export type LimitCheck = { ok: true } | { ok: false; retryAfterMs: number };

export interface KeyedLimiter {
  /** Counts one event for `key`; `ok: false` once `key` is over its limit in the current window. */
  take(key: string): Promise<LimitCheck>;
}

export interface LimitStore {
  /** Shared counters; undefined counts in this process only. */
  redis?: Redis;
  /** Keeps this hotline's counters apart from others on the same Redis (QUEUE_PREFIX). */
  prefix: string;
}

/** A counter of at most `limit.max` in `limit.windowMs`, in Redis with this process's memory as its stand-in. */
export function counter(store: LimitStore, name: string, limit: Limit): RateLimiterAbstract {
  const options = { points: limit.max, duration: Math.max(1, Math.ceil(limit.windowMs / 1000)), keyPrefix: `${store.prefix}:limit:${name}` };
  const memory = new RateLimiterMemory(options);
  return store.redis
    ? new RateLimiterRedis({ ...options, storeClient: store.redis, insuranceLimiter: memory, rejectIfRedisNotReady: true })
    : memory;
}

export function keyedLimiter(store: LimitStore, name: string, limit: Limit): KeyedLimiter {
  const limiter = counter(store, name, limit);
  return {
    async take(key) {
      try {
        await limiter.consume(key);
        return { ok: true };
      } catch (err) {
        if (err instanceof RateLimiterRes) return { ok: false, retryAfterMs: Math.max(1, err.msBeforeNext) };
        throw err;
      }
    },
  };
}

/** A 429 in the API's error shape; the server's error handler answers `{error:"rate_limited", message}`. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError';
  readonly statusCode = 429;
  readonly code = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** "30 seconds", "15 minutes": for messages that tell a person how long to wait. */
export function waitText(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 120) return `${s} second${s === 1 ? '' : 's'}`;
  return `${Math.ceil(s / 60)} minutes`;
}
