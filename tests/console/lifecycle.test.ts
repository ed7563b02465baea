// Every staff action on a ticket, through the console API: the status it leaves, the audit event,
// and the bot message the person gets on their channel (web chat, Telegram) in their language.
// Also merging duplicates and the overdue flag and filter.
import { createTranslator, type Locale, type Translator } from '../../src/i18n';
import { FakeTelegram, textUpdate } from '../helpers/fake-telegram';
import { api, ChatClient, eventually, newSession, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;
const SECRET = 'telegram-secret-for-the-lifecycle-tests';

interface Agency {
  id: string;
  slug: string;
  name: string;
  nameEn: string;
}
interface Detail {
  ticket: { status: string; overdue: boolean; duplicateOfId: string | null; duplicateOfCode: string | null; answeredAt: string | null; closedAt: string | null };
  events: Array<{ kind: string; fromStatus: string | null; toStatus: string | null; actorId: string | null; data: Record<string, unknown> }>;
  messages: Array<{ author: string; text: string; ticketId: string | null; delivery: string }>;
}

describe('ticket lifecycle through the console', () => {
  let t: TestHotline;
  let fake: FakeTelegram;
  let translator: Translator;
  let operator: string;
  let agencies: Agency[];
  let chatId = 770_000_000;
  let updateId = 5000;

  const agency = (slug: string) => agencies.find((a) => a.slug === slug)!;
  const staff: Record<string, string> = {};
  const login = async (slug: string) => (staff[slug] ??= await staffLogin(t, `${slug}@hotline.local`));
  const tell = (locale: Locale, key: string, vars: Record<string, unknown>) => translator.t(locale, `notify:${key}`, vars);
  const detail = async (code: string) => (await api<Detail>(t, operator, 'GET', `/tickets/${code}`)).body;
  const lastEvent = async (code: string) => (await detail(code)).events.filter((e) => e.kind !== 'viewed').at(-1)!;

  /** A person on web chat with a request open (in triage: these tests run without a classifier). */
  async function webPerson(locale: Locale, text: string) {
    const { token } = await newSession(t, locale);
    const chat = await ChatClient.connect(t, token);
    await chat.sendMessage('m1', text);
    const opened = await chat.waitFor((f) => f.type === 'message' && CODE.test(String(f.text)));
    const code = CODE.exec(String(opened.text))![1]!;
    /** Waits for this bot message on the socket. */
    const told = (text: string) => chat.waitFor((f) => f.type === 'message' && f.from === 'bot' && f.text === text);
    return { chat, code, told };
  }

  /** A person on Telegram with a request open. */
  async function telegramPerson(locale: Locale, text: string) {
    const chat = String(++chatId);
    const update = textUpdate(++updateId, chat, ++updateId, text, { from: { id: Number(chat), is_bot: false, first_name: 'Lan', language_code: locale } });
    const res = await fetch(`${t.baseUrl}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(200);
    const opened = await eventually(async () => fake.sent(chat).find((c) => CODE.test(String(c.body.text ?? ''))));
    const code = CODE.exec(String(opened.body.text))![1]!;
    const told = (text: string) => eventually(async () => fake.sent(chat).find((c) => c.body.text === text));
    return { chat, code, told };
  }

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    t = await startTestHotline({
      env: {
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_BASE: fake.url,
        // The test sets overdue marks itself; the timer's own sweep stays out of the way.
        OVERDUE_SWEEP_SECONDS: '86400',
      },
    });
    translator = await createTranslator();
    operator = await staffLogin(t, 'operator@hotline.local');
    agencies = (await api<Agency[]>(t, operator, 'GET', '/agencies')).body;
  });
  afterAll(async () => {
    await t.stop();
    await fake.stop();
  });

  it('assigns from triage, transfers, takes on, answers and closes, telling the person each time (web chat, Vietnamese)', async () => {
    const { chat, code, told } = await webPerson('vi', 'Hố ga mất nắp trên đường Lê Lợi');
    const health = agency('so-y-te');
    const construction = agency('so-xay-dung');

    const assigned = await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: health.id, reason: 'Theo nội dung' });
    expect(assigned).toMatchObject({ status: 200, body: { status: 'assigned', agencyId: health.id } });
    expect(await lastEvent(code)).toMatchObject({ kind: 'assigned', fromStatus: 'triage', toStatus: 'assigned', data: { reason: 'Theo nội dung' } });
    await told(tell('vi', 'assigned', { code, agency: health.name }));

    // Misrouted: the agency moves it on; it stays `transferred` until the new agency takes it.
    const moved = await api(t, await login('so-y-te'), 'POST', `/tickets/${code}/assign`, { agencyId: construction.id, reason: 'Không thuộc ngành y tế' });
    expect(moved).toMatchObject({ status: 200, body: { status: 'transferred', agencyId: construction.id } });
    expect(await lastEvent(code)).toMatchObject({ kind: 'transferred', fromStatus: 'assigned', toStatus: 'transferred', data: { fromAgencyId: health.id, toAgencyId: construction.id } });
    const transferredText = tell('vi', 'transferred', { code, agency: construction.name });
    expect(transferredText).toContain(code);
    await told(transferredText);

    const builder = await login('so-xay-dung');
    const taken = await api(t, builder, 'POST', `/tickets/${code}/status`, { status: 'in_progress' });
    expect(taken).toMatchObject({ status: 200, body: { status: 'in_progress' } });
    expect(await lastEvent(code)).toMatchObject({ kind: 'status_changed', fromStatus: 'transferred', toStatus: 'in_progress' });
    await told(tell('vi', 'in_progress', { code, agency: construction.name }));

    // An answer is its own message (with the "did it solve it?" buttons); no extra notice.
    expect((await api(t, builder, 'POST', `/tickets/${code}/replies`, { text: 'Đã lắp nắp hố ga mới.' })).status).toBe(201);
    await chat.waitFor((f) => f.type === 'message' && f.from === 'agent' && String(f.text).includes('Đã lắp nắp hố ga mới.'));
    const answered = await detail(code);
    expect(answered.ticket).toMatchObject({ status: 'answered', answeredAt: expect.any(String), closedAt: null });

    const closed = await api(t, builder, 'POST', `/tickets/${code}/status`, { status: 'closed' });
    expect(closed).toMatchObject({ status: 200, body: { status: 'closed' } });
    expect(await lastEvent(code)).toMatchObject({ kind: 'status_changed', fromStatus: 'answered', toStatus: 'closed' });
    await told(tell('vi', 'closed', { code }));

    // Reopened by staff: the person hears that too, and the ticket takes work again.
    expect((await api(t, builder, 'POST', `/tickets/${code}/status`, { status: 'reopened' })).body).toMatchObject({ status: 'reopened' });
    await told(tell('vi', 'reopened', { code, agency: construction.name }));
    expect((await detail(code)).ticket).toMatchObject({ status: 'reopened', answeredAt: null, closedAt: null });

    // Every notice is a bot message of this ticket, stored and delivered like any other.
    const texts = [
      tell('vi', 'assigned', { code, agency: health.name }),
      transferredText,
      tell('vi', 'in_progress', { code, agency: construction.name }),
      tell('vi', 'closed', { code }),
      tell('vi', 'reopened', { code, agency: construction.name }),
    ];
    const bot = (await detail(code)).messages.filter((m) => m.author === 'bot' && texts.includes(m.text));
    expect(bot.map((m) => m.text)).toEqual(texts);
    expect(bot.every((m) => m.ticketId !== null)).toBe(true);
    // Marked sent once the channel took it (just after the socket got it).
    await eventually(async () => {
      const stored = (await detail(code)).messages.filter((m) => m.author === 'bot' && texts.includes(m.text));
      return stored.every((m) => ['sent', 'delivered', 'seen'].includes(m.delivery));
    });
    await chat.close();
  });

  it('speaks the person’s language: a transfer and a return to the operators in English on web chat', async () => {
    const { chat, code, told } = await webPerson('en', 'The drain cover is missing on Le Loi street');
    const power = agency('dien-luc');
    const water = agency('cap-nuoc');
    await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: power.id, reason: 'Điện' });
    await told(tell('en', 'assigned', { code, agency: power.nameEn }));
    await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: water.id, reason: 'Nước' });
    const transferred = tell('en', 'transferred', { code, agency: water.nameEn });
    expect(transferred).toMatch(/^Your request/);
    await told(transferred);
    // Back to the operators' triage: the ticket is in triage again.
    const triage = agencies.find((a) => (a as Agency & { isTriage: boolean }).isTriage)!;
    const back = await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: triage.id, reason: 'Chưa rõ đơn vị' });
    expect(back).toMatchObject({ status: 200, body: { status: 'triage' } });
    expect(await lastEvent(code)).toMatchObject({ kind: 'transferred', fromStatus: 'transferred', toStatus: 'triage' });
    await told(tell('en', 'returned_to_triage', { code, agency: triage.nameEn }));
    await chat.close();
  });

  it('rejects with the reason told to the person on Telegram, in English', async () => {
    const { code, told } = await telegramPerson('en', 'I want to complain about my neighbour’s karaoke every night');
    expect((await api(t, operator, 'POST', `/tickets/${code}/status`, { status: 'rejected' })).status).toBe(400); // no reason
    const reason = 'Thuộc thẩm quyền UBND phường, vui lòng liên hệ phường';
    const rejected = await api(t, operator, 'POST', `/tickets/${code}/status`, { status: 'rejected', reason });
    expect(rejected).toMatchObject({ status: 200, body: { status: 'rejected' } });
    expect(await lastEvent(code)).toMatchObject({ kind: 'status_changed', fromStatus: 'triage', toStatus: 'rejected', data: { reason } });
    const sent = await told(tell('en', 'rejected', { code, reason }));
    expect(String(sent.body.text)).toContain(reason);
    // Stored as the bot's message of this ticket, marked sent once Telegram accepted it.
    await eventually(async () => (await detail(code)).messages.find((m) => m.text === sent.body.text && m.author === 'bot' && m.ticketId && m.delivery === 'sent'));
    expect((await detail(code)).ticket.closedAt).not.toBeNull();
    // Final: no more moves.
    expect(await api(t, operator, 'POST', `/tickets/${code}/status`, { status: 'in_progress' })).toMatchObject({ status: 409, body: { error: 'invalid_transition' } });
  });

  it('tells the person on Telegram when the ticket is assigned, in Vietnamese', async () => {
    const { code, told } = await telegramPerson('vi', 'Đèn đường hỏng trước số 10 Nguyễn Huệ');
    const power = agency('dien-luc');
    await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: power.id, reason: 'Điện chiếu sáng' });
    await told(tell('vi', 'assigned', { code, agency: power.name }));
  });

  it('lets only one of two simultaneous moves through, and tells the person once', async () => {
    const { chat, code, told } = await webPerson('vi', 'Cây xanh ngã đè lên dây điện');
    const power = agency('dien-luc');
    await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: power.id, reason: 'Điện' });
    const worker = await login('dien-luc');
    const both = await Promise.all([
      api(t, worker, 'POST', `/tickets/${code}/status`, { status: 'in_progress' }),
      api(t, worker, 'POST', `/tickets/${code}/status`, { status: 'in_progress' }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    await told(tell('vi', 'in_progress', { code, agency: power.name }));
    const d = await detail(code);
    expect(d.events.filter((e) => e.toStatus === 'in_progress')).toHaveLength(1);
    expect(d.messages.filter((m) => m.text === tell('vi', 'in_progress', { code, agency: power.name }))).toHaveLength(1);
    await chat.close();
  });

  describe('merging a duplicate', () => {
    it('marks the ticket duplicate of the other, keeps its messages, and gives the person the other code', async () => {
      const first = await webPerson('vi', 'Rác ùn ứ ở chợ Bến Thành');
      const second = await webPerson('en', 'Garbage piling up at Ben Thanh market');
      const merged = await api(t, operator, 'POST', `/tickets/${second.code}/merge`, { into: first.code, reason: 'Cùng điểm rác' });
      expect(merged).toMatchObject({ status: 200, body: { trackingCode: second.code, status: 'duplicate', duplicateOf: first.code } });
      const told = tell('en', 'duplicate', { code: second.code, into: first.code });
      expect(told).toContain(first.code);
      await second.told(told);

      const dup = await detail(second.code);
      const target = await detail(first.code);
      expect(dup.ticket).toMatchObject({ status: 'duplicate', duplicateOfCode: first.code, closedAt: expect.any(String) });
      expect(dup.ticket.duplicateOfId).not.toBeNull();
      expect(dup.events.find((e) => e.kind === 'marked_duplicate')).toMatchObject({ fromStatus: 'triage', toStatus: 'duplicate', data: { intoCode: first.code, reason: 'Cùng điểm rác' } });
      // The person's own message stays with their (now duplicate) ticket.
      expect(dup.messages.filter((m) => m.author === 'person' && m.ticketId !== null)).toHaveLength(1);
      expect(target.events.filter((e) => e.kind === 'merged')).toEqual([
        expect.objectContaining({ fromStatus: null, toStatus: null, data: expect.objectContaining({ fromCode: second.code, reason: 'Cùng điểm rác' }) }),
      ]);
      expect(target.ticket.status).toBe('triage');
      // Staff cannot reply to the duplicate any more, nor merge it again.
      expect((await api(t, operator, 'POST', `/tickets/${second.code}/replies`, { text: 'x' })).status).toBe(409);
      expect(await api(t, operator, 'POST', `/tickets/${second.code}/merge`, { into: first.code })).toMatchObject({
        status: 409,
        body: { error: 'ticket_closed' },
      });
      // Nor merge another ticket into the duplicate.
      const third = await webPerson('vi', 'Rác ở chợ Bến Thành chưa được dọn');
      expect(await api(t, operator, 'POST', `/tickets/${third.code}/merge`, { into: second.code })).toMatchObject({
        status: 409,
        body: { error: 'target_closed' },
      });
      await Promise.all([first.chat.close(), second.chat.close(), third.chat.close()]);
    });

    it('refuses merging into itself, into unknown or unseen tickets, and a bad body', async () => {
      const a = await webPerson('vi', 'Nước máy có mùi lạ ở quận 3');
      const b = await webPerson('vi', 'Nước máy đục ở quận 3');
      expect(await api(t, operator, 'POST', `/tickets/${a.code}/merge`, { into: a.code })).toMatchObject({ status: 400, body: { error: 'same_ticket' } });
      expect(await api(t, operator, 'POST', `/tickets/${a.code}/merge`, { into: a.code.toLowerCase() })).toMatchObject({ status: 400 });
      expect(await api(t, operator, 'POST', `/tickets/${a.code}/merge`, { into: 'HCM-26-ZZZZZ' })).toMatchObject({ status: 404, body: { error: 'target_not_found' } });
      expect(await api(t, operator, 'POST', `/tickets/${a.code}/merge`, { into: 'not a code!' })).toMatchObject({ status: 404, body: { error: 'target_not_found' } });
      expect((await api(t, operator, 'POST', `/tickets/${a.code}/merge`, {})).status).toBe(400);
      expect((await api(t, operator, 'POST', `/tickets/${a.code}/merge`, { into: b.code, extra: 1 })).status).toBe(400);
      // Agency staff merge only within their inbox: another agency's ticket is not found.
      const water = agency('cap-nuoc');
      await api(t, operator, 'POST', `/tickets/${a.code}/assign`, { agencyId: water.id, reason: 'Nước' });
      const waterStaff = await login('cap-nuoc');
      expect(await api(t, waterStaff, 'POST', `/tickets/${a.code}/merge`, { into: b.code })).toMatchObject({ status: 404, body: { error: 'target_not_found' } });
      expect(await api(t, waterStaff, 'POST', `/tickets/${b.code}/merge`, { into: a.code })).toMatchObject({ status: 404, body: { error: 'ticket_not_found' } });
      await api(t, operator, 'POST', `/tickets/${b.code}/assign`, { agencyId: water.id, reason: 'Nước' });
      expect(await api(t, waterStaff, 'POST', `/tickets/${b.code}/merge`, { into: a.code })).toMatchObject({ status: 200, body: { status: 'duplicate' } });
      await b.told(tell('vi', 'duplicate', { code: b.code, into: a.code }));
      expect((await detail(a.code)).ticket.status).toBe('assigned');
      await Promise.all([a.chat.close(), b.chat.close()]);
    });
  });

  it('flags overdue open tickets in the list and detail, and filters on ?overdue', async () => {
    const late = await webPerson('vi', 'Vỉa hè bị lấn chiếm ở đường Pasteur');
    const onTime = await webPerson('vi', 'Vỉa hè bị lấn chiếm ở đường Nam Kỳ Khởi Nghĩa');
    const answeredLate = await webPerson('vi', 'Vỉa hè bị lấn chiếm ở đường Hai Bà Trưng');
    const db = t.hotline.db.prisma;
    // The marks the overdue sweep sets (tests/tickets/overdue.test.ts covers the sweep itself).
    await db.ticket.update({ where: { trackingCode: late.code }, data: { acceptOverdueAt: new Date() } });
    await db.ticket.update({ where: { trackingCode: answeredLate.code }, data: { answerOverdueAt: new Date() } });
    expect((await api(t, operator, 'POST', `/tickets/${answeredLate.code}/replies`, { text: 'Đã xử lý.' })).status).toBe(201);

    type Row = { trackingCode: string; overdue: boolean; status: string; dueAt: string };
    const all = (await api<{ items: Row[] }>(t, operator, 'GET', '/tickets?limit=100')).body.items;
    const row = (code: string) => all.find((r) => r.trackingCode === code)!;
    expect(row(late.code)).toMatchObject({ overdue: true, status: 'triage', dueAt: expect.any(String) });
    expect(row(onTime.code).overdue).toBe(false);
    expect(row(answeredLate.code)).toMatchObject({ overdue: false, status: 'answered' }); // answered: no longer open

    const overdue = (await api<{ items: Row[] }>(t, operator, 'GET', '/tickets?overdue=true&limit=100')).body.items;
    expect(overdue.map((r) => r.trackingCode)).toContain(late.code);
    expect(overdue.map((r) => r.trackingCode)).not.toContain(onTime.code);
    expect(overdue.map((r) => r.trackingCode)).not.toContain(answeredLate.code);
    expect(overdue.every((r) => r.overdue)).toBe(true);
    const others = (await api<{ items: Row[] }>(t, operator, 'GET', '/tickets?overdue=false&limit=100')).body.items;
    expect(others.map((r) => r.trackingCode)).toEqual(expect.arrayContaining([onTime.code, answeredLate.code]));
    expect(others.some((r) => r.overdue)).toBe(false);
    expect((await api(t, operator, 'GET', '/tickets?overdue=maybe')).status).toBe(400);

    expect((await detail(late.code)).ticket.overdue).toBe(true);
    expect((await detail(onTime.code)).ticket.overdue).toBe(false);

    // Documented at /docs.
    const spec = (await (await fetch(`${t.baseUrl}/docs/json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; description?: string }> }>>;
    };
    expect(spec.paths['/api/tickets/{code}/merge']).toBeDefined();
    const list = spec.paths['/api/tickets']!.get!;
    expect(list.parameters!.find((p) => p.name === 'overdue')!.description).toMatch(/overdue/i);
    await Promise.all([late.chat.close(), onTime.chat.close(), answeredLate.chat.close()]);
  });
});
