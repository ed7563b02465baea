// A flow's choices (Reply.buttons) on every channel: a stored bot message with eight choices, one
// with a long label and value, is drawn the platform's way (web chat quick replies, Telegram inline
// keyboard, Zalo OA numbered list past five, Zalo Bot numbered list), and a tap or a number comes
// back as the choice's value.
import type { Button, Channel } from '../../src/channels/types';
import { openConversation, storeOutbound } from '../../src/messages/store';
import { FakeTelegram, privateChat } from '../helpers/fake-telegram';
import { newChatId, postZaloBotWebhook, startFakeZaloBot, zaloUpdate, type FakeZaloBot } from '../helpers/fake-zalo-bot';
import { postZaloEvent, startFakeZaloOa, userEvent, type FakeZaloOa } from '../helpers/fake-zalo-oa';
import { ChatClient, eventually, newSession, startTestHotline, type TestHotline } from '../helpers/hotline';

const TG_SECRET = 'telegram-secret-for-the-choice-tests';
const ZB_SECRET = 'zalo-bot-secret-for-the-choice-tests';
const OA = { appId: '1823865030574396868', secretKey: 'oa-secret-KEY-for-choices', appSecret: 'oa-app-secret' };

const LONG = 'Phường Bến Nghé, Quận 1 — khu phố 3, tổ dân phố số 12, hẻm 45 Nguyễn Trãi, gần chợ, đối diện trường tiểu học Lê Lợi';
const CHOICES: Button[] = [
  { label: 'Phản ánh', value: 'menu:report' },
  { label: 'Hỏi đáp', value: 'menu:question' },
  { label: 'Dịch vụ công trực tuyến', value: 'menu:online' },
  { label: 'Yêu cầu của tôi', value: 'menu:mine' },
  { label: 'Báo chí', value: 'menu:press' },
  { label: 'English', value: 'menu:lang' },
  { label: LONG, value: LONG },
  { label: 'Gặp người trực', value: 'menu:human' },
];

