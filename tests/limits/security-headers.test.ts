// Security headers (issue 8, item 10): every page has a CSP that allows only our scripts, cannot
// be framed and sends no Referer; widget.js may be loaded by other sites' <script src>.
import { createHash } from 'node:crypto';
import { startTestHotline, type TestHotline } from '../helpers/hotline';

describe('security headers', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline({ runWorkers: false });
  });
  afterAll(async () => {
    await t.stop();
  });

  const get = (url: string, headers: Record<string, string> = {}) => t.hotline.server.inject({ method: 'GET', url, headers });
  const directives = (csp: unknown) =>
    Object.fromEntries(
      String(csp)
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name!, values]),
    );

  it.each(['/', '/t/HCM-26-AAAAA', '/docs/'])('%s: CSP, no framing, no Referer', async (url) => {
    const res = await get(url);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const csp = directives(res.headers['content-security-policy']);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['script-src']).not.toContain("'unsafe-inline'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it("allows exactly the demo page's own inline scripts, by hash", async () => {
    const res = await get('/');
    const inline = [...res.body.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
      (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
    );
    expect(inline.length).toBeGreaterThan(0);
    expect(directives(res.headers['content-security-policy'])['script-src']).toEqual(["'self'", ...inline]);
    // The widget it loads comes from our origin.
    expect(res.body).toContain('<script src="/widget.js"');
  });

  it('serves widget.js to other origins (Cross-Origin-Resource-Policy: cross-origin); our pages stay same-origin', async () => {
    const widget = await get('/widget.js');
    expect(widget.statusCode).toBe(200);
    expect(widget.headers['content-type']).toMatch(/javascript/);
    expect(widget.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect((await get('/')).headers['cross-origin-resource-policy']).toBe('same-origin');
    // Other sites start sessions from their own origin.
    const session = await t.hotline.server.inject({ method: 'POST', url: '/webchat/sessions', payload: {}, headers: { origin: 'https://phuong.example.vn' } });
    expect(session.statusCode).toBe(200);
    expect(session.headers['access-control-allow-origin']).toBe('*');
  });

  it("serves swagger UI's own scripts from our origin, which the CSP allows", async () => {
    const page = await get('/docs/');
    const scripts = [...page.body.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/);
    for (const src of scripts) {
      const script = await get(new URL(src, 'http://h/docs/').pathname);
      expect(script.statusCode).toBe(200);
    }
  });

  it('sends the headers with JSON answers too', async () => {
    const health = await get('/healthz');
    expect(health.headers['x-frame-options']).toBe('DENY');
    expect(health.headers['content-security-policy']).toBeDefined();
  });
});
