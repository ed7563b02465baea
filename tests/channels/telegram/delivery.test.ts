// Delivering on Telegram when the Bot API refuses: 429 waits as asked, 403 gives up and says so on
// the ticket, a split answer never resends an accepted part, and what keeps failing is dead-lettered.
import { api, eventually, staffLogin } from '../../helpers/hotline';
import { FAILURES } from '../../helpers/fake-telegram';
import { CODE, startTelegramHotline, type TelegramHotline } from './setup';

describe('Telegram delivery failures end to end', () => {
  let h: TelegramHotline;
  beforeAll(async () => {
    h = await startTelegramHotline();
  });
  afterAll(async () => {
    await h.stop();
  });
  const idle = () => eventually(async () => (await h.t.hotline.db.prisma.outboxJob.count({ where: { status: 'pending' } })) === 0);

  it('429 with retry_after: waits that long, then delivers once', async () => {
    const chat = '890001';
    h.fake.fail('sendMessage', FAILURES.tooManyRequests(1), 1, (body) => body.chat_id === chat);
    await h.write(chat, 'Đèn giao thông ngã tư Hàng Xanh không hoạt động');
    await h.waitForText(chat, (x) => CODE.test(x));
    const calls = h.fake.callsOf('sendMessage').filter((c) => c.body.chat_id === chat);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    // A lower bound only: the retry came no sooner than Telegram asked.
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(990);
    await idle();
    expect(h.fake.sent(chat)).toHaveLength(1);
  });

  it('403 (bot blocked): not retried, and the ticket records that the answer was not delivered', async () => {
    const chat = '890002';
    const db = h.t.hotline.db.prisma;
    const code = await h.openTicket(chat, 'Nước sinh hoạt bị đục');
    await h.assign(code);
    h.fake.fail('sendMessage', FAILURES.blocked(), 1, (body) => body.chat_id === chat);
    await h.reply(code, 'Đã kiểm tra đường ống.');
    const ticket = await db.ticket.findUniqueOrThrow({ where: { trackingCode: code } });
    const event = await eventually(() => db.ticketEvent.findFirst({ where: { ticketId: ticket.id, kind: 'answer_not_delivered' } }));
    expect(event.data).toMatchObject({ channel: 'telegram', reason: 'blocked' });
    const message = await db.message.findFirstOrThrow({ where: { ticketId: ticket.id, author: 'agent' } });
    expect(message.delivery).toBe('failed');
    expect(await db.outboxJob.findFirstOrThrow({ where: { messageId: message.id } })).toMatchObject({ status: 'dead', attempts: 1 });
    expect(h.fake.callsOf('sendMessage').filter((c) => c.body.chat_id === chat && !c.ok)).toHaveLength(1);
  });

  it('splits a 9,000-character answer and resends no part when a later part fails once', async () => {
    const chat = '890003';
    const db = h.t.hotline.db.prisma;
    const code = await h.openTicket(chat, 'Hỏi thủ tục cấp giấy phép xây dựng');
    const long = Array.from({ length: 180 }, (_, i) => `Bước ${i + 1}: chuẩn bị hồ sơ theo hướng dẫn của phường.`).join(' ');
    expect(long.length).toBeGreaterThan(9000);
    await h.assign(code);
    const before = h.fake.sent(chat).length;
    h.fake.fail('sendMessage', FAILURES.serverError(), 1, (body) => body.chat_id === chat && h.fake.sent(chat).length === before + 2);
    await h.reply(code, long);
    const message = await eventually(async () => {
      const m = await db.message.findFirst({ where: { author: 'agent', ticket: { trackingCode: code } }, include: { deliveryParts: true } });
      return m?.delivery === 'sent' ? m : null;
    });
    const parts = h.fake.sent(chat).slice(before).map((c) => String(c.body.text));
    expect(parts).toHaveLength(3);
    expect(new Set(parts).size).toBe(3);
    expect(parts.every((p) => p.length <= 4096)).toBe(true);
    expect(message.deliveryParts).toHaveLength(3);
    expect(await db.outboxJob.findFirstOrThrow({ where: { messageId: message.id } })).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('dead-letters a delivery that keeps failing, visible at GET /api/work?status=dead', async () => {
    const chat = '890004';
    const db = h.t.hotline.db.prisma;
    h.fake.fail('sendMessage', FAILURES.serverError(), 3, (body) => body.chat_id === chat);
    await h.write(chat, 'Cống thoát nước bị tắc');
    const job = await eventually(async () => {
      const m = await db.message.findFirst({ where: { direction: 'outbound', conversation: { contact: { channelUserId: chat } } } });
      return m ? db.outboxJob.findFirst({ where: { messageId: m.id, status: 'dead' } }) : null;
    });
    expect(job).toMatchObject({ attempts: 3, lastError: expect.stringContaining('500') });
    const operator = await staffLogin(h.t, 'operator@hotline.local');
    const dead = await api<Array<{ id: string }>>(h.t, operator, 'GET', '/work?status=dead');
    expect(dead.body.map((j) => j.id)).toContain(job.id);
    expect(h.fake.sent(chat)).toHaveLength(0);
  });
});