describe('choices on every channel', () => {
  let t: TestHotline;
  let telegram: FakeTelegram;
  let zaloBot: FakeZaloBot;
  let zaloOa: FakeZaloOa;
  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    zaloBot = await startFakeZaloBot();
    zaloOa = await startFakeZaloOa({ appId: OA.appId, appSecret: OA.appSecret, accessTokens: ['at-env'], refreshTokens: ['rt-env'] });
    t = await startTestHotline({
      env: {
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
        TELEGRAM_API_BASE: telegram.url,
        ZALO_BOT_TOKEN: zaloBot.token,
        ZALO_BOT_WEBHOOK_SECRET: ZB_SECRET,
        ZALO_BOT_API_BASE: zaloBot.apiBase,
        ZALO_OA_APP_ID: OA.appId,
        ZALO_OA_SECRET_KEY: OA.secretKey,
        ZALO_OA_APP_SECRET: OA.appSecret,
        ZALO_OA_ACCESS_TOKEN: 'at-env',
        ZALO_OA_REFRESH_TOKEN: 'rt-env',
        ZALO_OA_API_BASE: zaloOa.baseUrl,
        ZALO_OAUTH_BASE: zaloOa.baseUrl,
      },
    });
  });
  afterAll(async () => {
    await t.stop();
    await telegram.stop();
    await zaloBot.close();
    await zaloOa.close();
  });

  const db = () => t.hotline.db.prisma;
  const sayOnZaloOa = (userId: string, text: string) => postZaloEvent(t.baseUrl, userEvent(OA.appId, 'user_send_text', userId, { text }), OA);

  /** The bot asks with choices: stored and queued for delivery the way a flow's reply is. */
  async function botAsks(channel: Channel, channelUserId: string, text: string): Promise<void> {
    await db().$transaction(async (tx) => storeOutbound(tx, await openConversation(tx, channel, channelUserId), { author: 'bot', text, buttons: CHOICES }));
    await t.hotline.sweep();
  }

  /** The person's latest stored message on a channel, once it has this text. */
  const storedInbound = (channel: Channel, channelUserId: string, text: string) =>
    eventually(() => db().message.findFirst({ where: { channel, direction: 'inbound', text, conversation: { contact: { channelUserId } } } }));

  it('web chat: the choices arrive with the message, and a tap sends the value', async () => {
    const { sessionId, token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    await botAsks('webchat', sessionId, 'Bạn cần gì?');
    const frame = await chat.waitFor((f) => f.type === 'message' && f.text === 'Bạn cần gì?');
    expect(frame.buttons).toEqual(CHOICES);
    // The widget sends a tapped choice's value as the message text.
    await chat.sendMessage('tap', LONG);
    expect(await storedInbound('webchat', sessionId, LONG)).toMatchObject({ author: 'person' });
    await chat.close();
  });

  it('Telegram: an inline keyboard, a row a choice; a tap, even on the hashed long value, comes back as the value', async () => {
    const chat = '990001';
    await botAsks('telegram', chat, 'Bạn cần gì?');
    const sent = await eventually(async () => telegram.sent(chat).find((c) => c.body.text === 'Bạn cần gì?'));
    type Keyboard = { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
    const rows = (sent.body.reply_markup as Keyboard).inline_keyboard;
    expect(rows.map((r) => r.length)).toEqual(CHOICES.map(() => 1));
    expect(rows.map((r) => r[0]!.text)).toEqual(CHOICES.map((c) => c.label));
    for (const row of rows) expect(Buffer.byteLength(row[0]!.callback_data)).toBeLessThanOrEqual(64);
    const tap = (id: string, data: string) =>
      fetch(`${t.baseUrl}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET },
        body: JSON.stringify({
          update_id: Math.floor(Math.random() * 1e9),
          callback_query: {
            id,
            from: privateChat(chat).from,
            message: { message_id: sent.messageId, date: 1767225600, chat: privateChat(chat).chat, text: 'Bạn cần gì?', reply_markup: sent.body.reply_markup },
            chat_instance: '7',
            data,
          },
        }),
      });
    expect((await tap('choice-1', rows[1]![0]!.callback_data)).status).toBe(200);
    await storedInbound('telegram', chat, 'menu:question');
    expect((await tap('choice-2', rows[6]![0]!.callback_data)).status).toBe(200);
    await storedInbound('telegram', chat, LONG);
  });

  it('Zalo OA: more than five choices go out as a numbered list; a number comes back as the value', async () => {
    const userId = '7214593125843770001';
    await botAsks('zalo_oa', userId, 'Bạn cần gì?');
    const sent = await eventually(async () => zaloOa.sent.find((m) => m.userId === userId && (m.text ?? '').startsWith('Bạn cần gì?')));
    expect(sent.text).toBe(`Bạn cần gì?\n\n${CHOICES.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}`);
    expect(sent.buttons ?? []).toEqual([]);
    expect((await sayOnZaloOa(userId, '7')).status).toBe(200);
    await storedInbound('zalo_oa', userId, LONG);
  });

  it('Zalo OA: a label typed out picks its choice; a number out of range stays what was written', async () => {
    // Each answer reads the choices of the bot's latest message, so each person gets a fresh question.
    for (const [userId, text, stored] of [
      ['7214593125843770011', 'hỏi đáp', 'menu:question'],
      ['7214593125843770012', '9', '9'],
    ] as const) {
      await botAsks('zalo_oa', userId, 'Bạn cần gì?');
      await eventually(async () => zaloOa.sent.find((m) => m.userId === userId));
      expect((await sayOnZaloOa(userId, text)).status).toBe(200);
      await storedInbound('zalo_oa', userId, stored);
    }
  });

  it('Zalo OA: up to five choices are buttons (oa.query.show); a number typed there is just a number', async () => {
    const userId = '7214593125843770002';
    const few = CHOICES.slice(0, 2);
    await db().$transaction(async (tx) => storeOutbound(tx, await openConversation(tx, 'zalo_oa', userId), { author: 'bot', text: 'Chọn:', buttons: few }));
    await t.hotline.sweep();
    const sent = await eventually(async () => zaloOa.sent.find((m) => m.userId === userId && m.text === 'Chọn:'));
    expect(sent.buttons).toEqual(few.map((b) => ({ title: b.label, type: 'oa.query.show', payload: b.value })));
    expect((await sayOnZaloOa(userId, '2')).status).toBe(200);
    await storedInbound('zalo_oa', userId, '2');
    expect((await sayOnZaloOa(userId, 'menu:report')).status).toBe(200);
    await storedInbound('zalo_oa', userId, 'menu:report');
  });

  it('Zalo Bot: a numbered list; a number comes back as the value', async () => {
    const chat = newChatId();
    await botAsks('zalo_bot', chat, 'Bạn cần gì?');
    const text = await eventually(async () => zaloBot.textsTo(chat).find((x) => x.startsWith('Bạn cần gì?')));
    expect(text).toBe(`Bạn cần gì?\n\n${CHOICES.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}`);
    expect((await postZaloBotWebhook(t.baseUrl, zaloUpdate.text(chat, '8'), ZB_SECRET)).status).toBe(200);
    await storedInbound('zalo_bot', chat, 'menu:human');
  });
});
