// The widget's channel capabilities in a real browser (Debian's Chromium through playwright-core):
// choices drawn as quick replies and tapped, the language switch told to the server mid-chat, the
// share-my-location button, and a photo sent with the attach button (and a refused file type).
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { openConversation, storeOutbound } from '../../src/messages/store';
import { PNG_1X1 } from '../helpers/fake-zalo-oa';
import { eventually, startTestHotline, type TestHotline } from '../helpers/hotline';
import { CHROMIUM, describeIf, launchChromium, REQUIRES } from '../helpers/requires';

if (!REQUIRES.chromium.met) console.warn(`Skipping the browser tests: ${CHROMIUM} was not found. Install it with \`apt-get install chromium\`.`);

const WAIT = 20_000;
jest.setTimeout(90_000);

const byTestId = (id: string, attrs = '') => `[data-testid="${id}"]${attrs}`;

describeIf(REQUIRES.chromium, 'web chat widget capabilities in Chromium', () => {
  let t: TestHotline;
  let browser: Browser;
  let context: BrowserContext;
  let pageErrors: string[];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestHotline(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });
  beforeEach(async () => {
    context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'vi-VN',
      permissions: ['geolocation'],
      geolocation: { latitude: 10.7769, longitude: 106.7009 },
    });
    context.setDefaultTimeout(WAIT);
    pageErrors = [];
    context.on('page', (page) => page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`)));
  });
  afterEach(async () => {
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  const db = () => t.hotline.db.prisma;

  /** Opens the chat, sends a first message (so the session exists) and returns the session id. */
  async function openChat(page: Page): Promise<string> {
    await page.goto(`${t.baseUrl}/`);
    await page.click(byTestId('hotline-launcher'));
    await page.locator(byTestId('hotline-status', '[data-status="online"]')).waitFor();
    // A report, not a greeting: a greeting is answered with the menu's own quick replies.
    await page.fill(byTestId('hotline-input'), 'Cây đổ chắn đường trước số 5 Lê Lợi');
    await page.click(byTestId('hotline-send'));
    await page.locator(byTestId('hotline-msg', '[data-from="person"][data-state="sent"]')).first().waitFor();
    const sessionId = await page.evaluate(() => JSON.parse(Object.values(localStorage).find((v) => v.includes('sessionId')) ?? '{}').sessionId as string);
    expect(sessionId).toBeTruthy();
    return sessionId;
  }

  const inboundOf = (sessionId: string) =>
    db().message.findMany({ where: { channel: 'webchat', direction: 'inbound', conversation: { contact: { channelUserId: sessionId } } }, orderBy: { seq: 'asc' } });

  it('draws a stored message’s choices as quick replies; a tap sends the value and shows the label', async () => {
    const page = await context.newPage();
    const sessionId = await openChat(page);
    const buttons = [
      { label: 'Phản ánh', value: 'menu:report' },
      { label: 'Phường Bến Nghé, Quận 1 — khu phố 3, tổ dân phố số 12, hẻm 45 Nguyễn Trãi, gần chợ Bến Thành', value: 'menu:place' },
    ];
    await db().$transaction(async (tx) => storeOutbound(tx, await openConversation(tx, 'webchat', sessionId), { author: 'bot', text: 'Bạn cần gì?', buttons }));
    await t.hotline.sweep();
    const quick = page.locator(byTestId('hotline-quick-reply'));
    await quick.nth(1).waitFor();
    expect(await quick.allTextContents()).toEqual(buttons.map((b) => b.label));
    // The long label wraps inside the panel instead of overflowing it.
    const [box, panel] = await Promise.all([quick.nth(1).boundingBox(), page.locator(byTestId('hotline-panel')).boundingBox()]);
    expect(box!.x + box!.width).toBeLessThanOrEqual(panel!.x + panel!.width);
    await quick.nth(1).click();
    await page.locator(byTestId('hotline-msg', '[data-from="person"]')).filter({ hasText: 'Phường Bến Nghé' }).waitFor();
    await eventually(async () => (await inboundOf(sessionId)).some((m) => m.text === 'menu:place'));
  });

  it('tells the server when the person switches the language mid-chat', async () => {
    const page = await context.newPage();
    const sessionId = await openChat(page);
    const locale = async () => (await db().contact.findUniqueOrThrow({ where: { channel_channelUserId: { channel: 'webchat', channelUserId: sessionId } } })).locale;
    expect(await locale()).toBe('vi');
    await page.click(byTestId('hotline-lang'));
    await eventually(async () => (await locale()) === 'en');
    await page.click(byTestId('hotline-lang'));
    await eventually(async () => (await locale()) === 'vi');
  });

  it('shares the location from the browser as coordinates', async () => {
    const page = await context.newPage();
    const sessionId = await openChat(page);
    await page.click(byTestId('hotline-locate'));
    const stored = await eventually(async () => (await inboundOf(sessionId)).find((m) => Array.isArray(m.attachments) && m.attachments.length > 0));
    expect(stored.attachments).toEqual([{ type: 'location', latitude: 10.7769, longitude: 106.7009 }]);
    await page.locator(byTestId('hotline-msg', '[data-from="person"][data-state="sent"]')).filter({ hasText: '10.7769' }).waitFor();
  });

  it('sends a photo with the attach button, and refuses another file type with a message', async () => {
    const page = await context.newPage();
    const sessionId = await openChat(page);
    await page.setInputFiles(byTestId('hotline-file'), { name: 'not-a-photo.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await page.locator(byTestId('hotline-error')).filter({ hasText: 'PDF' }).waitFor();
    expect(await db().webchatUpload.count({ where: { sessionId } })).toBe(0);
    await page.setInputFiles(byTestId('hotline-file'), { name: 'o-ga.png', mimeType: 'image/png', buffer: PNG_1X1 });
    const stored = await eventually(async () => (await inboundOf(sessionId)).find((m) => Array.isArray(m.attachments) && m.attachments.length > 0));
    expect(stored.attachments).toEqual([{ type: 'image', url: expect.stringMatching(/^webchat-upload:/), name: 'o-ga.png' }]);
    await page.locator(byTestId('hotline-msg', '[data-from="person"][data-state="sent"]')).filter({ hasText: 'o-ga.png' }).waitFor();
  });
});
