// The console's sign-in: the bearer token for scripts and the session cookie for a browser, the
// anti-forgery token a cookie needs, logging out, expiry, password changes (and the forced one of
// server-seeded demo accounts), and wrong-password throttling per account and per address.
import { seedDemoStaff } from '../../src/seed/seed';
import { startTestHotline, type TestHotline } from '../helpers/hotline';

type Cookie = { name: string; value: string; path?: string; httpOnly?: boolean; secure?: boolean; sameSite?: string; expires?: Date; maxAge?: number };
type Reply = { status: number; headers: Record<string, unknown>; body: Record<string, unknown>; cookies: Cookie[] };

describe('console sign-in', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline({ runWorkers: false, env: { CONSOLE_SESSION_HOURS: '2', CONSOLE_SESSION_IDLE_MINUTES: '30' } });
  });
  afterAll(async () => {
    await t.stop();
  });
  const db = () => t.hotline.db.prisma;

  async function call(
    method: 'GET' | 'POST',
    url: string,
    opts: { body?: unknown; headers?: Record<string, string>; cookies?: Record<string, string>; remoteAddress?: string } = {},
  ): Promise<Reply> {
    const res = await t.hotline.server.inject({
      method,
      url,
      remoteAddress: opts.remoteAddress,
      headers: { accept: 'application/json', ...opts.headers },
      cookies: opts.cookies,
      ...(opts.body !== undefined ? { payload: opts.body as Record<string, unknown> } : {}),
    });
    return { status: res.statusCode, headers: res.headers, body: res.body ? (res.json() as Record<string, unknown>) : {}, cookies: res.cookies as Cookie[] };
  }

  interface Signed {
    token: string;
    csrfToken: string;
    cookies: Record<string, string>;
    reply: Reply;
  }
  async function login(email: string, password = 'demo1022', remoteAddress?: string): Promise<Signed> {
    const reply = await call('POST', '/api/auth/login', { body: { email, password }, remoteAddress });
    expect(reply.status).toBe(200);
    return {
      token: String(reply.body.token),
      csrfToken: String(reply.body.csrfToken),
      cookies: Object.fromEntries(reply.cookies.map((c) => [c.name, c.value])),
      reply,
    };
  }
  /** The session a token names (its signed body is [purpose, session id, expiry]). */
  const sessionId = (s: Signed) => (JSON.parse(Buffer.from(s.token.split('.')[0]!, 'base64url').toString('utf8')) as [string, string, number])[1];
  const note = (code: string) => `/api/tickets/${code}/notes`;

  it('sets an HttpOnly, SameSite=Strict, Secure session cookie on / that lasts CONSOLE_SESSION_HOURS, and a readable csrf cookie', async () => {
    const before = Date.now();
    const { reply, token, csrfToken } = await login('operator@hotline.local');
    const session = reply.cookies.find((c) => c.name === 'hotline_session')!;
    const csrf = reply.cookies.find((c) => c.name === 'csrf')!;
    expect(session).toMatchObject({ value: token, path: '/', httpOnly: true, secure: true, sameSite: 'Strict' });
    expect(csrf).toMatchObject({ value: csrfToken, path: '/', secure: true, sameSite: 'Strict' });
    expect(csrf.httpOnly).toBeFalsy();
    // The lifetime is the configured one (2 hours here): the body, the cookie and the stored session agree.
    const expiresAt = Date.parse(String(reply.body.expiresAt));
    expect(expiresAt - before).toBeGreaterThanOrEqual(2 * 3600_000 - 1000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(2 * 3600_000);
    expect(session.expires!.getTime()).toBe(Math.floor(expiresAt / 1000) * 1000);
    expect(reply.body.user).toMatchObject({ email: 'operator@hotline.local', mustChangePassword: false });
    expect(JSON.stringify(reply.body)).not.toMatch(/argon2/);
  });

  it('opens the API with the cookie alone for reading; a state-changing request needs the csrf token in X-CSRF-Token', async () => {
    const a = await login('operator@hotline.local');
    const b = await login('operator@hotline.local');
    const me = await call('GET', '/api/me', { cookies: a.cookies });
    expect(me).toMatchObject({ status: 200, body: { email: 'operator@hotline.local', csrfToken: a.csrfToken } });
    expect((await call('GET', '/api/tickets', { cookies: a.cookies })).status).toBe(200);

    const missing = await call('POST', note('HCM-26-ZZZZZ'), { cookies: a.cookies, body: { text: 'x' } });
    expect(missing).toMatchObject({ status: 403, body: { error: 'csrf_missing' } });
    const wrong = await call('POST', note('HCM-26-ZZZZZ'), { cookies: a.cookies, body: { text: 'x' }, headers: { 'x-csrf-token': 'forged' } });
    expect(wrong).toMatchObject({ status: 403, body: { error: 'csrf_invalid' } });
    // Another session's token (even the same person's) does not do.
    const other = await call('POST', note('HCM-26-ZZZZZ'), { cookies: a.cookies, body: { text: 'x' }, headers: { 'x-csrf-token': b.csrfToken } });
    expect(other).toMatchObject({ status: 403, body: { error: 'csrf_invalid' } });
    // The session token itself is no csrf token.
    const swapped = await call('POST', note('HCM-26-ZZZZZ'), { cookies: a.cookies, body: { text: 'x' }, headers: { 'x-csrf-token': a.token } });
    expect(swapped).toMatchObject({ status: 403, body: { error: 'csrf_invalid' } });
    // With the right token the request goes through (to a ticket that does not exist).
    const right = await call('POST', note('HCM-26-ZZZZZ'), { cookies: a.cookies, body: { text: 'x' }, headers: { 'x-csrf-token': a.csrfToken } });
    expect(right).toMatchObject({ status: 404, body: { error: 'ticket_not_found' } });
  });

  it('needs no csrf token with a bearer token (scripts), even when a cookie comes along', async () => {
    const a = await login('operator@hotline.local');
    const bearer = await call('POST', note('HCM-26-ZZZZZ'), { headers: { authorization: `Bearer ${a.token}` }, body: { text: 'x' } });
    expect(bearer).toMatchObject({ status: 404, body: { error: 'ticket_not_found' } });
    const both = await call('POST', note('HCM-26-ZZZZZ'), { headers: { authorization: `Bearer ${a.token}` }, cookies: a.cookies, body: { text: 'x' } });
    expect(both.status).toBe(404);
  });

  it('logs out server-side: the cookie and the token of that session stop working, other sessions do not', async () => {
    const a = await login('so-y-te@hotline.local');
    const b = await login('so-y-te@hotline.local');
    expect((await call('POST', '/api/auth/logout', { cookies: a.cookies })).status).toBe(403); // csrf applies to logging out too
    const out = await call('POST', '/api/auth/logout', { cookies: a.cookies, headers: { 'x-csrf-token': a.csrfToken } });
    expect(out.status).toBe(204);
    // The browser is told to forget both cookies.
    expect(out.cookies.find((c) => c.name === 'hotline_session')).toMatchObject({ value: '', path: '/', httpOnly: true });
    expect(out.cookies.find((c) => c.name === 'csrf')).toMatchObject({ value: '' });
    // A copy of the cookie kept anyway no longer opens anything, nor does the same session's bearer token.
    const replay = await call('GET', '/api/me', { cookies: a.cookies });
    expect(replay).toMatchObject({ status: 401, body: { error: 'unauthorized', message: expect.stringMatching(/logged out/) } });
    expect((await call('GET', '/api/me', { headers: { authorization: `Bearer ${a.token}` } })).status).toBe(401);
    expect((await call('GET', '/api/me', { headers: { authorization: `Bearer ${b.token}` } })).status).toBe(200);
    // A script logs out with its token.
    expect((await call('POST', '/api/auth/logout', { headers: { authorization: `Bearer ${b.token}` } })).status).toBe(204);
    expect((await call('GET', '/api/me', { headers: { authorization: `Bearer ${b.token}` } })).status).toBe(401);
  });

  it('ends a session at its expiry and after CONSOLE_SESSION_IDLE_MINUTES unused', async () => {
    const expired = await login('so-xay-dung@hotline.local');
    const idle = await login('so-xay-dung@hotline.local');
    // The stored sessions' clocks are moved instead of waiting.
    await db().staffSession.update({ where: { id: sessionId(expired) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await db().staffSession.update({ where: { id: sessionId(idle) }, data: { lastSeenAt: new Date(Date.now() - 31 * 60_000) } });
    for (const s of [expired, idle]) {
      const reply = await call('GET', '/api/me', { cookies: s.cookies });
      expect(reply).toMatchObject({ status: 401, body: { message: expect.stringMatching(/expired/) } });
    }
  });

  it('changes a password: clear errors for a wrong current one, a short one or the e-mail; the other sessions end', async () => {
    const email = 'so-tu-phap@hotline.local';
    const a = await login(email);
    const b = await login(email);
    const change = (body: unknown) => call('POST', '/api/auth/password', { headers: { authorization: `Bearer ${a.token}` }, body });
    expect(await change({ current: 'not-it', next: 'a-good-new-passphrase' })).toMatchObject({ status: 400, body: { error: 'wrong_current_password' } });
    expect(await change({ current: 'demo1022', next: 'short' })).toMatchObject({ status: 400, body: { error: 'password_too_short', message: expect.stringMatching(/10/) } });
    expect(await change({ current: 'demo1022', next: email })).toMatchObject({ status: 400, body: { error: 'password_is_email' } });
    expect((await change({ current: 'demo1022' })).status).toBe(400);
    expect(await change({ current: 'demo1022', next: 'cầu Sài Gòn 1022' })).toMatchObject({ status: 200, body: { ok: true } });
    // This session goes on; the other one (perhaps someone who knew the old password) is over.
    expect((await call('GET', '/api/me', { headers: { authorization: `Bearer ${a.token}` } })).status).toBe(200);
    expect((await call('GET', '/api/me', { headers: { authorization: `Bearer ${b.token}` } })).status).toBe(401);
    expect((await call('POST', '/api/auth/login', { body: { email, password: 'demo1022' } })).status).toBe(401);
    await login(email, 'cầu Sài Gòn 1022');
  });

  it('lets an account that must change its password (a demo account seeded into a server database) do nothing else first', async () => {
    const email = 'so-noi-vu@hotline.local';
    await db().staffUser.update({ where: { email }, data: { mustChangePassword: true } });
    const s = await login(email);
    expect(s.reply.body.user).toMatchObject({ mustChangePassword: true });
    const bearer = { authorization: `Bearer ${s.token}` };
    const blocked = await call('GET', '/api/tickets', { headers: bearer });
    expect(blocked).toMatchObject({ status: 403, body: { error: 'password_change_required', message: expect.stringMatching(/POST \/api\/auth\/password/) } });
    expect((await call('GET', '/api/agencies', { headers: bearer })).status).toBe(403);
    expect((await call('GET', '/api/me', { headers: bearer })).body).toMatchObject({ mustChangePassword: true });
    expect((await call('POST', '/api/auth/password', { headers: bearer, body: { current: 'demo1022', next: 'Bến Nhà Rồng 2026' } })).status).toBe(200);
    expect((await call('GET', '/api/tickets', { headers: bearer })).status).toBe(200);
    expect((await call('GET', '/api/me', { headers: bearer })).body).toMatchObject({ mustChangePassword: false });
    // Seeding into a server database (DEMO_PASSWORD_CHANGE, on with DATABASE_URL) sets the flag on the accounts it creates.
    await db().staffUser.delete({ where: { email: 'so-van-hoa-the-thao@hotline.local' } });
    await seedDemoStaff(db(), { mustChangePassword: true });
    const seeded = await db().staffUser.findMany({ where: { email: { in: ['so-van-hoa-the-thao@hotline.local', 'admin@hotline.local'] } } });
    expect(Object.fromEntries(seeded.map((u) => [u.email, u.mustChangePassword]))).toEqual({
      'so-van-hoa-the-thao@hotline.local': true,
      'admin@hotline.local': false, // existed already: left as it was
    });
    // Logging out is allowed while the change is pending too.
    await db().staffUser.update({ where: { email }, data: { mustChangePassword: true } });
    expect((await call('POST', '/api/auth/logout', { headers: bearer })).status).toBe(204);
  });

  it('refuses an account after 5 wrong passwords (from the 6th, the right one too) with 429 and Retry-After, until its count is reset', async () => {
    const email = 'so-tai-chinh@hotline.local';
    const statuses: number[] = [];
    let last: Reply | undefined;
    for (let i = 0; i < 15; i++) {
      last = await call('POST', '/api/auth/login', { body: { email, password: `guess-${i}` }, remoteAddress: `10.20.0.${i + 1}` });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array<number>(5).fill(401), ...Array<number>(10).fill(429)]);
    expect(last!.body).toEqual({ error: 'rate_limited', message: expect.stringMatching(/this account; try again in \d+ (seconds?|minutes)/) });
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    const right = await call('POST', '/api/auth/login', { body: { email, password: 'demo1022' }, remoteAddress: '10.20.1.1' });
    expect(right.status).toBe(429);
    // What the window passing does (LIMIT_LOGIN_WINDOW_SECONDS), without waiting for it.
    await t.hotline.loginThrottle.reset(email);
    await login(email, 'demo1022', '10.20.1.1');
  });

  it('counts a burst of parallel guesses before any password is checked', async () => {
    const email = 'so-nong-nghiep-moi-truong@hotline.local';
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) => call('POST', '/api/auth/login', { body: { email, password: `burst-${i}` }, remoteAddress: `10.23.0.${i + 1}` })),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array<number>(5).fill(401), ...Array<number>(7).fill(429)]);
  });

  it('starts an account’s count again after a successful login', async () => {
    const email = 'so-cong-thuong@hotline.local';
    const wrong = () => call('POST', '/api/auth/login', { body: { email, password: 'nope' }, remoteAddress: '10.21.0.1' });
    for (let i = 0; i < 4; i++) expect((await wrong()).status).toBe(401);
    await login(email, 'demo1022', '10.21.0.1');
    for (let i = 0; i < 4; i++) expect((await wrong()).status).toBe(401);
  });

  it('refuses an address after 20 wrong passwords on any accounts; other addresses are not affected', async () => {
    for (let i = 0; i < 20; i++) {
      const reply = await call('POST', '/api/auth/login', { body: { email: `nobody-${i % 5}@hotline.local`, password: 'x' }, remoteAddress: '10.22.0.1' });
      expect(reply.status).toBe(401);
    }
    const next = await call('POST', '/api/auth/login', { body: { email: 'so-giao-duc@hotline.local', password: 'demo1022' }, remoteAddress: '10.22.0.1' });
    expect(next).toMatchObject({ status: 429, body: { message: expect.stringMatching(/your address/) } });
    await login('so-giao-duc@hotline.local', 'demo1022', '10.22.0.2');
  });
});
