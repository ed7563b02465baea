import { ConfigError, loadConfig } from '../../src/config';

describe('configuration', () => {
  it('runs on embedded defaults with nothing set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      redisUrl: undefined,
      maxMessageChars: 4000,
      trackingPrefix: 'HCM',
      seedDemo: true,
      channels: { telegram: undefined, zaloBot: undefined, zaloOa: undefined },
    });
    expect(c.dataDir).toMatch(/data$/);
  });

  it('turns a channel on only when its credentials are all set', () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '1:abc' }).channels.telegram).toBeUndefined();
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_WEBHOOK_SECRET: 's' }).channels.telegram).toEqual({
      token: '1:abc',
      webhookSecret: 's',
      apiBase: 'https://api.telegram.org',
      chatIntervalMs: 1000,
      sendsPerSecond: 30,
    });
    // Pacing is per process: a worker of several takes its share; 0 only against a local fake.
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_WEBHOOK_SECRET: 's', TELEGRAM_SENDS_PER_SECOND: '10' }).channels.telegram?.sendsPerSecond).toBe(10);
    expect(loadConfig({ ZALO_BOT_TOKEN: 't', ZALO_BOT_WEBHOOK_SECRET: 's', ZALO_BOT_SENDS_PER_SECOND: '0' }).channels.zaloBot?.sendsPerSecond).toBe(0);
    expect(() => loadConfig({ TELEGRAM_SENDS_PER_SECOND: '-1' })).toThrow(/TELEGRAM_SENDS_PER_SECOND/);
    // Long polling (npm run dev) needs no webhook secret.
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '1:abc', CHANNEL_POLLING: 'true' }).channels.telegram?.token).toBe('1:abc');
    expect(loadConfig({ ZALO_OA_APP_ID: '1', ZALO_OA_SECRET_KEY: 'k' }).channels.zaloOa).toBeUndefined();
    expect(loadConfig({ ZALO_OA_APP_ID: '1', ZALO_OA_SECRET_KEY: 'k', ZALO_OA_REFRESH_TOKEN: 'r', ZALO_OA_API_BASE: 'http://127.0.0.1:9/' }).channels.zaloOa).toMatchObject({
      appId: '1',
      apiBase: 'http://127.0.0.1:9',
      oauthBase: 'https://oauth.zaloapp.com',
    });
  });

  it('does not seed demo accounts against a production database unless asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://h/db' }).seedDemo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgresql://h/db', SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).databaseUrl).toBeUndefined();
  });

  it('names every bad value and what is expected', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REDIS_URL: 'localhost:6379', TRACKING_PREFIX: 'hcm1', SESSION_SECRET: 'short' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ connection string \(got "mysql:\/\/x"\)/);
    expect(problems).toMatch(/REDIS_URL: must be a redis:\/\//);
    expect(problems).toMatch(/TRACKING_PREFIX: must be 2 to 4 capital letters/);
    expect(problems).toMatch(/SESSION_SECRET: must be at least 32 characters/);
    expect((error as ConfigError).problems).toHaveLength(5);
  });

  it('refuses a bad channel setting with its name', () => {
    expect(() => loadConfig({ CHANNEL_POLLING: 'yes' })).toThrow(/CHANNEL_POLLING/);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_WEBHOOK_SECRET: 's', TELEGRAM_API_BASE: 'not a url' })).toThrow(
      /TELEGRAM_API_BASE/,
    );
  });

  it('trusts no proxy unless TRUST_PROXY lists them, and refuses anything but addresses, ranges and proxy-addr names', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,loopback' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'loopback']);
    for (const bad of ['true', '*', '10.0.0.0/33', 'proxy.example.org', '1.2.3']) {
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY: must be a comma-separated list of proxy IP addresses/);
    }
  });

  it('has a default for every limit, takes each from its variable, and refuses a limit below 1', () => {
    const c = loadConfig({});
    expect(c.limits).toEqual({
      loginPerAccount: { max: 5, windowMs: 900_000 },
      loginPerIp: { max: 20, windowMs: 900_000 },
      sessionsPerIp: { max: 120, windowMs: 60_000 },
      trackingPerIp: { max: 60, windowMs: 60_000 },
      socketsPerToken: 5,
      webchatMessagesPerToken: { max: 30, windowMs: 60_000 },
      channelMessagesPerSender: { max: 20, windowMs: 60_000 },
      ingestInFlight: 256,
    });
    expect(loadConfig({ LIMIT_SESSIONS_PER_IP: '500', LIMIT_SESSIONS_WINDOW_SECONDS: '10' }).limits.sessionsPerIp).toEqual({ max: 500, windowMs: 10_000 });
    expect(() => loadConfig({ LIMIT_LOGIN_PER_ACCOUNT: '0' })).toThrow(/LIMIT_LOGIN_PER_ACCOUNT/);
    expect(() => loadConfig({ LIMIT_SOCKETS_PER_TOKEN: 'many' })).toThrow(/LIMIT_SOCKETS_PER_TOKEN/);
  });

  it('times console sessions, and makes demo accounts seeded into a server database change their password', () => {
    expect(loadConfig({}).consoleSession).toEqual({ ttlMs: 12 * 3600_000, idleMs: 120 * 60_000 });
    expect(loadConfig({ CONSOLE_SESSION_HOURS: '0.5', CONSOLE_SESSION_IDLE_MINUTES: '15' }).consoleSession).toEqual({ ttlMs: 1800_000, idleMs: 900_000 });
    expect(() => loadConfig({ CONSOLE_SESSION_HOURS: '0' })).toThrow(/CONSOLE_SESSION_HOURS/);
    // Embedded, the demo keeps its published password so anyone can try it.
    expect(loadConfig({}).demoPasswordChange).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/hotline' }).demoPasswordChange).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/hotline', DEMO_PASSWORD_CHANGE: 'false' }).demoPasswordChange).toBe(false);
  });
});
