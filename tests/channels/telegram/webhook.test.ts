// The Telegram webhook on its own: the secret before anything, bodies validated with a reason,
// every update kind turned into what the hotline stores, groups only when the bot is addressed,
// ids kept exact, and the answer Telegram gets when storing or an outgoing call fails.
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { createTelegramChannel } from '../../../bots/telegram';
import type { ChannelInbox, InboundMessage } from '../../../src/channels/types';
import type { Db } from '../../../src/db/database';
import { FAILURES, FAKE_BOT, FakeTelegram, privateChat, rawWithBareIds, textUpdate } from '../../helpers/fake-telegram';

const SECRET = 'telegram-webhook-secret-0123456789';
const GROUP = '-1001234567890123';

describe('Telegram webhook', () => {
  let fake: FakeTelegram;
  let app: FastifyInstance;
  const stored: InboundMessage[] = [];
  const follows: Array<{ userId: string; followed: boolean; displayName?: string }> = [];
  const storing = { fail: false };

  const inbox: ChannelInbox = {
    async receive(inbound) {
      if (storing.fail) throw new Error('database is down');
      const duplicate = stored.some((m) => m.externalId === inbound.externalId);
      if (!duplicate) stored.push(inbound);
      return { duplicate, messageId: `m-${inbound.externalId}` };
    },
    async receipt() {
      return 0;
    },
    async subscription(_channel, userId, followed, _at, displayName) {
      if (storing.fail) throw new Error('database is down');
      follows.push({ userId, followed, displayName });
    },
  };

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    const channel = createTelegramChannel(
      { token: fake.token, webhookSecret: SECRET, apiBase: fake.url },
      { db: {} as Db, inbox, log: pino({ level: 'silent' }) },
    );
    app = Fastify();
    await app.register(channel.webhook!);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await fake.stop();
  });
  beforeEach(() => {
    stored.length = 0;
    follows.length = 0;
    storing.fail = false;
    fake.clearFailures();
  });

  function post(body: object | string, secret: string | null = SECRET) {
    return app.inject({
      method: 'POST',
      url: '/webhooks/telegram',
      headers: { 'content-type': 'application/json', ...(secret !== null ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  describe('secret', () => {
    it('accepts the right secret and stores the message', async () => {
      const res = await post(textUpdate(1, 111, 5, 'Đèn đường hỏng'));
      expect(res.statusCode).toBe(200);
      expect(stored).toHaveLength(1);
    });

    it.each([
      ['forged', 'telegram-webhook-secret-0123456780'],
      ['missing', null],
      ['empty', ''],
    ])('refuses a %s secret with 401 and stores nothing', async (_name, secret) => {
      const res = await post(textUpdate(2, 111, 6, 'Giả mạo'), secret);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: 'invalid_secret' });
      expect(stored).toHaveLength(0);
    });

    it('checks the secret before reading the body', async () => {
      const res = await post('{not json', 'wrong');
      expect(res.statusCode).toBe(401);
    });
  });

  describe('malformed bodies', () => {
    it.each([
      ['not JSON', '{"update_id": 1, "message": '],
      ['an array', '[1,2]'],
      ['empty', ''],
    ])('answers 400 with a reason for %s', async (_name, body) => {
      const res = await post(body);
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/JSON|body/);
      expect(stored).toHaveLength(0);
    });

    it('needs update_id', async () => {
      const res = await post({ message: textUpdate(1, 111, 1, 'x').message });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain('update_id');
    });

    it('names the wrong field of a known kind', async () => {
      const res = await post({ update_id: 9, message: { message_id: 1, date: 1, text: 'no chat' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain('message.chat');
    });
  });

  describe('kinds', () => {
    it('text: chat id as the person, per-chat external id, language from language_code', async () => {
      await post({ update_id: 10, message: { message_id: 77, date: 1767225600, ...privateChat(4242, 'Tom', 'en-GB'), text: 'Broken light' } });
      expect(stored[0]).toEqual({
        channel: 'telegram',
        channelUserId: '4242',
        externalId: '4242:77',
        text: 'Broken light',
        attachments: [],
        displayName: 'Tom Nguyễn',
        localeHint: 'en',
        sentAt: new Date(1767225600 * 1000),
      });
      await post(textUpdate(11, 4343, 1, 'Xin chào'));
      expect(stored[1]?.localeHint).toBe('vi');
    });

    it('photo: the largest size, file id kept, caption as text', async () => {
      await post(
        textUpdate(12, 111, 8, '', {
          text: undefined,
          caption: 'Ổ gà trên đường',
          photo: [
            { file_id: 'small', file_unique_id: 's', width: 90, height: 60 },
            { file_id: 'large', file_unique_id: 'l', width: 1280, height: 853 },
            { file_id: 'medium', file_unique_id: 'm', width: 320, height: 213 },
          ],
        }),
      );
      expect(stored[0]).toMatchObject({ text: 'Ổ gà trên đường', attachments: [{ type: 'image', url: 'telegram-file:large' }] });
    });

    it.each([
      ['document', { document: { file_id: 'doc1', file_unique_id: 'd', file_name: 'don-kien-nghi.pdf', mime_type: 'application/pdf' } }, { type: 'file', url: 'telegram-file:doc1', name: 'don-kien-nghi.pdf' }],
      ['voice', { voice: { file_id: 'v1', file_unique_id: 'v', duration: 4, mime_type: 'audio/ogg' } }, { type: 'audio', url: 'telegram-file:v1' }],
      ['audio', { audio: { file_id: 'a1', file_unique_id: 'a', duration: 60, title: 'ghi âm' } }, { type: 'audio', url: 'telegram-file:a1', name: 'ghi âm' }],
      ['video', { video: { file_id: 'vid', file_unique_id: 'x', width: 1, height: 1, duration: 3 } }, { type: 'video', url: 'telegram-file:vid' }],
      ['sticker', { sticker: { file_id: 'st', file_unique_id: 'y', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false, emoji: '👍' } }, { type: 'sticker', url: 'telegram-file:st', name: '👍' }],
      ['location', { location: { latitude: 10.7769, longitude: 106.7009 } }, { type: 'location', latitude: 10.7769, longitude: 106.7009 }],
      ['contact', { contact: { phone_number: '+84901234567', first_name: 'Lan', user_id: 111 } }, { type: 'contact', phone: '+84901234567', name: 'Lan' }],
    ])('%s becomes an attachment', async (_kind, fields, attachment) => {
      const res = await post(textUpdate(13, 111, 9, '', { text: undefined, ...fields }));
      expect(res.statusCode).toBe(200);
      expect(stored[0]?.attachments).toEqual([expect.objectContaining(attachment)]);
      expect(stored[0]?.text).toBe('');
    });

    it('edited message: a new message per edit, marked as an edit', async () => {
      const original = textUpdate(14, 111, 20, 'Nước ngập đường Nguyễn Hữu Cảnh').message;
      await post({ update_id: 15, edited_message: { ...original, text: 'Nước ngập sâu 50cm đường Nguyễn Hữu Cảnh', edit_date: 1767225700 } });
      expect(stored[0]).toMatchObject({
        externalId: 'edit:111:20:1767225700',
        text: '[Tin nhắn đã sửa] Nước ngập sâu 50cm đường Nguyễn Hữu Cảnh',
        sentAt: new Date(1767225700 * 1000),
      });
    });

    it('callback query: the button value as text, cb:<id> as external id, then answered', async () => {
      const res = await post({
        update_id: 16,
        callback_query: {
          id: '4382bfdwdsb323b2d9',
          from: privateChat(111).from,
          message: { message_id: 1001, date: 1767225600, chat: privateChat(111).chat, text: 'Chọn' },
          chat_instance: '-59',
          data: 'topic:traffic',
        },
      });
      expect(res.statusCode).toBe(200);
      expect(stored[0]).toMatchObject({ channelUserId: '111', externalId: 'cb:4382bfdwdsb323b2d9', text: 'topic:traffic' });
      expect(fake.callsOf('answerCallbackQuery').at(-1)?.body).toMatchObject({ callback_query_id: '4382bfdwdsb323b2d9' });
    });

    it('/start is the greeting command; a deep-link payload with a tracking code asks for its status', async () => {
      await post(textUpdate(17, 111, 30, '/start', { entities: [{ type: 'bot_command', offset: 0, length: 6 }] }));
      await post(textUpdate(18, 111, 31, '/start HCM-26-7K3QD', { entities: [{ type: 'bot_command', offset: 0, length: 6 }] }));
      expect(stored.map((m) => m.text)).toEqual(['/start', 'HCM-26-7K3QD']);
    });

    it('my_chat_member: blocked and unblocked become unfollow and follow', async () => {
      const member = (status: string) => ({ user: FAKE_BOT, status });
      const change = (id: number, from: string, to: string) => ({
        update_id: id,
        my_chat_member: { ...privateChat(111), date: 1767225600, old_chat_member: member(from), new_chat_member: member(to) },
      });
      await post(change(19, 'member', 'kicked'));
      await post(change(20, 'kicked', 'member'));
      expect(follows).toEqual([
        { userId: '111', followed: false, displayName: 'Lan Nguyễn' },
        { userId: '111', followed: true, displayName: 'Lan Nguyễn' },
      ]);
      expect(stored).toHaveLength(0);
    });

    it('an unknown update kind is acknowledged and not stored', async () => {
      const res = await post({ update_id: 21, message_reaction: { chat: { id: 1, type: 'private' }, message_id: 1, date: 1 } });
      expect(res.statusCode).toBe(200);
      expect(stored).toHaveLength(0);
    });

    it('a service message (someone joined) is acknowledged and not stored', async () => {
      const res = await post(textUpdate(22, 111, 40, '', { text: undefined, new_chat_members: [{ id: 5, is_bot: false, first_name: 'B' }] }));
      expect(res.statusCode).toBe(200);
      expect(stored).toHaveLength(0);
    });
  });

  describe('groups', () => {
    const inGroup = (update_id: number, message_id: number, text: string, extra: Record<string, unknown> = {}) => ({
      update_id,
      message: {
        message_id,
        date: 1767225600,
        from: { id: 111, is_bot: false, first_name: 'Lan' },
        chat: { id: GROUP, type: 'supergroup', title: 'Tổ dân phố 5' },
        text,
        ...extra,
      },
    });

    it('ignores talk that does not address the bot', async () => {
      const res = await post(rawWithBareIds(inGroup(30, 1, 'Hôm nay trời đẹp'), [GROUP]));
      expect(res.statusCode).toBe(200);
      expect(stored).toHaveLength(0);
    });

    it('ignores a command for another bot', async () => {
      await post(rawWithBareIds(inGroup(31, 2, '/report@other_bot x', { entities: [{ type: 'bot_command', offset: 0, length: 17 }] }), [GROUP]));
      expect(stored).toHaveLength(0);
    });

    it('handles a command, a mention and a reply to the bot, answering the group', async () => {
      const mention = `@${FAKE_BOT.username} cây đổ chắn đường`;
      await post(rawWithBareIds(inGroup(32, 3, mention, { entities: [{ type: 'mention', offset: 0, length: FAKE_BOT.username.length + 1 }] }), [GROUP]));
      await post(
        rawWithBareIds(
          inGroup(33, 4, `/report@${FAKE_BOT.username} rác ùn ứ`, { entities: [{ type: 'bot_command', offset: 0, length: 8 + FAKE_BOT.username.length }] }),
          [GROUP],
        ),
      );
      await post(rawWithBareIds(inGroup(34, 5, 'còn chưa ai xử lý', { reply_to_message: { message_id: 1002, date: 1, from: FAKE_BOT, chat: { id: GROUP, type: 'supergroup' } } }), [GROUP]));
      expect(stored.map((m) => [m.channelUserId, m.externalId, m.text, m.displayName])).toEqual([
        [GROUP, `${GROUP}:3`, 'cây đổ chắn đường', 'Tổ dân phố 5'],
        [GROUP, `${GROUP}:4`, '/report rác ùn ứ', 'Tổ dân phố 5'],
        [GROUP, `${GROUP}:5`, 'còn chưa ai xử lý', 'Tổ dân phố 5'],
      ]);
    });

    it('keeps a big chat id exact even when it arrives as a bare JSON number', async () => {
      const body = rawWithBareIds(inGroup(35, 6, `/start@${FAKE_BOT.username}`, { entities: [{ type: 'bot_command', offset: 0, length: 22 }] }), [GROUP]);
      expect(body).toContain(`"id":${GROUP}`);
      await post(body);
      expect(stored[0]).toMatchObject({ channelUserId: GROUP, externalId: `${GROUP}:6`, text: '/start' });
    });
  });

  describe('failures', () => {
    it('answers 5xx when the update could not be stored, so Telegram delivers it again', async () => {
      storing.fail = true;
      const res = await post(textUpdate(40, 111, 50, 'Mất nước'));
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: 'not_stored' });
      storing.fail = false;
      const again = await post(textUpdate(40, 111, 50, 'Mất nước'));
      expect(again.statusCode).toBe(200);
      expect(stored.map((m) => m.externalId)).toEqual(['111:50']);
    });

    it('answers 200 when answerCallbackQuery fails after the tap was stored (grammY throws)', async () => {
      fake.fail('answerCallbackQuery', FAILURES.serverError());
      const tap = {
        update_id: 41,
        callback_query: { id: 'cb-fails', from: privateChat(111).from, chat_instance: '1', data: 'yes' },
      };
      const res = await post(tap);
      expect(res.statusCode).toBe(200);
      expect(fake.callsOf('answerCallbackQuery').at(-1)).toMatchObject({ ok: false, status: 500 });
      expect(stored).toEqual([expect.objectContaining({ externalId: 'cb:cb-fails', text: 'yes', channelUserId: '111' })]);
      // Telegram may deliver it again anyway: stored once.
      await post(tap);
      expect(stored).toHaveLength(1);
    });

    it('answers 5xx for a tap that could not be stored, and does not answer the callback', async () => {
      storing.fail = true;
      const before = fake.callsOf('answerCallbackQuery').length;
      const res = await post({ update_id: 42, callback_query: { id: 'cb-db', from: privateChat(111).from, chat_instance: '1', data: 'no' } });
      expect(res.statusCode).toBe(503);
      expect(fake.callsOf('answerCallbackQuery')).toHaveLength(before);
    });

    it('asked Telegram who the bot is once (getMe), lazily', () => {
      expect(fake.callsOf('getMe')).toHaveLength(1);
    });
  });
});
