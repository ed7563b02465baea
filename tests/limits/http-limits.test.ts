// Abuse limits on the HTTP routes (issue 8, item 8): login per account and per address, new web
// chat sessions per address (carrier-grade-NAT friendly by default), tracking lookups per address,
// and X-Forwarded-For believed only from configured proxies. Addresses are set per request with
// inject's remoteAddress, so each case has its own counters.
import Redis from 'ioredis';
import { startTestHotline, type TestHotline } from '../helpers/hotline';
import { itIf, REQUIRES } from '../helpers/requires';

type Reply = { status: number; headers: Record<string, unknown>; body: Record<string, unknown> };

describe('HTTP rate limits', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline({
      runWorkers: false,
      // Sessions keep their defaults: the test checks that a busy address gets at least 60 a minute.
      env: { LIMIT_LOGIN_PER_ACCOUNT: '3', LIMIT_LOGIN_PER_IP: '6', LIMIT_TRACKING_PER_IP: '5' },
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  async function call(method: 'GET' | 'POST', url: string, remoteAddress: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await t.hotline.server.inject({
      method,
      url,
      remoteAddress,
      headers: { accept: 'application/json', ...headers },
      ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}),
    });
    return { status: res.statusCode, headers: res.headers, body: res.json() };
  }
  const login = (ip: string, email: string, password: string) => call('POST', '/api/auth/login', ip, { email, password });

  function expectLimited(reply: Reply): void {
    expect(reply.status).toBe(429);
    expect(reply.body).toEqual({ error: 'rate_limited', message: expect.stringMatching(/try again in \d+ (seconds?|minutes)/) });
    expect(Number(reply.headers['retry-after'])).toBeGreaterThan(0);
  }

  it('stops password guessing on one account, even with the right password and from another address', async () => {
    for (let i = 0; i < 3; i++) expect((await login(`10.1.0.${i + 1}`, 'operator@hotline.local', `wrong-${i}`)).status).toBe(401);
    const right = await login('10.1.0.9', 'Operator@Hotline.local ', 'demo1022');
    expectLimited(right);
    expect(right.body.message).toMatch(/this account/);
    // Other accounts are not affected.
    expect((await login('10.1.0.9', 'so-y-te@hotline.local', 'demo1022')).status).toBe(200);
  });

  it('stops one address trying many accounts', async () => {
    const accounts = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `nobody-${x}@hotline.local`);
    for (const email of accounts) expect((await login('10.2.0.1', email, 'guess')).status).toBe(401);
    const next = await login('10.2.0.1', 'so-giao-duc@hotline.local', 'demo1022');
    expectLimited(next);
    expect(next.body.message).toMatch(/your address/);
    expect((await login('10.2.0.2', 'so-giao-duc@hotline.local', 'demo1022')).status).toBe(200);
  });

  it('lets a busy address (a whole ward behind a carrier NAT) start 120 chats a minute and stops a burst beyond that', async () => {
    const before = await t.hotline.db.prisma.contact.count({ where: { channel: 'webchat' } });
    const statuses: number[] = [];
    for (let i = 0; i < 130; i++) statuses.push((await call('POST', '/webchat/sessions', '10.3.0.1', {})).status);
    expect(statuses.slice(0, 120).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(120).every((s) => s === 429)).toBe(true);
    expectLimited(await call('POST', '/webchat/sessions', '10.3.0.1', {}));
    // A refused session writes nothing.
    expect(await t.hotline.db.prisma.contact.count({ where: { channel: 'webchat' } })).toBe(before + 120);
    expect((await call('POST', '/webchat/sessions', '10.3.0.2', {})).status).toBe(200);
  });

  it('limits tracking-code lookups per address', async () => {
    for (let i = 0; i < 5; i++) expect((await call('GET', `/t/HCM-26-AAAA${i}`, '10.4.0.1')).status).toBe(404);
    const guess = await call('GET', '/t/HCM-26-AAAA9', '10.4.0.1');
    expectLimited(guess);
    expect(guess.body.message).toMatch(/tracking lookups/);
    expect((await call('GET', '/t/HCM-26-AAAA9', '10.4.0.2')).status).toBe(404);
  });

  itIf(REQUIRES.redis, 'counts in Redis when REDIS_URL is set, so every node shares the counts', async () => {
    const redis = new Redis(process.env.REDIS_URL!);
    try {
      const keys = await redis.keys(`${t.env.QUEUE_PREFIX}:limit:*`);
      expect(keys.some((k) => k.includes('limit:login:account:operator@hotline.local'))).toBe(true);
      expect(keys.some((k) => k.includes('webchat-sessions-ip:10.3.0.1'))).toBe(true);
    } finally {
      redis.disconnect();
    }
  });

  it('ignores X-Forwarded-For when no proxy is configured: a forged header does not pick the address', async () => {
    for (let i = 0; i < 5; i++) {
      const reply = await call('GET', '/t/HCM-26-BBBB1', '10.5.0.1', undefined, { 'x-forwarded-for': `203.0.113.${i}` });
      expect(reply.status).toBe(404);
    }
    expectLimited(await call('GET', '/t/HCM-26-BBBB1', '10.5.0.1', undefined, { 'x-forwarded-for': '203.0.113.77' }));
  });
});

describe('HTTP rate limits behind a configured proxy (TRUST_PROXY)', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline({ runWorkers: false, env: { TRUST_PROXY: '10.6.0.1', LIMIT_TRACKING_PER_IP: '2' } });
  });
  afterAll(async () => {
    await t.stop();
  });
  const lookup = (remoteAddress: string, forwardedFor: string) =>
    t.hotline.server.inject({ method: 'GET', url: '/t/HCM-26-CCCC1', remoteAddress, headers: { accept: 'application/json', 'x-forwarded-for': forwardedFor } });

  it('counts the client named by the trusted proxy, and only that proxy', async () => {
    // Through the proxy: each client has its own count.
    for (const client of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      expect((await lookup('10.6.0.1', client)).statusCode).toBe(404);
      expect((await lookup('10.6.0.1', client)).statusCode).toBe(404);
    }
    expect((await lookup('10.6.0.1', '198.51.100.1')).statusCode).toBe(429);
    // Not the proxy: its header is not believed, so changing it does not help.
    expect((await lookup('10.6.0.2', '198.51.100.50')).statusCode).toBe(404);
    expect((await lookup('10.6.0.2', '198.51.100.51')).statusCode).toBe(404);
    const forged = await lookup('10.6.0.2', '198.51.100.52');
    expect(forged.statusCode).toBe(429);
    expect(Number(forged.headers['retry-after'])).toBeGreaterThan(0);
  });
});
