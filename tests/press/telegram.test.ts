// The press center through the Telegram fake, where reporters mostly are: registering for a press
// conference with one tap and being reminded the day before (on a fake clock); a request with a
// deadline, two agencies' parts and the consolidated answer, then published and found on /hoi-dap
// and through the bot; a draft comment and its GY- code; publication consent asked and given with
// a tap; subscribing by topic and an announcement fanned out to 50 subscribers while Telegram
// answers 429 in the middle: nobody gets it twice, nobody is skipped, the counts add up, and a stop
// during the platform's pause withholds what was not sent.
import { readNamespace } from '../../src/i18n';
import { FAILURES, FakeTelegram, textUpdate, type RecordedCall } from '../helpers/fake-telegram';
import { api, eventually, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

const SECRET = 'telegram-secret-for-the-press-tests';
const HOUR = 60 * 60 * 1000;
const SUBSCRIBERS = 50;

interface Counts {
  stored: number;
  sent: number;
  pending: number;
  failed: number;
  withheld: number;
}

/** A text of locales/<locale>/press.json with its placeholders cut out: the parts a reply must contain. */
function pressParts(locale: 'vi' | 'en', key: string): string[] {
  let node: unknown = readNamespace(locale, 'press');
  for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
  return String(node).split(/\{\{\w+\}\}/).map((s) => s.trim()).filter((s) => s.length >= 6);
}

describe('the press center on Telegram', () => {
  let fake: FakeTelegram;
  let t: TestHotline;
  let press: string;
  let updateId = 1;
  const db = () => t.hotline.db.prisma;

  /** One person in a private chat with the bot: typed lines and taps, as Telegram sends them. */
  function person(chatId: string, locale: 'vi' | 'en' = 'vi') {
    const from = { id: Number(chatId), is_bot: false, first_name: 'Lan', language_code: locale };
    let seen = 0;
    const post = async (update: object) => {
      const res = await fetch(`${t.baseUrl}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify(update),
      });
      expect(res.status).toBe(200);
    };
    const next = async (): Promise<RecordedCall> => {
      const call = await eventually(async () => fake.sent(chatId)[seen]);
      seen += 1;
      return call;
    };
    return {
      chatId,
      next,
      async say(text: string) {
        seen = fake.sent(chatId).length;
        await post(textUpdate(++updateId, chatId, ++updateId, text, { from }));
        return next();
      },
      /** Taps a button of the bot's message `on` (as Telegram sends a callback query). */
      async tap(on: RecordedCall, label: RegExp | string) {
        const rows = (on.body.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard;
        const button = rows.flat().find((b) => (typeof label === 'string' ? b.text === label : label.test(b.text)));
        if (!button) throw new Error(`no button ${label} in ${JSON.stringify(rows)}`);
        seen = fake.sent(chatId).length;
        await post({
          update_id: ++updateId,
          callback_query: {
            id: `cb-${updateId}`,
            from,
            message: { message_id: on.messageId, date: 1767225600, chat: { id: Number(chatId), type: 'private' } },
            data: button.callback_data,
          },
        });
        return next();
      },
    };
  }
  const text = (call: RecordedCall) => String(call.body.text ?? '');

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    t = await startTestHotline({
      env: {
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_API_BASE: fake.url,
        TELEGRAM_CHAT_INTERVAL_MS: '0',
        LIMIT_CHANNEL_MESSAGES_PER_SENDER: '1000',
      },
    });
    press = await staffLogin(t, 'trung-tam-bao-chi@hotline.local');
  });
  afterAll(async () => {
    await t.stop();
    await fake.stop();
  });

  it('registers a reporter with one tap and reminds them once, the day before, in their language', async () => {
    const startsAt = new Date(Date.now() + 72 * HOUR);
    const created = await api<{ id: string }>(t, press, 'POST', '/press/events', {
      titleVi: 'Họp báo về an toàn thực phẩm dịp Tết',
      titleEn: 'Press conference on food safety at Tet',
      startsAt: startsAt.toISOString(),
      place: 'Trung tâm Báo chí, 59 Lý Tự Trọng',
      registrationDeadline: new Date(startsAt.getTime() - 12 * HOUR).toISOString(),
      onlineLink: 'https://example.test/live/food-safety',
    });
    expect(created.status).toBe(201);

    const lan = person('770000001', 'vi');
    const calendar = await lan.say('lịch họp báo');
    expect(text(calendar)).toContain('Họp báo về an toàn thực phẩm dịp Tết');
    const registered = await lan.tap(calendar, /an toàn thực phẩm/);
    for (const part of pressParts('vi', 'registered')) expect(text(registered)).toContain(part);

    const john = person('770000002', 'en');
    const english = await john.say('press conferences');
    expect(text(english)).toContain('Press conference on food safety at Tet');
    const johnRegistered = await john.tap(english, /food safety/);
    for (const part of pressParts('en', 'registered')) expect(text(johnRegistered)).toContain(part);

    // Two days later (a fake clock): the conference is less than a day away.
    const dayBefore = new Date(startsAt.getTime() - 20 * HOUR);
    const { reminded } = await t.hotline.sendEventReminders(dayBefore);
    expect(reminded.filter((r) => r.eventId === created.body.id)).toHaveLength(2);
    const reminder = text(await lan.next());
    for (const part of pressParts('vi', 'event_reminder_online')) expect(reminder).toContain(part);
    expect(reminder).toContain('Họp báo về an toàn thực phẩm dịp Tết');
    expect(reminder).toContain('https://example.test/live/food-safety');
    const johnReminder = text(await john.next());
    expect(johnReminder).toContain('Press conference on food safety at Tet');
    for (const part of pressParts('en', 'event_reminder_online')) expect(johnReminder).toContain(part);

    // The sweep runs every minute: nobody is reminded twice.
    expect((await t.hotline.sendEventReminders(new Date(dayBefore.getTime() + 60_000))).reminded).toHaveLength(0);
    const csv = await t.hotline.server.inject({ method: 'GET', url: `/api/press/events/${created.body.id}/registrations`, headers: { authorization: `Bearer ${press}` } });
    const rows = JSON.parse(csv.body) as Array<{ channel: string; remindedAt: string | null }>;
    expect(rows.map((r) => [r.channel, r.remindedAt !== null])).toEqual([['telegram', true], ['telegram', true]]);
  });

  it('takes a reporter’s request with a deadline, gets two agencies’ parts and sends the consolidated answer to the chat', async () => {
    const lan = person('774000001', 'vi');
    const lines: Array<[string, RegExp]> = [
      ['menu:press', /câu hỏi/i],
      ['Xin số ca sốt xuất huyết và số trường học đã phun thuốc muỗi tháng này', /hạn|khi nào/i],
      ['trước 16h thứ Sáu', /phỏng vấn/i],
      ['không', /họ tên/i],
      ['Nguyễn Thị Lan', /cơ quan báo chí/i],
      ['Báo Tuổi Trẻ', /thẻ nhà báo/i],
      ['press:no_card', /16:00/],
    ];
    for (const [line, reply] of lines) expect(text(await lan.say(line))).toMatch(reply);
    const filed = text(await lan.say('form:confirm'));
    const code = /HCM-\d{2}-[0-9A-Z]{5}/.exec(filed)![0];
    const ticket = await db().ticket.findUniqueOrThrow({ where: { trackingCode: code }, include: { agency: true } });
    expect(ticket).toMatchObject({ priority: 'normal', agency: { slug: 'trung-tam-bao-chi' } });
    expect(ticket.summary).toContain('Báo Tuổi Trẻ');

    const agencies = (await api<Array<{ id: string; slug: string }>>(t, press, 'GET', '/agencies')).body;
    const id = (slug: string) => agencies.find((a) => a.slug === slug)!.id;
    const asked = await api<Array<{ id: string; agencyId: string }>>(t, press, 'POST', `/tickets/${code}/subtasks`, {
      agencyIds: [id('so-y-te'), id('so-giao-duc')],
      question: 'Đề nghị cung cấp số liệu phần việc của đơn vị.',
    });
    expect(asked.status).toBe(201);
    expect(text(await lan.next())).toContain(code); // told the work started
    const [health, education] = await Promise.all([staffLogin(t, 'so-y-te@hotline.local'), staffLogin(t, 'so-giao-duc@hotline.local')]);
    const part = (agency: string) => asked.body.find((s) => s.agencyId === id(agency))!.id;
    expect((await api(t, health, 'POST', `/subtasks/${part('so-y-te')}/answer`, { text: 'Tháng này có 412 ca sốt xuất huyết.' })).status).toBe(200);
    expect((await api(t, education, 'POST', `/subtasks/${part('so-giao-duc')}/answer`, { text: '37 trường đã phun thuốc.' })).status).toBe(200);
    const parts = await api<Array<{ answer: string }>>(t, press, 'GET', `/tickets/${code}/subtasks`);
    expect((await api(t, press, 'POST', `/tickets/${code}/replies`, { text: parts.body.map((p) => p.answer).join(' ') })).status).toBe(201);
    const answer = text(await lan.next());
    expect(answer).toContain('412 ca');
    expect(answer).toContain('37 trường');

    // Published (anonymised), it is on /hoi-dap and answers the next person on Telegram at once.
    const published = await api<{ id: string }>(t, press, 'POST', `/tickets/${code}/publish`, {
      question: 'Thành phố có bao nhiêu ca sốt xuất huyết và bao nhiêu trường đã phun thuốc muỗi trong tháng?',
      answer: 'Tháng này có 412 ca sốt xuất huyết; 37 trường học đã phun thuốc diệt muỗi.',
      anonymised: true,
    });
    expect(published.status).toBe(201);
    const page = await t.hotline.server.inject({ method: 'GET', url: `/hoi-dap?q=${encodeURIComponent('sot xuat huyet phun thuoc')}` });
    expect(page.body).toContain('412 ca sốt xuất huyết');
    await t.hotline.refreshKnowledge();
    const next = person('774000002', 'vi');
    await next.say('menu:question');
    const reply = text(await next.say('bao nhieu truong da phun thuoc muoi sot xuat huyet'));
    expect(reply).toContain('37 trường học đã phun thuốc');
    expect(reply).toContain(`https://hotline.test/hoi-dap/${published.body.id}`);
  });

  it('ties a comment to its draft, and answers its GY- code with the draft, agency, date and state, in the person’s language', async () => {
    const lan = person('772000001', 'vi');
    const drafts = await lan.say('góp ý dự thảo');
    const asked = await lan.tap(drafts, /vỉa hè/);
    expect(text(asked)).toContain('Điều');
    const received = text(await lan.say('Điều 4: đề nghị quy định rõ phần vỉa hè tối thiểu dành cho người đi bộ'));
    const code = /GY-\d{2}-[0-9A-Z]{5}/.exec(received)![0];
    const comment = await db().draftComment.findUniqueOrThrow({ where: { trackingCode: code }, include: { draft: true } });
    expect(comment).toMatchObject({ article: 'Điều 4' });
    expect(comment.draft.titleVi).toContain('vỉa hè');
    // In the drafting agency's export for its report.
    const construction = await staffLogin(t, 'so-xay-dung@hotline.local');
    const csv = await t.hotline.server.inject({ method: 'GET', url: `/api/press/drafts/${comment.draftId}/comments.csv`, headers: { authorization: `Bearer ${construction}` } });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain(`${code},Điều 4,Điều 4: đề nghị quy định rõ phần vỉa hè tối thiểu dành cho người đi bộ`);

    // Typed later, in lower case, inside a sentence: not a ticket code, not "not found".
    const status = text(await lan.say(`góp ý ${code.toLowerCase()} của tôi sao rồi`));
    for (const part of pressParts('vi', 'comment_status_open')) expect(status).toContain(part);
    expect(status).toContain(code);
    expect(status).toContain('vỉa hè');
    expect(status).toContain('Sở Xây dựng');
    expect(status).not.toContain('Không tìm thấy');

    // A foreign resident asks about the same code in English; an unknown one is said to be unknown.
    const john = person('772000002', 'en');
    const english = text(await john.say(`What happened to my comment ${code}?`));
    for (const part of pressParts('en', 'comment_status_open')) expect(english).toContain(part);
    expect(english).toContain('sidewalks');
    expect(english).toContain('Department of Construction');
    const unknown = text(await john.say('comment GY-26-ZZZZZ please'));
    for (const part of pressParts('en', 'comment_unknown')) expect(unknown).toContain(part);

    // Once the consultation closed, the code says so.
    await db().draftDocument.update({ where: { id: comment.draftId }, data: { closesAt: new Date(Date.now() - 60_000) } });
    const closed = text(await lan.say(code));
    for (const part of pressParts('vi', 'comment_status_closed')) expect(closed).toContain(part);
    await db().draftDocument.update({ where: { id: comment.draftId }, data: { closesAt: comment.draft.closesAt } });
  });

  it('asks a foreign resident on Telegram whether their question may be published; a tap answers', async () => {
    const anna = person('773000001', 'en');
    const opened = text(await anna.say('How can foreigners register a motorbike bought in the city? I live at 25 Le Loi street'));
    const code = /HCM-\d{2}-[0-9A-Z]{5}/.exec(opened)![0];
    const asked = await api<{ state: string }>(t, press, 'POST', `/tickets/${code}/publish-consent`);
    expect(asked).toMatchObject({ status: 202, body: { state: 'asked' } });
    const question = await anna.next();
    for (const part of pressParts('en', 'publish_consent.ask')) expect(text(question)).toContain(part);
    const thanked = text(await anna.tap(question, 'Yes, publish it'));
    for (const part of pressParts('en', 'publish_consent.granted')) expect(thanked).toContain(part);
    expect(await api(t, press, 'GET', `/tickets/${code}/publish-consent`)).toMatchObject({ body: { state: 'granted' } });
    const published = await api<{ locale: string; consent: boolean; id: string }>(t, press, 'POST', `/tickets/${code}/publish`, {
      question: 'How can foreigners register a motorbike bought in the city?',
      answer: 'At the traffic police office of the ward, with the passport, the residence card and the bill of sale.',
      anonymised: false,
    });
    expect(published.body).toMatchObject({ locale: 'en', consent: true });
    const qa = await t.hotline.server.inject({ method: 'GET', url: '/qa?q=motorbike' });
    expect(qa.body).toContain('How can foreigners register a motorbike bought in the city?');
    expect(qa.body).toContain(`href="/qa/${published.body.id}"`);
  });

  // 50 people subscribing and two fan-outs with Telegram's pauses: more than jest's default 30 s on a busy machine.
  it('fans an announcement out to 50 Telegram subscribers through a 429: nothing twice, nothing skipped, stoppable', async () => {
    const people = Array.from({ length: SUBSCRIBERS }, (_, i) => person(String(771_000_000 + i), i % 5 === 1 ? 'en' : 'vi'));
    // The first subscribes the long way (ask, then tap a topic); the others tap the topic they were shown.
    const asked = await people[0]!.say('đăng ký nhận tin');
    for (const part of pressParts('vi', 'topic.press_releases')) expect(JSON.stringify(asked.body.reply_markup)).toContain(part);
    const subscribed = await people[0]!.tap(asked, /Thông cáo báo chí/);
    expect(text(subscribed)).toContain('Thông cáo báo chí');
    await Promise.all(people.slice(1).map(async (p) => expect(text(await p.say('subscribe:press_releases'))).not.toBe('')));
    expect(await db().subscription.count({ where: { topic: 'press_releases', unsubscribedAt: null, contact: { channel: 'telegram' } } })).toBe(SUBSCRIBERS);

    const announce = async (title: string) => {
      const res = await api<{ id: string }>(t, press, 'POST', '/press/announcements', {
        topic: 'press_releases',
        titleVi: title,
        titleEn: `${title} (EN)`,
        bodyVi: 'Nội dung thông cáo.',
        bodyEn: 'The press release.',
      });
      expect(res.status).toBe(201);
      return res.body.id;
    };
    const receivedBy = (title: string) => {
      const per = new Map<string, number>();
      for (const call of fake.sent()) if (text(call).includes(title)) per.set(String(call.body.chat_id), (per.get(String(call.body.chat_id)) ?? 0) + 1);
      return per;
    };

    // Telegram says "retry after 1" to three sends once twenty have gone out.
    const first = 'Thông cáo về lễ hội đường hoa';
    fake.fail('sendMessage', FAILURES.tooManyRequests(1), 3, (body) => String(body.text).includes(first) && receivedBy(first).size >= 20);
    const id = await announce(first);
    expect([200, 202]).toContain((await api(t, press, 'POST', `/press/announcements/${id}/publish`)).status);
    const counts = await eventually(async () => {
      const res = await api<{ counts: Counts }>(t, press, 'GET', `/press/announcements/${id}`);
      return res.body.counts.sent + res.body.counts.failed === SUBSCRIBERS ? res.body.counts : null;
    }, 30_000);
    expect(counts).toEqual({ stored: SUBSCRIBERS, sent: SUBSCRIBERS, pending: 0, failed: 0, withheld: 0 });
    const refused = fake.callsOf('sendMessage').filter((c) => c.status === 429);
    expect(refused).toHaveLength(3);
    const per = receivedBy(first);
    expect(per.size).toBe(SUBSCRIBERS);
    expect([...per.values()].every((n) => n === 1)).toBe(true);
    // Each refused one was sent again, and not before Telegram's retry_after.
    for (const call of refused) {
      const resent = fake.sent(String(call.body.chat_id)).find((c) => text(c).includes(first));
      expect(resent!.at - call.at).toBeGreaterThanOrEqual(1000);
    }
    // The English-speaking fifth got the English title.
    expect(fake.sent().filter((c) => text(c).includes(`${first} (EN)`))).toHaveLength(SUBSCRIBERS / 5);

    // A long pause asked mid-way, and the press officer stops the announcement during it.
    const second = 'Thông cáo bị dừng giữa chừng';
    fake.fail('sendMessage', FAILURES.tooManyRequests(3), 1, (body) => String(body.text).includes(second) && receivedBy(second).size >= 10);
    const stoppedId = await announce(second);
    expect([200, 202]).toContain((await api(t, press, 'POST', `/press/announcements/${stoppedId}/publish`)).status);
    await eventually(async () => fake.callsOf('sendMessage').filter((c) => c.status === 429).length === 4);
    const stopped = await api<{ withheld: number; counts: Counts }>(t, press, 'POST', `/press/announcements/${stoppedId}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body.withheld).toBeGreaterThan(0);
    const settled = await eventually(async () => {
      const res = await api<{ counts: Counts }>(t, press, 'GET', `/press/announcements/${stoppedId}`);
      return res.body.counts.pending === 0 ? res.body.counts : null;
    }, 30_000);
    expect(settled.stored).toBe(SUBSCRIBERS);
    expect(settled.sent + settled.withheld).toBe(SUBSCRIBERS);
    expect(settled.withheld).toBeGreaterThanOrEqual(stopped.body.withheld);
    // What Telegram accepted is exactly what the counts call sent: nothing withheld went out.
    const afterStop = receivedBy(second);
    expect([...afterStop.values()].every((n) => n === 1)).toBe(true);
    expect(afterStop.size).toBe(settled.sent);

    // One message stops them all.
    const leaving = people[3]!;
    const left = await leaving.say('hủy nhận tin');
    for (const part of pressParts('vi', 'unsubscribed')) expect(text(left)).toContain(part);
    expect(await db().subscription.count({ where: { unsubscribedAt: null, contact: { channelUserId: leaving.chatId } } })).toBe(0);
  }, 120_000);
});
