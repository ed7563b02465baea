// The web chat widget end to end in a real browser (Debian's Chromium through playwright-core):
// the demo page, the widget's WebSocket client against the real server, staff answers through the
// console API, reconnect replay, language switch, the length limit and the public tracking page.
import { type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { api, eventually, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';
import { CHROMIUM, describeIf, launchChromium, REQUIRES } from '../helpers/requires';

if (!REQUIRES.chromium.met) console.warn(`Skipping the browser tests: ${CHROMIUM} was not found. Install it with \`apt-get install chromium\`.`);

const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;
/** Generous: a slow CI machine may take seconds for the first bot reply. Nothing waits for a fixed time. */
const WAIT = 20_000;
const SCREENSHOT = '/tmp/hotline-widget.png';

jest.setTimeout(90_000);

const byTestId = (id: string, attrs = '') => `[data-testid="${id}"]${attrs}`;

describeIf(REQUIRES.chromium, 'web chat widget in Chromium', () => {
  let t: TestHotline;
  let browser: Browser;
  let context: BrowserContext;
  let pageErrors: string[];

  beforeAll(async () => {
    [t, browser] = await Promise.all([
      startTestHotline(),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    context.setDefaultTimeout(WAIT);
    pageErrors = [];
    context.on('page', (page) => page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`)));
  });
  afterEach(async () => {
    await context.close();
    expect(pageErrors).toEqual([]); // no uncaught exception in the widget or the pages
  });

  // ---------- what a person does ----------

  /** Opens the demo page and the chat panel, and waits until the widget is connected. */
  async function openChat(page: Page): Promise<void> {
    await page.goto(`${t.baseUrl}/`);
    await page.click(byTestId('hotline-launcher'));
    await page.locator(byTestId('hotline-panel')).waitFor({ state: 'visible' });
    await page.locator(byTestId('hotline-status', '[data-status="online"]')).waitFor();
  }

  async function send(page: Page, text: string): Promise<void> {
    await page.fill(byTestId('hotline-input'), text);
    await page.click(byTestId('hotline-send'));
  }

  const bubbles = (page: Page, from?: 'person' | 'bot' | 'agent'): Locator =>
    page.locator(byTestId('hotline-msg', from ? `[data-from="${from}"]` : ''));

  /** Waits for the person's bubble with this text to be acknowledged by the server. */
  async function waitSent(page: Page, text: string): Promise<void> {
    await page.locator(byTestId('hotline-msg', '[data-from="person"][data-state="sent"]')).filter({ hasText: text }).waitFor();
  }

  /** Waits for the bot's reply with a tracking code link; returns the code. */
  async function waitTrackingCode(page: Page): Promise<string> {
    const link = bubbles(page, 'bot').locator(byTestId('hotline-code')).first();
    await link.waitFor();
    const code = CODE.exec((await link.textContent()) ?? '')?.[1];
    expect(code).toBeDefined();
    expect(await link.getAttribute('href')).toBe(`/t/${code}`);
    return code!;
  }

  /** Sends the first message of a conversation and returns the tracking code of the ticket it opened. */
  async function report(page: Page, text: string): Promise<string> {
    await send(page, text);
    await waitSent(page, text);
    return waitTrackingCode(page);
  }

  // ---------- what staff do (console API) ----------

  /** The operator forwards the ticket to an agency; returns a token of that agency's staff. */
  async function assign(code: string, slug = 'dien-luc'): Promise<string> {
    const operator = await staffLogin(t, 'operator@hotline.local');
    const agencies = await api<Array<{ id: string; slug: string }>>(t, operator, 'GET', '/agencies');
    const agency = agencies.body.find((a) => a.slug === slug);
    expect(agency).toBeDefined();
    const assigned = await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: agency!.id, reason: 'Thuộc thẩm quyền' });
    expect(assigned.status).toBe(200);
    return staffLogin(t, `${slug}@hotline.local`);
  }

  async function reply(staffToken: string, code: string, text: string): Promise<void> {
    const replied = await api(t, staffToken, 'POST', `/tickets/${code}/replies`, { text });
    expect(replied).toMatchObject({ status: 201, body: { status: 'answered' } });
  }

  // ---------- scenarios ----------

  it('sends a Vietnamese message from the demo page: pending → sent, then a bot reply with a tracking-code link', async () => {
    const page = await context.newPage();
    await openChat(page);
    expect(await page.getAttribute(byTestId('hotline-input'), 'placeholder')).toBe('Nhập nội dung cần phản ánh, hỏi đáp…');

    // The widget re-renders a bubble on every state change: record each state the person's bubble shows.
    await page.evaluate(() => {
      const states: string[] = [];
      (window as unknown as { personStates: string[] }).personStates = states;
      new MutationObserver((records) =>
        records.forEach((r) =>
          r.addedNodes.forEach((n) => {
            if (n instanceof HTMLElement && n.dataset.from === 'person') states.push(n.dataset.state ?? '?');
          }),
        ),
      ).observe(document.querySelector('[data-testid="hotline-messages"]')!, { childList: true, subtree: true });
    });

    const text = 'Đèn đường trước số 12 Lê Lợi bị hỏng 3 ngày nay, buổi tối rất tối và nguy hiểm';
    const code = await report(page, text);
    expect(await page.evaluate(() => (window as unknown as { personStates: string[] }).personStates)).toEqual(['pending', 'sent']);
    expect(await page.inputValue(byTestId('hotline-input'))).toBe('');

    const person = bubbles(page, 'person');
    expect(await person.count()).toBe(1);
    expect(await person.textContent()).toContain(text);
    expect(Number(await person.getAttribute('data-seq'))).toBeGreaterThan(0);

    const bot = bubbles(page, 'bot').first();
    expect(await bot.textContent()).toContain(`Cảm ơn bạn đã liên hệ Đường dây nóng. Yêu cầu của bạn đã được ghi nhận với mã ${code}`);
    expect(Number(await bot.getAttribute('data-seq'))).toBeGreaterThan(Number(await person.getAttribute('data-seq')));
    expect(await bot.getAttribute('data-state')).toBe('received');
    const ticket = await t.hotline.db.prisma.ticket.findUnique({ where: { trackingCode: code } });
    expect(ticket?.status).toBe('triage');
  });

  it('shows a staff answer live in the open widget', async () => {
    const page = await context.newPage();
    await openChat(page);
    const code = await report(page, 'Mất điện từ 8h sáng ở phường Bến Thành, đến giờ vẫn chưa có điện');

    const staff = await assign(code);
    await reply(staff, code, 'Đội sửa chữa đã khắc phục sự cố lúc 10h30. Xin cảm ơn bạn đã phản ánh.');

    const agent = bubbles(page, 'agent').filter({ hasText: 'Đội sửa chữa đã khắc phục sự cố lúc 10h30.' });
    await agent.waitFor();
    expect(await agent.textContent()).toContain(`Tổng công ty Điện lực Thành phố trả lời yêu cầu ${code}`);
    expect(await agent.locator('.hl-msg-label').textContent()).toBe('Cán bộ');
    expect(await bubbles(page, 'agent').count()).toBe(1);
    // The code, then the notice that the power company has the request, then its answer.
    expect(await bubbles(page).evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-from')))).toEqual(['person', 'bot', 'bot', 'agent']);

    await page.screenshot({ path: SCREENSHOT, animations: 'disabled' });
  });

  it('replays a staff answer missed while the page was closed, once, with the history kept', async () => {
    const first = await context.newPage();
    await openChat(first);
    const text = 'Nước sinh hoạt ở hẻm 45 Nguyễn Trãi bị đục từ hôm qua';
    const code = await report(first, text);
    await first.close(); // the person leaves; localStorage stays in the context

    const staff = await assign(code, 'cap-nuoc');
    const answer = 'Công ty đã súc xả đường ống, nước sẽ trong trở lại trong hôm nay.';
    await reply(staff, code, answer);

    // Back on the page: the widget reconnects on its own and fetches what it missed.
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/`);
    await bubbles(page, 'agent').filter({ hasText: answer }).waitFor({ state: 'attached' });
    expect(await page.textContent('.hl-badge')).toBe('2'); // unread while the panel is closed: the notice that it was assigned, the answer
    await page.click(byTestId('hotline-launcher'));
    await bubbles(page, 'agent').filter({ hasText: answer }).waitFor({ state: 'visible' });
    expect(await bubbles(page).evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-from')))).toEqual(['person', 'bot', 'bot', 'agent']);
    expect(await bubbles(page, 'person').textContent()).toContain(text);
    expect(await bubbles(page, 'person').getAttribute('data-state')).toBe('sent');

    // Reload once more and write again: the bot's answer to the new message arrives after any replay
    // would have, and the missed answer is still there exactly once.
    await page.reload();
    await page.click(byTestId('hotline-launcher'));
    await page.locator(byTestId('hotline-status', '[data-status="online"]')).waitFor();
    await send(page, 'Cho hỏi khi nào có nước sạch trở lại?');
    await bubbles(page, 'bot').nth(2).waitFor();
    expect(await bubbles(page).evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-from')))).toEqual([
      'person',
      'bot',
      'bot',
      'agent',
      'person',
      'bot',
    ]);
    expect(await bubbles(page, 'agent').filter({ hasText: answer }).count()).toBe(1);
  });

  it('switches the widget to English, and a new English session gets English bot replies', async () => {
    const page = await context.newPage();
    await openChat(page);
    const lang = page.locator(byTestId('hotline-lang'));
    expect(await lang.getAttribute('data-locale')).toBe('vi');
    await lang.click();
    await page.locator(byTestId('hotline-lang', '[data-locale="en"]')).waitFor();
    expect(await page.getAttribute(byTestId('hotline-input'), 'placeholder')).toBe('Type your report or question…');
    expect(await page.textContent(byTestId('hotline-status'))).toContain('Online');
    expect(await page.getAttribute('html', 'lang')).toBe('en'); // the demo page follows the widget

    // The session opened with the panel is Vietnamese: forget it so the next one is created in English.
    await page.evaluate(() => localStorage.removeItem('hotline.webchat.v1'));
    await page.reload();
    await page.click(byTestId('hotline-launcher'));
    await page.locator(byTestId('hotline-status', '[data-status="online"]')).waitFor();
    expect(await lang.getAttribute('data-locale')).toBe('en');
    expect(await page.getAttribute(byTestId('hotline-input'), 'placeholder')).toBe('Type your report or question…');

    const code = await report(page, 'The pedestrian light at Nguyen Hue street is broken');
    const bot = bubbles(page, 'bot').first();
    expect(await bot.locator('.hl-bubble').textContent()).toMatch(/^Thank you for contacting the Hotline/);
    expect(await bot.locator(byTestId('hotline-code')).getAttribute('title')).toBe(`See the status of request ${code}`);
  });

  it('backs off on every close, even from a server that accepts and closes at once', async () => {
    const page = await context.newPage();
    const opened: number[] = [];
    // The socket is answered by the test, as an overloaded server would: accept, then close.
    await page.routeWebSocket(/\/webchat\/ws/, (ws) => {
      opened.push(Date.now());
      // Closed once the page has seen it open (the close must not read as a refused upgrade).
      ws.send(JSON.stringify({ type: 'pong' }));
      ws.onMessage(() => undefined);
      setTimeout(() => ws.close({ code: 1013, reason: 'try again later' }), 100);
    });
    await page.goto(`${t.baseUrl}/`);
    await page.click(byTestId('hotline-launcher'));
    await eventually(async () => opened.length >= 4, 30_000);
    const gaps = opened.slice(1).map((at, i) => at - opened[i]!);
    // About 1 s, 2 s, then 4 s (each ±25 %); a backoff that started over at every open came after about 1 s.
    expect(gaps[2]!).toBeGreaterThan(2_500);
    expect(gaps[2]!).toBeGreaterThan(gaps[0]!);
  });

  it('refuses a message over 4,000 characters with an error, and stores nothing', async () => {
    const page = await context.newPage();
    await openChat(page);
    const marker = `QUA-DAI-${Date.now()}`;
    const tooLong = `${marker} ${'a'.repeat(4_000 - marker.length)}`;
    expect(tooLong).toHaveLength(4_001);
    const stored = () => t.hotline.db.prisma.message.count({ where: { text: { startsWith: marker } } });
    const before = await t.hotline.db.prisma.message.count();

    await page.fill(byTestId('hotline-input'), tooLong);
    expect(await page.textContent(byTestId('hotline-counter'))).toBe('4.001/4.000 ký tự');
    await page.click(byTestId('hotline-send'));
    const error = page.locator(byTestId('hotline-error'));
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toContain('Tin nhắn dài quá 4.000 ký tự');
    expect(await bubbles(page).count()).toBe(0);
    expect(await page.inputValue(byTestId('hotline-input'))).toBe(tooLong); // kept, so it can be shortened

    // A short message sent afterwards is acknowledged: had the long one gone out, it would have been handled first.
    await send(page, 'Tin ngắn để kiểm tra');
    await waitSent(page, 'Tin ngắn để kiểm tra');
    expect(await stored()).toBe(0);
    expect(await bubbles(page, 'person').count()).toBe(1);
    expect(await t.hotline.db.prisma.message.count()).toBeGreaterThan(before); // the short one (and its reply) only
    expect(await t.hotline.db.prisma.message.count({ where: { text: { contains: 'a'.repeat(100) } } })).toBe(0);
  });

  it('shows the server refusing an over-long message in the person’s language, and lets them edit it', async () => {
    const page = await context.newPage();
    // An embedding site that raised the widget's own limit: now only the server stops the message.
    await page.addInitScript(() => {
      new MutationObserver(() => document.querySelector('script[src="/widget.js"]')?.setAttribute('data-max-chars', '10000')).observe(document, {
        childList: true,
        subtree: true,
      });
    });
    await openChat(page);
    const marker = `MAY-CHU-CHAN-${Date.now()}`;
    const tooLong = `${marker} ${'b'.repeat(4_000 - marker.length)}`;
    await send(page, tooLong);

    const failed = page.locator(byTestId('hotline-msg', '[data-from="person"][data-state="failed"]'));
    await failed.waitFor();
    expect(await page.textContent(byTestId('hotline-error'))).toContain('Tin nhắn dài quá');
    expect(await t.hotline.db.prisma.message.count({ where: { text: { startsWith: marker } } })).toBe(0);

    await failed.locator('.hl-edit').click(); // "Sửa lại": the text goes back into the input
    expect(await bubbles(page).count()).toBe(0);
    expect(await page.inputValue(byTestId('hotline-input'))).toBe(tooLong);
  });

  it('opens the tracking page from the code link: status, then the answer, and no personal data', async () => {
    const page = await context.newPage();
    await openChat(page);
    const personal = 'Tôi là Trần Thị Bích, số điện thoại 0903 123 456, nhà số 7 hẻm 19 Pasteur';
    const code = await report(page, `${personal}. Rác ùn ứ ở đầu hẻm cả tuần nay chưa được thu gom`);

    const [tracking] = await Promise.all([context.waitForEvent('page'), page.click(byTestId('hotline-code'))]);
    await tracking.waitForLoadState();
    expect(new URL(tracking.url()).pathname).toBe(`/t/${code}`);
    expect(await tracking.textContent('h1')).toBe(`Yêu cầu ${code}`);
    expect(await tracking.textContent('[data-testid="status"]')).toBe('đang chờ phân loại');
    expect(await tracking.textContent('main')).toContain('Chưa có trả lời');

    const answer = 'Công ty Môi trường đô thị đã thu gom rác tại đầu hẻm 19 Pasteur sáng nay.';
    await reply(await assign(code, 'so-nong-nghiep-moi-truong'), code, answer);
    await tracking.reload();
    expect(await tracking.textContent('[data-testid="status"]')).toBe('đã có trả lời');
    expect(await tracking.textContent('.answer')).toContain(answer);

    const shown = (await tracking.textContent('body')) ?? '';
    for (const secret of ['Trần Thị Bích', '0903', 'Rác ùn ứ', 'nhà số 7']) expect(shown).not.toContain(secret);
    expect(await tracking.content()).not.toContain('0903 123 456');
  });
});
