// The limit counters (src/limits): shared in Redis, and still counting, per process, while Redis
// cannot be reached — a limit never lets a flood through, nor refuses anyone, because of an outage.
import Redis from 'ioredis';
import { keyedLimiter } from '../../src/limits';
import { rateLimitStore } from '../../src/limits/http';
import { itIf, REQUIRES } from '../helpers/requires';

describe('limit counters', () => {
  // Nothing listens on port 1: every command fails at once, as during a Redis outage.
  let unreachable: Redis;
  beforeAll(() => {
    unreachable = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    unreachable.on('error', () => undefined);
  });
  afterAll(() => unreachable.disconnect());

  it('counts in memory when there is no Redis', async () => {
    const limiter = keyedLimiter({ prefix: 't' }, 'x', { max: 2, windowMs: 60_000 });
    expect(await limiter.take('a')).toEqual({ ok: true });
    expect(await limiter.take('a')).toEqual({ ok: true });
    const third = await limiter.take('a');
    expect(third.ok).toBe(false);
    expect(!third.ok && third.retryAfterMs).toBeGreaterThan(0);
    expect(await limiter.take('b')).toEqual({ ok: true });
  });

  it('falls back to counting in memory while Redis is unreachable', async () => {
    const limiter = keyedLimiter({ prefix: 't', redis: unreachable }, 'y', { max: 2, windowMs: 60_000 });
    expect((await limiter.take('a')).ok).toBe(true);
    expect((await limiter.take('a')).ok).toBe(true);
    expect((await limiter.take('a')).ok).toBe(false);
  });

  it('gives @fastify/rate-limit the same counters (current count and time left)', async () => {
    const Store = rateLimitStore({ prefix: 't', redis: unreachable });
    const store = new Store({});
    const incr = (key: string) =>
      new Promise<{ current: number; ttl: number }>((resolve, reject) =>
        store.incr(key, (err, result) => (err ? reject(err) : resolve(result!)), 60_000, 2),
      );
    expect((await incr('k')).current).toBe(1);
    expect((await incr('k')).current).toBe(2);
    const over = await incr('k');
    expect(over.current).toBe(3);
    expect(over.ttl).toBeGreaterThan(0);
    expect(over.ttl).toBeLessThanOrEqual(60_000);
  });

  itIf(REQUIRES.redis, 'shares the count between processes through Redis', async () => {
    const prefix = `t${Date.now().toString(36)}`;
    const [a, b] = [new Redis(process.env.REDIS_URL!), new Redis(process.env.REDIS_URL!)];
    try {
      // Until a connection is ready, each counts on its own (the fallback above).
      await Promise.all([a.ping(), b.ping()]);
      const nodeA = keyedLimiter({ prefix, redis: a }, 'z', { max: 2, windowMs: 60_000 });
      const nodeB = keyedLimiter({ prefix, redis: b }, 'z', { max: 2, windowMs: 60_000 });
      expect((await nodeA.take('s')).ok).toBe(true);
      expect((await nodeB.take('s')).ok).toBe(true);
      expect((await nodeA.take('s')).ok).toBe(false);
      expect((await nodeB.take('s')).ok).toBe(false);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });
});
