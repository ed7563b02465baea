// The staff console end to end in a real browser (Debian's Chromium through playwright-core), with
// the web chat widget open in a second page: sign in, a new web chat ticket arrives in the triage
// inbox (live when the hotline has GET /api/live), the operator routes it to a ward, the ward's
// staff answer it (with a canned answer when the hotline has them) and the answer arrives in the
// chat; another agency's staff cannot open it (page and API); CSRF and session expiry; every page
// has labelled fields and named buttons (axe-core) and fits a 390 px phone screen. Saves the
// screenshots of the inbox and the ticket view into docs/.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { eventually, startTestHotline, type TestHotline } from '../helpers/hotline';
import { CHROMIUM, describeIf, launchChromium, REQUIRES } from '../helpers/requires';

if (!REQUIRES.chromium.met) console.warn(`Skipping the console browser tests: ${CHROMIUM} was not found. Install it with \`apt-get install chromium\`.`);

const ROOT = path.resolve(__dirname, '../..');
const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;
/** Generous: a slow CI machine may take seconds for the first bot reply. Nothing waits for a fixed time. */
const WAIT = 20_000;
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** The axe rules about names and labels: every field labelled, every button, link and image named. */
const AXE_RULES = [
  'label',
  'button-name',
  'link-name',
  'select-name',
  'input-button-name',
  'image-alt',
  'aria-input-field-name',
  'aria-toggle-field-name',
  'aria-command-name',
  'aria-progressbar-name',
  'aria-tooltip-name',
  'form-field-multiple-labels',
];

jest.setTimeout(120_000);

const byTestId = (id: string, attrs = '') => `[data-testid="${id}"]${attrs}`;

