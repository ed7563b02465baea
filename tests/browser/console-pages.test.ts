// The console's report, press and administration pages in Chromium (playwright-core, Debian's
// /usr/bin/chromium): the dashboard draws its charts from real tickets (and is the README's
// screenshot); an admin creates an agency and a staff account and tests a text in the routing box;
// a press officer creates a press conference, sees who registered and publishes an announcement.
// Every page passes axe's checks for unlabelled fields and unnamed buttons and links, and none
// scrolls sideways on a 390 px phone.
import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import vi from '../../locales/vi/console.json';
import { extractEntities } from '../../src/classify/entities';
import type { Topic } from '../../src/classify/taxonomy';
import type { Classifier } from '../../src/classify/types';
import { subscribe } from '../../src/press/announcements';
import { register } from '../../src/press/events';
import { savePressProfile } from '../../src/press/profiles';
import { api, ChatClient, eventually, newSession, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';
import { CHROMIUM, describeIf, launchChromium, REQUIRES } from '../helpers/requires';

if (!REQUIRES.chromium.met) console.warn(`Skipping the console page tests: ${CHROMIUM} was not found. Install it with \`apt-get install chromium\`.`);

const WAIT = 20_000;
const SCREENSHOT = path.join(__dirname, '../../docs/console-dashboard.png');
const AXE = require.resolve('axe-core/axe.min.js');
/** axe's rules for what the issue asks: every field labelled, every button and link named. */
const AXE_RULES = [
  'label',
  'select-name',
  'button-name',
  'input-button-name',
  'link-name',
  'aria-input-field-name',
  'aria-toggle-field-name',
  'aria-command-name',
  'aria-hidden-focus',
  'svg-img-alt',
];
const byTestId = (id: string) => `[data-testid="${id}"]`;

jest.setTimeout(180_000);

/** Messages that open tickets the seeded routing rules send to three agencies. */
const MESSAGES = [
  'Thủy cung thành phố đóng cửa mà không báo trước',
  'Đèn giao thông ở ngã tư Hàng Xanh bị hỏng từ sáng, xe cộ kẹt cứng',
  'Khu phố tôi bị cúp nước sinh hoạt hai ngày nay',
];
/** A reporter's question: the seeded rule for intent press sends it to the press center. */
const PRESS_QUESTION = 'Tôi là phóng viên báo Tuổi Trẻ, xin số liệu về số ca sốt xuất huyết và kế hoạch phòng dịch của thành phố';
const TOPIC_WORDS: Array<[RegExp, Topic]> = [
  [/thủy cung/i, 'culture_media'],
  [/đèn giao thông/i, 'transport'],
  [/cúp nước/i, 'water_supply'],
];

// Labels by keyword, so the test is about the pages, not the model.
const classifier: Classifier = {
  async classify(text) {
    const press = /phóng viên/i.test(text);
    const topic = press ? 'health' : TOPIC_WORDS.find(([words]) => words.test(text))?.[1];
    const confidence = topic ? 0.9 : 0.2;
    return {
      intent: press ? 'press' : 'feedback',
      topic: topic ?? 'general',
      confidence,
      intentConfidence: confidence,
      topicConfidence: confidence,
      entities: { ...extractEntities(text), language: 'vi' },
      source: 'builtin',
    };
  },
};

describeIf(REQUIRES.chromium, 'console pages in Chromium', () => {
  let t: TestHotline;
  let browser: Browser;
  let context: BrowserContext;
  let pageErrors: string[];
  const db = () => t.hotline.db.prisma;

  beforeAll(async () => {
    [t, browser] = await Promise.all([
      startTestHotline({ classifier }),
      launchChromium(),
    ]);
    for (const [i, text] of MESSAGES.entries()) {
      const { token } = await newSession(t);
      const chat = await ChatClient.connect(t, token);
      await chat.sendAndFile(`seed${i}`, text);
      await chat.close();
    }
    // One ticket answered (a first response and an on-time rate to show); the others opened on
    // earlier days, so the per-day chart has more than one bar.
    const tickets = await db().ticket.findMany({ orderBy: { createdAt: 'asc' } });
    const admin = await staffLogin(t, 'admin@hotline.local');
    const replied = await api(t, admin, 'POST', `/tickets/${tickets[0]!.trackingCode}/replies`, { text: 'Thủy cung mở cửa lại từ thứ bảy; xin lỗi vì đã không báo trước.' });
    expect(replied.status).toBe(201);
    for (const [i, ticket] of tickets.slice(1).entries()) {
      await db().ticket.update({ where: { id: ticket.id }, data: { createdAt: new Date(ticket.createdAt.getTime() - (i + 1) * 2 * 86_400_000) } });
    }
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', bypassCSP: true });
    context.setDefaultTimeout(WAIT);
    pageErrors = [];
    context.on('page', (page) => {
      page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
      // The pages ask before publishing or cancelling: the staff member says yes.
      page.on('dialog', (dialog) => void dialog.accept());
    });
  });
  afterEach(async () => {
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  async function signIn(email: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${t.baseUrl}/console/`);
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="password"]', 'demo1022');
    await page.click(byTestId('sign-in'));
    await page.locator(byTestId('sign-out')).waitFor();
    return page;
  }

  /** Opens a console page through the navigation's router (a full load also works: the server answers index.html). */
  async function open(page: Page, address: string, ready: string): Promise<void> {
    await page.goto(`${t.baseUrl}/console/${address}`);
    await page.locator(ready).first().waitFor();
  }

  /** Picks an option of a Mantine Select or MultiSelect by its label. */
  async function choose(page: Page, label: string, option: string): Promise<void> {
    await page.getByRole('textbox', { name: label }).click();
    await page.getByRole('option', { name: option }).first().click();
  }

  it('draws the dashboard from the tickets: every chart with bars, a caption and a table', async () => {
    const page = await signIn('admin@hotline.local');
    await open(page, 'dashboard', byTestId('dashboard-stats'));
    await eventually(async () => (await page.locator(byTestId('stat-tickets')).textContent())?.includes(String(MESSAGES.length)));
    for (const chart of ['chart-per-day', 'chart-intent', 'chart-topic', 'chart-agency']) {
      const card = page.locator(byTestId(chart));
      await card.locator('.recharts-bar-rectangle').first().waitFor();
      // The same figures for screen readers: a caption and the table behind "as a table".
      expect(await card.getAttribute('aria-describedby')).toBeTruthy();
      expect(await card.locator('table tbody tr').count()).toBeGreaterThan(0);
    }
    expect(await page.locator(byTestId('chart-per-day-summary')).textContent()).toContain(`${MESSAGES.length} phản ánh`);
    expect(await page.locator(byTestId('chart-topic')).locator('table').textContent()).toContain(vi.topics.culture_media);
    await page.screenshot({ path: SCREENSHOT, animations: 'disabled', fullPage: false });

    // The period report of this month: the table, its CSV and its printable page.
    await open(page, 'reports', byTestId('report-table'));
    expect(await page.locator(byTestId('report-table')).textContent()).toContain(vi.reports.requests);
    const csv = await page.request.get(`${t.baseUrl}${await page.locator(byTestId('report-csv')).getAttribute('href')}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    const print = await page.request.get(`${t.baseUrl}${await page.locator(byTestId('report-print')).getAttribute('href')}`);
    expect(print.status()).toBe(200);
    expect(print.headers()['content-type']).toMatch(/^text\/html/);
  });

  it('lets an admin create an agency and a staff account, and test a text in the routing box', async () => {
    const page = await signIn('admin@hotline.local');
    await open(page, 'admin/agencies', byTestId('agency-form'));
    const form = page.locator(byTestId('agency-form'));
    await form.getByLabel(vi.admin.agencies.slug).fill('ban-quan-ly-cho');
    await form.getByLabel(vi.admin.agencies.name).fill('Ban Quản lý chợ Bến Thành');
    await form.getByLabel(vi.admin.agencies.nameEn).fill('Ben Thanh Market Board');
    await page.click(byTestId('agency-create'));
    await page.locator(byTestId('agencies')).getByText('Ban Quản lý chợ Bến Thành').waitFor();
    expect(await db().agency.findUnique({ where: { slug: 'ban-quan-ly-cho' } })).toMatchObject({ name: 'Ban Quản lý chợ Bến Thành', active: true });

    await open(page, 'admin/staff', byTestId('staff-form'));
    const staff = page.locator(byTestId('staff-form'));
    await staff.getByLabel(vi.admin.staff.email).fill('chobenthanh@hotline.local');
    await staff.getByLabel(vi.admin.staff.displayName).fill('Trần Thu Hà');
    await choose(page, vi.admin.staff.agency, 'Ban Quản lý chợ Bến Thành');
    await page.click(byTestId('staff-create'));
    const password = (await page.locator(byTestId('one-time-password')).textContent())!.trim();
    expect(password).toMatch(/^[A-Za-z0-9]{12,}$/);
    await page.getByRole('button', { name: vi.admin.staff.passwordDone }).click();
    await page.locator(byTestId('staff')).getByText('chobenthanh@hotline.local').waitFor();
    const account = await db().staffUser.findUniqueOrThrow({ where: { email: 'chobenthanh@hotline.local' }, include: { agency: true } });
    expect(account).toMatchObject({ role: 'agency_staff', mustChangePassword: true, agency: { slug: 'ban-quan-ly-cho' } });

    await open(page, 'admin/routing', byTestId('routing-test-text'));
    await page.fill(byTestId('routing-test-text'), MESSAGES[0]!);
    await page.click(byTestId('routing-test'));
    const result = page.locator(byTestId('routing-test-result'));
    await result.waitFor();
    expect(await result.textContent()).toContain(vi.topics.culture_media);
    const seededRule = await db().routingRule.findFirstOrThrow({ where: { topic: 'culture_media', active: true }, orderBy: { position: 'asc' }, include: { agency: true } });
    expect(await page.locator(byTestId('routing-test-agency')).textContent()).toContain(seededRule.agency.name);
    expect(await page.locator(byTestId('routing-test-rule')).textContent()).toContain(seededRule.name);
  });

  it('gives an agency lead their agency’s staff page, and only that agency’s people', async () => {
    await db().staffUser.update({ where: { email: 'so-xay-dung@hotline.local' }, data: { isLead: true } });
    const page = await signIn('so-xay-dung@hotline.local');
    const nav = page.getByRole('navigation');
    await nav.getByRole('link', { name: vi.admin.nav.staff }).click();
    await page.locator(byTestId('staff')).waitFor();
    const listed = await page.locator(byTestId('staff')).textContent();
    expect(listed).toContain('so-xay-dung@hotline.local');
    expect(listed).not.toContain('dien-luc@hotline.local');
    expect(await nav.getByRole('link', { name: vi.admin.nav.agencies }).count()).toBe(0);
  });

  it('lets a press officer create a press conference, see a registrant and publish an announcement', async () => {
    const page = await signIn('trung-tam-bao-chi@hotline.local');
    await open(page, 'press/events', byTestId('event-new'));
    await page.click(byTestId('event-new'));
    const form = page.locator(byTestId('event-form'));
    const local = (hoursFromNow: number) => {
      // The browser runs in Asia/Ho_Chi_Minh (UTC+7): datetime-local takes its wall-clock time.
      const d = new Date(Date.now() + hoursFromNow * 3_600_000 + 7 * 3_600_000);
      return d.toISOString().slice(0, 16);
    };
    await form.getByLabel(vi.press.events.titleVi).fill('Họp báo quý IV về chuyển đổi số');
    await form.getByLabel(vi.press.events.titleEn).fill('Q4 press conference on digital transformation');
    await form.getByLabel(vi.press.events.startsAt).fill(local(72));
    await form.getByLabel(vi.press.events.deadline).fill(local(48));
    await form.getByLabel(vi.press.events.place).fill('Hội trường UBND Thành phố');
    await form.getByLabel(vi.press.events.capacity).fill('40');
    await page.click(byTestId('event-save'));
    const link = page.locator(byTestId('press-events')).getByRole('link', { name: 'Họp báo quý IV về chuyển đổi số' });
    await link.waitFor();
    const event = await db().pressEvent.findFirstOrThrow({ where: { titleVi: 'Họp báo quý IV về chuyển đổi số' } });
    expect(event).toMatchObject({ place: 'Hội trường UBND Thành phố', capacity: 40 });

    // A journalist registers in the conversation (the bot calls register(); the test does it directly).
    const journalist = await newSession(t);
    const contact = await db().contact.findUniqueOrThrow({ where: { channel_channelUserId: { channel: 'webchat', channelUserId: journalist.sessionId } } });
    await db().$transaction(async (tx) => {
      await savePressProfile(tx, contact.id, { name: 'Lê Minh Khoa', newsroom: 'Báo Thanh Niên', pressCardNumber: 'TN-1187' });
      await register(tx, event.id, contact.id);
      await subscribe(tx, contact.id, 'press_releases');
    });
    await link.click();
    await page.locator(byTestId('registrations')).getByText('Lê Minh Khoa').waitFor();
    expect(await page.locator(byTestId('registrations')).textContent()).toContain('Báo Thanh Niên');
    const csv = await page.request.get(`${t.baseUrl}${await page.locator(byTestId('registrations-csv')).getAttribute('href')}`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('Lê Minh Khoa,Báo Thanh Niên,TN-1187');

    await open(page, 'press/announcements', byTestId('announcement-form'));
    const compose = page.locator(byTestId('announcement-form'));
    await compose.getByLabel(vi.press.announcements.titleVi).fill('Lịch tiếp công dân tháng 12');
    await compose.getByLabel(vi.press.announcements.titleEn).fill('December citizen reception schedule');
    await compose.getByLabel(vi.press.announcements.bodyVi).fill('Lãnh đạo Thành phố tiếp công dân vào thứ năm hằng tuần.');
    await compose.getByLabel(vi.press.announcements.bodyEn).fill('City leaders receive citizens every Thursday.');
    await page.click(byTestId('announcement-create'));
    const row = page.locator(byTestId('announcement')).filter({ hasText: 'Lịch tiếp công dân tháng 12' });
    await row.locator(byTestId('announcement-publish')).click();
    // The delivery counts come from the messages stored for the one subscriber.
    await eventually(async () => (await row.locator(byTestId('announcement-counts')).textContent())?.startsWith('1 đã tạo'));
    const announcement = await db().announcement.findFirstOrThrow({ where: { titleVi: 'Lịch tiếp công dân tháng 12' } });
    expect(announcement.publishedAt).not.toBeNull();
    expect(announcement.storedCount).toBe(1);
  });

  it('lets a press officer ask an agency for its part of a press request and send the consolidated answer', async () => {
    const { token } = await newSession(t);
    const reporter = await ChatClient.connect(t, token);
    const filed = await reporter.sendAndFile('press1', PRESS_QUESTION);
    const code = /\b([A-Z]{2,4}-\d{2}-[0-9A-Z]{5})\b/.exec(String(filed.text))![1]!;
    const page = await signIn('trung-tam-bao-chi@hotline.local');
    await open(page, 'press/requests', byTestId('press-requests'));
    await page.locator(byTestId('press-requests')).getByRole('link', { name: code }).click();
    await page.locator(byTestId('subtasks')).waitFor();
    await page.getByRole('textbox', { name: vi.press.request.askAgencies }).click();
    await page.getByRole('option', { name: 'Sở Y tế' }).click();
    await page.keyboard.press('Escape');
    await page.getByLabel(vi.press.request.question).fill('Số ca sốt xuất huyết tháng này và các đợt phun thuốc sắp tới?');
    await page.getByRole('button', { name: vi.press.request.askSubmit }).click();
    await page.locator(byTestId('subtask')).filter({ hasText: 'Sở Y tế' }).waitFor();

    // The health department answers its part in its own inbox.
    const health = await staffLogin(t, 'so-y-te@hotline.local');
    const inbox = await api<Array<{ id: string; ticket: { trackingCode: string } }>>(t, health, 'GET', '/subtasks');
    const part = inbox.body.find((s) => s.ticket.trackingCode === code)!;
    expect((await api(t, health, 'POST', `/subtasks/${part.id}/answer`, { text: 'Tháng này có 412 ca, giảm 18%; phun thuốc ở 5 phường từ thứ hai.' })).status).toBe(200);
    await page.reload();
    await page.locator(byTestId('subtask')).filter({ hasText: '412 ca' }).waitFor();
    await page.getByRole('button', { name: vi.press.request.fromParts }).click();
    expect(await page.getByLabel(vi.press.request.answerText).inputValue()).toBe('Sở Y tế: Tháng này có 412 ca, giảm 18%; phun thuốc ở 5 phường từ thứ hai.');
    await page.getByRole('button', { name: vi.press.request.send }).click();
    // The reporter gets the consolidated answer in the web chat.
    const answer = await reporter.waitFor((f) => f.type === 'message' && f.from === 'agent');
    await reporter.close();
    expect(String(answer.text)).toContain('412 ca');
  });

  it('labels every field and names every button on each page, and fits a 390 px phone', async () => {
    const page = await signIn('admin@hotline.local');
    const ticket = await db().ticket.findFirstOrThrow({ orderBy: { createdAt: 'asc' } });
    const event = await db().pressEvent.findFirstOrThrow();
    const draft = await db().draftDocument.findFirstOrThrow();
    const pages: Array<[string, string]> = [
      ['dashboard', byTestId('dashboard-stats')],
      ['reports', byTestId('report-table')],
      ['press/requests', byTestId('press-requests')],
      [`press/requests/${ticket.trackingCode}`, byTestId('subtasks')],
      ['press/profiles', byTestId('press-profiles')],
      ['press/events', byTestId('press-events')],
      [`press/events/${event.id}`, byTestId('registrations')],
      ['press/announcements', byTestId('announcements')],
      ['press/drafts', byTestId('drafts')],
      [`press/drafts/${draft.id}`, byTestId('draft-comments')],
      ['press/published', byTestId('published')],
      ['admin/agencies', byTestId('agencies')],
      ['admin/staff', byTestId('staff')],
      ['admin/routing', byTestId('routing-rules')],
      ['admin/knowledge', byTestId('knowledge')],
      ['admin/calendar', byTestId('calendar-days')],
      ['admin/canned-answers', 'h2'],
    ];
    const problems: string[] = [];
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 844 });
      for (const [address, ready] of pages) {
        await open(page, address, ready);
        if (width === 1280) {
          await page.addScriptTag({ path: AXE });
          const violations = await page.evaluate(async (rules) => {
            type Result = { id: string; nodes: Array<{ target: string[] }> };
            const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Result[]; passes: Result[] }> } }).axe;
            const result = await axe.run(document, { runOnly: { type: 'rule', values: rules } });
            return {
              checked: result.passes.reduce((n, p) => n + p.nodes.length, 0),
              found: result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
            };
          }, AXE_RULES);
          // Buttons and fields were there to check: axe ran on the page, not on an empty frame.
          if (violations.checked === 0) problems.push(`${address}: axe checked nothing`);
          for (const v of violations.found) problems.push(`${address}: ${v}`);
        } else {
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (overflow > 0) problems.push(`${address}: ${overflow}px wider than a 390px screen`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
