// Logs: JSON lines for collectors, readable lines on a terminal (or with LOG_FORMAT=pretty); health
// checks at debug, not among the info lines of real requests.
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { loadConfig, ConfigError } from '../../src/config';
import { chooseLogFormat, createLogger } from '../../src/logging';
import { startTestHotline, type TestHotline } from '../helpers/hotline';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { stream, text: () => chunks.join('') };
}

describe('log format', () => {
  it('is pretty on a terminal and JSON otherwise, unless LOG_FORMAT says', () => {
    expect(chooseLogFormat(undefined, true)).toBe('pretty');
    expect(chooseLogFormat(undefined, false)).toBe('json');
    expect(chooseLogFormat('json', true)).toBe('json');
    expect(chooseLogFormat('pretty', false)).toBe('pretty');
  });

  it('LOG_FORMAT accepts pretty or json and refuses anything else by name', () => {
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(loadConfig({}).logFormat).toBeUndefined();
    expect(() => loadConfig({ LOG_FORMAT: 'text' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_FORMAT: 'text' })).toThrow(/LOG_FORMAT/);
  });

  it('writes one JSON object a line in json format', () => {
    const out = capture();
    createLogger(loadConfig({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }), out.stream).info({ ticket: 'HCM-26-7K3QD' }, 'ticket opened');
    expect(JSON.parse(out.text().trim())).toMatchObject({ level: 30, msg: 'ticket opened', ticket: 'HCM-26-7K3QD' });
  });

  it('writes a readable line in pretty format, without colours when the destination is no terminal', () => {
    const out = capture();
    const log = createLogger(loadConfig({ LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' }), out.stream);
    log.info({ ticket: 'HCM-26-7K3QD' }, 'ticket opened');
    log.debug('below the level');
    const text = () => out.text();
    log.info({ reqId: 'req-1', req: { method: 'GET', url: '/t/HCM-26-7K3QD' } }, 'incoming request');
    log.info({ reqId: 'req-1', res: { statusCode: 404 }, responseTime: 1.5 }, 'request completed');
    expect(text().split('\n')).toEqual([
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: ticket opened {"ticket":"HCM-26-7K3QD"}$/),
      expect.stringMatching(/\] INFO: incoming request GET \/t\/HCM-26-7K3QD {"reqId":"req-1"}$/),
      expect.stringMatching(/\] INFO: request completed → 404 {"reqId":"req-1","responseTime":1.5}$/),
      '',
    ]);
    expect(text()).not.toContain('below the level');
    expect(text()).not.toContain('\u001b[');
  });
  it('redacts in pretty lines as in JSON ones', () => {
    const out = capture();
    const log = createLogger(loadConfig({ LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' }), out.stream);
    log.info({ headers: { authorization: 'Bearer abcdefghijklmnop' } }, 'call from 0912 345 678');
    expect(out.text()).toContain('[phone]');
    expect(out.text()).not.toContain('abcdefghijklmnop');
    expect(out.text()).not.toContain('0912 345 678');
  });

  it('redacts the password of SMTP_URL wherever it ends up', () => {
    const out = capture();
    const log = createLogger(loadConfig({ LOG_LEVEL: 'info', LOG_FORMAT: 'json', SMTP_URL: 'smtps://hotline:M%40t-khau-thu-tin@mail.example.org:465' }), out.stream);
    log.warn({ err: new Error('Invalid login for hotline with M@t-khau-thu-tin') }, 'e-mail failed');
    expect(out.text()).toContain('[secret]');
    expect(out.text()).not.toContain('M@t-khau-thu-tin');
  });
});

describe('request logs', () => {
  const out = capture();
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline({ logger: pino({ level: 'debug' }, out.stream) });
  });
  afterAll(async () => {
    await t.stop();
  });

  const lines = () =>
    out
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string; req?: { url?: string }; reqId?: string });

  it('logs health checks at debug and other requests at info', async () => {
    expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.baseUrl}/readyz`)).status).toBe(200);
    expect((await fetch(`${t.baseUrl}/t/HCM-26-7K3QD`)).status).toBe(404);
    const byUrl = (url: string) => {
      const ids = new Set(lines().filter((l) => l.req?.url === url).map((l) => l.reqId));
      return lines().filter((l) => ids.has(l.reqId));
    };
    for (const url of ['/healthz', '/readyz']) {
      const health = byUrl(url);
      expect(health.map((l) => [l.level, l.msg])).toEqual([[20, 'health check']]);
    }
    const tracking = byUrl('/t/HCM-26-7K3QD');
    expect(tracking.map((l) => l.level)).toEqual([30, 30]);
    expect(tracking.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
  });
});
