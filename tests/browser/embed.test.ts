// The widget under the security headers and limits (issue 8, items 8 and 10), in Chromium: another
// site embeds widget.js with <script src> and chats; the demo page runs under its CSP with no
// violation; a message over the per-token limit stays pending and is sent by itself later.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestHotline, type TestHotline } from '../helpers/hotline';
import { describeIf, launchChromium, REQUIRES } from '../helpers/requires';

const WAIT = 20_000;
jest.setTimeout(90_000);

const byTestId = (id: string, attrs = '') => `[data-testid="${id}"]${attrs}`;

describeIf(REQUIRES.chromium, 'widget under CSP and limits, in Chromium', () => {
  let t: TestHotline;
  let browser: Browser;
  let context: BrowserContext;
  let site: Server;
  let siteUrl: string;
  let problems: string[];

  beforeAll(async () => {
    [t, browser] = await Promise.all([
      startTestHotline({ env: { LIMIT_WEBCHAT_MESSAGES_PER_TOKEN: '2', LIMIT_WEBCHAT_MESSAGES_WINDOW_SECONDS: '2' } }),
      launchChromium(),
    ]);
    // A ward's own site on another origin (localhost vs 127.0.0.1), embedding the widget.
    site = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="vi"><body><h1>UBND phường</h1><script src="${t.baseUrl}/widget.js"></script></body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await t?.stop();
  });
  beforeEach(async () => {
    context = await browser.newContext({ locale: 'vi-VN' });
    context.setDefaultTimeout(WAIT);
    problems = [];
    context.on('page', (page) => {
      page.on('pageerror', (err) => problems.push(`${page.url()}: ${err.message}`));
      page.on('console', (m) => {
        if (/Content Security Policy|Cross-Origin-Resource-Policy|blocked/i.test(m.text())) problems.push(`${page.url()}: ${m.text()}`);
      });
    });
  });
  afterEach(async () => {
    await context.close();
    expect(problems).toEqual([]);
  });

  async function openChat(page: Page, url: string): Promise<void> {
    await page.goto(url);
    await page.click(byTestId('hotline-launcher'));
    await page.locator(byTestId('hotline-status', '[data-status="online"]')).waitFor();
  }
  async function send(page: Page, text: string): Promise<void> {
    await page.fill(byTestId('hotline-input'), text);
    await page.click(byTestId('hotline-send'));
  }
  const personBubble = (page: Page, text: string, state: string) =>
    page.locator(byTestId('hotline-msg', `[data-from="person"][data-state="${state}"]`)).filter({ hasText: text });

  it('works embedded in another site with <script src>', async () => {
    const page = await context.newPage();
    await openChat(page, siteUrl);
    await send(page, 'Chào tổng đài từ trang phường');
    await personBubble(page, 'Chào tổng đài từ trang phường', 'sent').waitFor();
    await page.locator(byTestId('hotline-msg', '[data-from="bot"]')).first().waitFor();
  });

  it('keeps a message refused by the per-token limit pending and sends it once allowed', async () => {
    const page = await context.newPage();
    await openChat(page, `${t.baseUrl}/`);
    for (const text of ['một', 'hai', 'ba']) await send(page, text);
    await page.locator(byTestId('hotline-error')).filter({ hasText: 'quá nhanh' }).waitFor();
    // Never marked failed: it goes out by itself once the window has passed.
    await personBubble(page, 'ba', 'sent').waitFor();
    expect(await page.locator(byTestId('hotline-msg', '[data-state="failed"]')).count()).toBe(0);
    const stored = await t.hotline.db.prisma.message.findMany({ where: { direction: 'inbound', text: { in: ['một', 'hai', 'ba'] } } });
    expect(stored.map((m) => m.text).sort()).toEqual(['ba', 'hai', 'một']);
  });
});
