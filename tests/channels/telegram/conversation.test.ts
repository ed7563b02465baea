// The whole hotline on Telegram against the fake Bot API: a person writes, the bot answers with a
// tracking code, staff answer from the console and the answer arrives in Telegram; /start; groups;
// duplicates; choices as an inline keyboard and taps on them.
import { eventually } from '../../helpers/hotline';
import { FAILURES, FAKE_BOT, privateChat, rawWithBareIds, textUpdate } from '../../helpers/fake-telegram';
import { CODE, LONG_CHOICE, startTelegramHotline, type TelegramHotline } from './setup';

describe('Telegram conversation end to end', () => {
  let h: TelegramHotline;
  beforeAll(async () => {
    h = await startTelegramHotline();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('a person writes, the bot answers with a tracking code, and the staff answer arrives in Telegram', async () => {
    const chat = '880001';
    const code = await h.openTicket(chat, 'Mất điện từ 8h sáng ở phường Bến Thành');
    expect(h.textsTo(chat)[0]).toContain(`https://hotline.test/t/${code}`);
    const db = h.t.hotline.db.prisma;
    const ticket = await db.ticket.findUniqueOrThrow({ where: { trackingCode: code }, include: { contact: true } });
    expect(ticket.contact).toMatchObject({ channel: 'telegram', channelUserId: chat, displayName: 'Lan Nguyễn' });

    await h.answer(code, 'Đội sửa chữa đã khắc phục lúc 10h30.');
    const delivered = await h.waitForText(chat, (x) => x.includes('Đội sửa chữa đã khắc phục lúc 10h30.'));
    expect(delivered.body.text).toContain('Tổng công ty Điện lực Thành phố');
    const stored = await eventually(async () => {
      const m = await db.message.findFirst({ where: { author: 'agent', ticketId: ticket.id }, include: { deliveryParts: true } });
      return m?.delivery === 'sent' ? m : null;
    });
    expect(stored.deliveryParts.map((p) => p.externalId)).toEqual([`${chat}:${delivered.messageId}`]);
  });

  it('greets on /start without opening a ticket, and answers a deep link carrying a tracking code', async () => {
    const chat = '880002';
    const command = { entities: [{ type: 'bot_command', offset: 0, length: 6 }] };
    await h.post(textUpdate(h.nextUpdateId(), chat, 1, '/start', command));
    await h.waitForText(chat, (x) => x.startsWith('Xin chào! Đây là Đường dây nóng 1022'));
    expect(await h.t.hotline.db.prisma.ticket.count({ where: { contact: { channelUserId: chat } } })).toBe(0);

    const code = await h.openTicket('880003', 'Cột điện nghiêng');
    await h.post(textUpdate(h.nextUpdateId(), chat, 2, `/start ${code}`, command));
    await h.waitForText(chat, (x) => x.startsWith(`Yêu cầu ${code}`));
  });

  it('stores a redelivered update once: one ticket, one reply', async () => {
    const chat = '880004';
    const db = h.t.hotline.db.prisma;
    const update = textUpdate(h.nextUpdateId(), chat, 7, 'Rác ùn ứ đầu hẻm 12');
    const answers = await Promise.all([h.post(update), h.post(update), h.post(update)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    await h.waitForText(chat, (x) => CODE.test(x));
    expect((await h.post(update)).status).toBe(200);
    await eventually(async () => (await db.outboxJob.count({ where: { status: 'pending' } })) === 0);
    expect(await db.message.count({ where: { channel: 'telegram', externalId: `${chat}:7` } })).toBe(1);
    expect(await db.ticket.count({ where: { contact: { channelUserId: chat } } })).toBe(1);
    expect(h.fake.sent(chat)).toHaveLength(1);
  });

  it('answers a group that addressed the bot in the group, with its big chat id exact', async () => {
    const group = '-1001234567890123';
    const update = {
      update_id: h.nextUpdateId(),
      message: {
        message_id: 3,
        date: 1767225600,
        from: { id: 111, is_bot: false, first_name: 'Lan' },
        chat: { id: group, type: 'supergroup', title: 'Tổ dân phố 5' },
        text: `@${FAKE_BOT.username} cây đổ chắn đường Lê Lợi`,
        entities: [{ type: 'mention', offset: 0, length: FAKE_BOT.username.length + 1 }],
      },
    };
    expect((await h.post(rawWithBareIds(update, [group]))).status).toBe(200);
    const reply = await h.waitForText(group, (x) => CODE.test(x));
    expect(reply.body.chat_id).toBe(group);
    const contact = await h.t.hotline.db.prisma.contact.findFirstOrThrow({ where: { channel: 'telegram', channelUserId: group } });
    expect(contact.displayName).toBe('Tổ dân phố 5');
  });

  it('offers choices as an inline keyboard; a tap continues the flow even when answering the tap fails', async () => {
    const chat = '880005';
    type Keyboard = { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
    await h.write(chat, 'menu');
    const menu = await h.waitForText(chat, (x) => x === 'Bạn muốn làm gì?');
    const keyboard = (menu.body.reply_markup as Keyboard).inline_keyboard;
    expect(keyboard.map((row) => row[0]!.text)).toEqual(['Phản ánh', 'Địa chỉ']);
    expect(keyboard[0]![0]!.callback_data).toBe('report');

    const tap = (id: string, data: string, sent: typeof menu) =>
      h.post({
        update_id: h.nextUpdateId(),
        callback_query: {
          id,
          from: privateChat(chat).from,
          message: { message_id: sent.messageId, date: 1767225600, chat: privateChat(chat).chat, text: 'Bạn muốn làm gì?', reply_markup: sent.body.reply_markup },
          chat_instance: '42',
          data,
        },
      });

    // grammY's answerCallbackQuery fails after the tap is stored: still 200, and the flow goes on.
    h.fake.fail('answerCallbackQuery', FAILURES.serverError());
    expect((await tap('tap-1', 'report', menu)).status).toBe(200);
    await h.waitForText(chat, (x) => x === 'Đã chọn: report');
    expect(h.fake.callsOf('answerCallbackQuery').find((c) => c.body.callback_query_id === 'tap-1')).toMatchObject({ ok: false });

    // The long choice went out as a hash; the tap is resolved back to the full value.
    await h.write(chat, 'menu');
    const again = await eventually(async () => h.fake.sent(chat).filter((c) => c.body.text === 'Bạn muốn làm gì?')[1]);
    const hashed = (again.body.reply_markup as Keyboard).inline_keyboard[1]![0]!.callback_data;
    expect(hashed).toMatch(/^#h:/);
    expect((await tap('tap-2', hashed, again)).status).toBe(200);
    await h.waitForText(chat, (x) => x === `Đã chọn: ${LONG_CHOICE}`);
    expect(h.fake.callsOf('answerCallbackQuery').find((c) => c.body.callback_query_id === 'tap-2')).toMatchObject({ ok: true });
  });
});