describeIf(REQUIRES.chromium, 'staff console in Chromium', () => {
  let t: TestHotline;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let pageErrors: string[];
  /** Whether this hotline has the live stream (the console-live work adds GET /api/live). */
  let liveStream: boolean;

  beforeAll(async () => {
    // The console's build is what the server serves; it is skipped when nothing changed.
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-console.cjs')], { cwd: ROOT, stdio: 'inherit' });
    [t, browser] = await Promise.all([startTestHotline(), launchChromium()]);
    // Without a session: 401 when the route exists, 404 when it does not.
    liveStream = (await fetch(`${t.baseUrl}/api/live`)).status !== 404;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  beforeEach(() => {
    pageErrors = [];
  });
  afterEach(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
    expect(pageErrors).toEqual([]); // no uncaught exception in the console or the widget
  });

  async function newContext(width = 1280, height = 800): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width, height }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    context.setDefaultTimeout(WAIT);
    context.on('page', (page) => page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`)));
    contexts.push(context);
    return context;
  }

  // ---------- helpers ----------

  async function signIn(page: Page, email: string, password = 'demo1022'): Promise<void> {
    await page.goto(`${t.baseUrl}/console/`);
    await signInHere(page, email, password);
  }

  /** Fills the sign-in form that is on the page now; the address stays. */
  async function signInHere(page: Page, email: string, password = 'demo1022'): Promise<void> {
    await page.getByLabel('Thư điện tử').fill(email);
    await page.getByLabel(/^Mật khẩu/).fill(password);
    await page.click(byTestId('sign-in'));
    await page.locator(byTestId('sign-out')).waitFor();
  }

  /** Axe's findings for the rules about labels and names, as "rule: element" lines (none expected). */
  async function unnamedThings(page: Page): Promise<string[]> {
    await page.evaluate(AXE_SOURCE);
    return page.evaluate(async (rules) => {
      const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Array<{ id: string; nodes: Array<{ html: string }> }> }> } }).axe;
      const result = await axe.run(document, { runOnly: { type: 'rule', values: rules } });
      return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.html.slice(0, 160)}`));
    }, AXE_RULES);
  }

  /** How far the page is wider than the window (0: no horizontal scrolling). */
  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  async function checkPage(page: Page, name: string): Promise<void> {
    expect({ page: name, problems: await unnamedThings(page) }).toEqual({ page: name, problems: [] });
  }

  /** Opens the demo page's chat, writes `text` and returns the tracking code the bot answers with. */
  async function reportInChat(page: Page, text: string): Promise<string> {
    await page.goto(`${t.baseUrl}/`);
    await page.click(byTestId('hotline-launcher'));
    await page.locator(byTestId('hotline-status', '[data-status="online"]')).waitFor();
    await page.fill(byTestId('hotline-input'), text);
    await page.click(byTestId('hotline-send'));
    const link = page.locator(byTestId('hotline-msg', '[data-from="bot"]')).locator(byTestId('hotline-code')).first();
    await link.waitFor();
    const code = CODE.exec((await link.textContent()) ?? '')?.[1];
    expect(code).toBeDefined();
    return code!;
  }

  /** Picks `option` in the Mantine select labelled `label`. */
  async function pick(page: Page, testId: string, option: string): Promise<void> {
    await page.click(byTestId(testId));
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  const row = (page: Page, code: string) => page.locator(byTestId('inbox-row', `[data-code="${code}"]`));

  // ---------- scenarios ----------

  it('signs in, sees a new web chat ticket arrive in triage, routes it to the ward, whose answer arrives in the chat', async () => {
    const staff = await newContext();
    const inbox = await staff.newPage();
    await signIn(inbox, 'operator@hotline.local');
    expect(inbox.url()).toBe(`${t.baseUrl}/console/inbox`);
    await inbox.locator(byTestId('inbox-total')).waitFor();
    await inbox.locator(byTestId('live-status', `[data-live="${liveStream ? 'live' : 'off'}"]`)).waitFor();

    const person = await newContext();
    const chat = await person.newPage();
    const text = 'Quán karaoke trong hẻm 45 Lê Thánh Tôn hát ồn đến nửa đêm, cả xóm không ngủ được';
    const code = await reportInChat(chat, text);

    if (liveStream) {
      // No reload: the event stream brings it.
      await row(inbox, code).waitFor();
    } else {
      console.warn(`Skipped only the live-arrival assertion: this hotline has no GET /api/live (the console-live work adds it); reloading the inbox instead.`);
      await inbox.reload();
      await row(inbox, code).waitFor();
    }
    expect(await row(inbox, code).textContent()).toContain('Quán karaoke');
    // The counts come with their own request (and, live, their own refetch).
    await inbox.locator(byTestId('count-triage')).filter({ hasText: /^1$/ }).waitFor();
    await inbox.screenshot({ path: path.join(ROOT, 'docs/console-inbox.png'), animations: 'disabled' });
    await checkPage(inbox, 'inbox');
    // The operators were notified of the new triage ticket: the bell counts it and lists it.
    const bell = inbox.locator(byTestId('notification-bell'));
    await eventually(async () => !/: 0 /.test((await bell.getAttribute('aria-label')) ?? ': 0 '));
    await bell.click();
    await inbox.locator(byTestId('notification')).filter({ hasText: code }).waitFor();
    await checkPage(inbox, 'notifications');
    await inbox.keyboard.press('Escape');
    await inbox.locator(byTestId('notification-list')).waitFor({ state: 'hidden' });

    // Route it from triage to the ward, with a reason.
    await row(inbox, code).locator(byTestId('ticket-link')).click();
    await inbox.locator(byTestId('ticket-view', `[data-code="${code}"][data-status="triage"]`)).waitFor();
    expect(await inbox.locator(byTestId('ticket-summary')).textContent()).toContain('Quán karaoke');
    await checkPage(inbox, 'ticket (triage)');
    await inbox.click(byTestId('tab-route'));
    await pick(inbox, 'route-agency', 'UBND phường Bến Thành');
    await inbox.fill(byTestId('route-reason'), 'Hẻm 45 Lê Thánh Tôn thuộc phường Bến Thành');
    await inbox.click(byTestId('route-submit'));
    await inbox.locator(byTestId('ticket-view', '[data-status="assigned"]')).waitFor();
    expect(await inbox.locator(byTestId('ticket-agency')).textContent()).toContain('UBND phường Bến Thành');
    expect(await inbox.locator(byTestId('history')).textContent()).toContain('Hẻm 45 Lê Thánh Tôn thuộc phường Bến Thành');

    // The ward signs in, takes it and answers it.
    const ward = await newContext(1280, 1300);
    const wardPage = await ward.newPage();
    await wardPage.goto(`${t.baseUrl}/console/tickets/${code}`);
    await signInHere(wardPage, 'ubnd-phuong-ben-thanh@hotline.local');
    await wardPage.locator(byTestId('ticket-view', `[data-code="${code}"]`)).waitFor();
    await wardPage.click(byTestId('take'));
    await wardPage.locator(byTestId('ticket-assignee')).filter({ hasText: /UBND phường Bến Thành|Cán bộ/ }).waitFor();
    await wardPage.locator(byTestId('take')).waitFor({ state: 'detached' });

    const canned = wardPage.locator(byTestId('canned-picker'));
    // The picker appears once GET /api/canned-answers answers; without that route it never does.
    const cannedRoute = (await wardPage.evaluate(async (c) => (await fetch(`/api/canned-answers?ticket=${c}`)).status, code)) === 200;
    let answer: string;
    if (cannedRoute && (await wardPage.evaluate(async (c) => ((await (await fetch(`/api/canned-answers?ticket=${c}`)).json()) as unknown[]).length, code)) > 0) {
      await canned.click();
      await wardPage.getByRole('option').first().click();
      answer = (await wardPage.inputValue(byTestId('reply-text'))).trim();
      expect(answer.length).toBeGreaterThan(0);
    } else {
      expect(await canned.count()).toBe(0);
      answer = 'Phường đã cử tổ trật tự đến kiểm tra và yêu cầu quán chấm dứt gây ồn sau 22 giờ.';
      await wardPage.fill(byTestId('reply-text'), answer);
    }
    await wardPage.click(byTestId('send-reply'));
    await wardPage.locator(byTestId('ticket-view', '[data-status="answered"]')).waitFor();
    const sent = wardPage.locator(byTestId('message', '[data-author="agent"]')).filter({ hasText: answer.slice(0, 40) });
    await sent.waitFor();

    // The answer arrives in the person's open chat. Its end: the widget links a tracking code with a
    // hidden "(opens in a new tab)", so a piece holding the code would not match the text.
    await chat.locator(byTestId('hotline-msg', '[data-from="agent"]')).filter({ hasText: answer.slice(-40) }).waitFor();
    // And the ticket view says it went out (sent, or delivered once the widget confirms).
    await wardPage.reload();
    await sent.locator(byTestId('delivery')).waitFor();
    expect(['pending', 'sent', 'delivered', 'seen']).toContain(await sent.locator(byTestId('delivery')).getAttribute('data-delivery'));

    // An internal note stays with the staff.
    await wardPage.getByRole('tab', { name: 'Ghi chú' }).click();
    await wardPage.fill(byTestId('note-text-input'), 'Đã gọi điện cho chủ quán lúc 21h');
    await wardPage.click(byTestId('add-note'));
    await wardPage.locator(byTestId('note-text')).filter({ hasText: 'Đã gọi điện cho chủ quán lúc 21h' }).waitFor();
    // The "note added" notification would cover the header in the picture.
    for (const close of await wardPage.getByRole('button', { name: 'Đóng', exact: true }).all()) await close.click();
    await eventually(async () => (await wardPage.locator('.mantine-Notification-root').count()) === 0);
    await wardPage.screenshot({ path: path.join(ROOT, 'docs/console-ticket.png'), animations: 'disabled' });
    await checkPage(wardPage, 'ticket (answered)');

    // Another ward may not open it: a clear page in the console, 404 from the API.
    const other = await newContext();
    const otherPage = await other.newPage();
    await otherPage.goto(`${t.baseUrl}/console/tickets/${code}`);
    await signInHere(otherPage, 'ubnd-phuong-sai-gon@hotline.local');
    await otherPage.locator(byTestId('ticket-not-allowed')).waitFor();
    expect(await otherPage.locator(byTestId('ticket-not-allowed')).textContent()).toContain(code);
    expect(await otherPage.locator(byTestId('messages')).count()).toBe(0);
    const apiStatus = await otherPage.evaluate(async (c) => (await fetch(`/api/tickets/${c}`)).status, code);
    expect(apiStatus).toBe(404);
    expect(await otherPage.evaluate(async (c) => (await fetch(`/api/tickets?q=${c}`).then((r) => r.json())) as { total: number }, code)).toMatchObject({ total: 0 });
    await checkPage(otherPage, 'not allowed');
  });

  it('refuses a state-changing request without the CSRF header, and sends an expired session back to sign-in', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page, 'admin@hotline.local');
    const person = await newContext();
    const code = await reportInChat(await person.newPage(), 'Cây xanh trước số 8 Pasteur bị gãy cành, đè lên vỉa hè');

    const attempt = (withHeader: boolean) =>
      page.evaluate(
        async ({ c, withHeader }) => {
          const csrf = document.cookie.split('; ').find((x) => x.startsWith('csrf='))?.slice(5) ?? '';
          const res = await fetch(`/api/tickets/${c}/notes`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(withHeader ? { 'x-csrf-token': decodeURIComponent(csrf) } : {}) },
            body: JSON.stringify({ text: 'ghi chú thử' }),
          });
          return { status: res.status, body: (await res.json()) as { error?: string } };
        },
        { c: code, withHeader },
      );
    expect(await attempt(false)).toMatchObject({ status: 403, body: { error: 'csrf_missing' } });
    expect(await attempt(true)).toMatchObject({ status: 201 });

    // The console itself sends the header: a note from the ticket view goes through.
    await page.goto(`${t.baseUrl}/console/tickets/${code}`);
    await page.getByRole('tab', { name: 'Ghi chú' }).click();
    await page.fill(byTestId('note-text-input'), 'Đã báo đội cây xanh');
    await page.click(byTestId('add-note'));
    await page.locator(byTestId('note-text')).filter({ hasText: 'Đã báo đội cây xanh' }).waitFor();
    // A fallen branch over the sidewalk is urgent: the priority and its deadlines change.
    await page.click(byTestId('tab-status'));
    await pick(page, 'priority-select', 'Khẩn');
    await page.click(byTestId('priority-submit'));
    await page.locator(`${byTestId('ticket-view')} h2 ~ [data-priority="urgent"]`).waitFor();
    await page.locator(byTestId('history')).getByText('Thường → Khẩn').waitFor();

    // The session runs out (as after CONSOLE_SESSION_HOURS): the next request answers 401, and the
    // console shows the sign-in page with the reason, at the same address.
    await t.hotline.db.prisma.staffSession.updateMany({ where: { staffUser: { email: 'admin@hotline.local' } }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await page.click(byTestId('nav-inbox'));
    await page.locator(byTestId('sign-in-form')).waitFor();
    expect(await page.locator(byTestId('session-ended')).textContent()).toContain('hết hạn');
    expect(page.url()).toBe(`${t.baseUrl}/console/inbox`);
    await checkPage(page, 'sign-in');
    await signInHere(page, 'admin@hotline.local');
    await page.locator(byTestId('inbox-total')).waitFor();
  });

  it('works by keyboard alone: sign in, open a ticket from the inbox, write a note', async () => {
    const person = await newContext();
    const code = await reportInChat(await person.newPage(), 'Cống thoát nước trước chợ Tân Định bị nghẹt, nước tràn lên đường');
    const page = await (await newContext()).newPage();
    await page.goto(`${t.baseUrl}/console/`);
    /** Presses Tab until the focused element matches `selector` (at most `max` times). */
    const tabTo = async (selector: string, max = 40) => {
      for (let i = 0; i < max; i++) {
        if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`Tab never reached ${selector}`);
    };
    await tabTo('input[name="email"]');
    await page.keyboard.type('operator@hotline.local');
    await page.keyboard.press('Tab');
    await page.keyboard.type('demo1022');
    await page.keyboard.press('Enter');
    await page.locator(byTestId('sign-out')).waitFor();
    await row(page, code).waitFor();
    await tabTo(`[data-code="${code}"] [data-testid="ticket-link"]`, 80);
    await page.keyboard.press('Enter');
    await page.locator(byTestId('ticket-view', `[data-code="${code}"]`)).waitFor();
    // The note tab and its field, by keyboard.
    await tabTo('[role="tab"]', 80);
    for (let i = 0; i < 6 && !(await page.evaluate(() => document.activeElement?.textContent === 'Ghi chú')); i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await tabTo('[data-testid="note-text-input"]');
    await page.keyboard.type('Đã báo đội thoát nước');
    await tabTo('[data-testid="add-note"]');
    await page.keyboard.press('Enter');
    await page.locator(byTestId('note-text')).filter({ hasText: 'Đã báo đội thoát nước' }).waitFor();
  });

  it('fits a 390 px phone screen on every page, with the menu behind a named button and English texts on request', async () => {
    const person = await newContext();
    const code = await reportInChat(await person.newPage(), 'Đường Nguyễn Huệ đoạn trước số 20 có ổ gà lớn, xe máy dễ té');
    // As if the person had shared their location: the ticket view draws a map (tiles cannot load here; the map still stands).
    await t.hotline.db.prisma.ticket.update({ where: { trackingCode: code }, data: { latitude: 10.77375, longitude: 106.70374 } });
    // A seeded account of a server database must choose a new password first.
    await t.hotline.db.prisma.staffUser.update({ where: { email: 'so-khoa-hoc-cong-nghe@hotline.local' }, data: { mustChangePassword: true } });

    const context = await newContext(390, 844);
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/console/`);
    await page.locator(byTestId('sign-in-form')).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await checkPage(page, 'sign-in (phone)');

    await signInHere(page, 'operator@hotline.local');
    await page.locator(byTestId('inbox-total')).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await checkPage(page, 'inbox (phone)');

    await row(page, code).waitFor();
    await page.goto(`${t.baseUrl}/console/tickets/${code}`);
    await page.locator(byTestId('ticket-view')).waitFor();
    const map = page.locator(byTestId('place-map'));
    await map.locator('.leaflet-interactive').waitFor(); // the circle on the place
    expect(await map.getAttribute('aria-label')).toBe('Bản đồ nơi xảy ra sự việc');
    expect(await page.locator(byTestId('place')).textContent()).toContain('10.77375');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await checkPage(page, 'ticket (phone)');

    // The navigation is behind the menu button on a phone.
    await page.getByRole('button', { name: 'Mở hoặc đóng trình đơn' }).click();
    await page.click(byTestId('nav-password'));
    await page.locator(byTestId('password-form')).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await checkPage(page, 'password (phone)');

    await page.goto(`${t.baseUrl}/console/no-such-page`);
    await page.getByText('Không có trang này').waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    // English, remembered across a reload.
    await page.locator(byTestId('language-switch')).getByText('EN').click();
    await page.getByText('No such page').waitFor();
    await page.goto(`${t.baseUrl}/console/inbox`);
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.click(byTestId('sign-out'));

    // The forced password change: nothing else until a new password is chosen.
    await page.getByLabel('E-mail').fill('so-khoa-hoc-cong-nghe@hotline.local');
    await page.getByLabel(/^Password/).fill('demo1022');
    await page.click(byTestId('sign-in'));
    await page.locator(byTestId('password-forced')).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await checkPage(page, 'forced password change (phone)');
    await page.getByLabel('Current password').fill('demo1022');
    await page.getByLabel(/^New password/).fill('kiem-tra-mat-khau-moi');
    await page.getByLabel('Repeat the new password').fill('kiem-tra-mat-khau-moi');
    await page.click(byTestId('password-submit'));
    await page.locator(byTestId('inbox-total')).waitFor();
    expect((await t.hotline.db.prisma.staffUser.findUniqueOrThrow({ where: { email: 'so-khoa-hoc-cong-nghe@hotline.local' } })).mustChangePassword).toBe(false);
  });
});
