// Per-route HTTP limits on @fastify/rate-limit (registered by src/server.ts with rateLimitStore:
// the counters of ./index.ts, so Redis when REDIS_URL is set and memory while it is unreachable). A route may have several; each is a
// hook of its own with its own key space, and the first one exceeded answers 429 with Retry-After.
import { normalizeIP, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Limit } from '../config';
import { counter, RateLimitedError, waitText, type LimitStore } from './index';

export interface RouteLimit {
  /** Names the key space ("tracking-ip"); two limits never share counters. */
  name: string;
  limit: Limit;
  /** What is counted; null skips the limit for this request. Defaults to the client's address. */
  key?: (req: FastifyRequest) => string | null;
  /** What the person is told, given how long to wait ("15 minutes"). */
  message: (wait: string) => string;
}

/** The client's address as the limits see it: IPv6 by /64, since one subscriber gets a whole /64. */
export const clientAddress = (req: FastifyRequest) => normalizeIP(req.ip);

export function routeLimit(app: FastifyInstance, spec: RouteLimit) {
  const keyOf = spec.key ?? clientAddress;
  const check = app.createRateLimit({
    max: spec.limit.max,
    timeWindow: spec.limit.windowMs,
    keyGenerator: (req) => `${spec.name}:${keyOf(req) ?? ''}`,
  });
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (keyOf(req) === null) return;
    const result = await check(req);
    if (result.isAllowed || !result.isExceeded) return;
    reply.header('retry-after', Math.max(1, result.ttlInSeconds));
    req.log.info({ limit: spec.name }, 'rate limited');
    throw new RateLimitedError(spec.message(waitText(result.ttlInSeconds)), result.ttlInSeconds);
  };
}

type IncrCallback = (err: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * The store @fastify/rate-limit counts in (its `store` option takes a class): our counters, one
 * per window and maximum. Keys carry the limit's name (routeLimit), so limits never share a count.
 */
export function rateLimitStore(store: LimitStore): FastifyRateLimitStoreCtor {
  const counters = new Map<string, RateLimiterAbstract>();
  return class FlexibleStore {
    incr(key: string, cb: IncrCallback, timeWindow: number, max: number): void {
      const id = `${timeWindow}:${max}`;
      let limiter = counters.get(id);
      if (!limiter) counters.set(id, (limiter = counter(store, 'http', { max, windowMs: timeWindow })));
      limiter.consume(key).then(
        (res) => cb(null, { current: res.consumedPoints, ttl: res.msBeforeNext }),
        (err: unknown) =>
          err instanceof RateLimiterRes ? cb(null, { current: err.consumedPoints, ttl: err.msBeforeNext }) : cb(err as Error),
      );
    }

    child(): FlexibleStore {
      return this;
    }
  };
}
