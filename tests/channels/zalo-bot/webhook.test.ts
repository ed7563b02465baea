// POST /webhooks/zalo-bot against a whole hotline: the secret is checked before anything else,
// both body forms and every event kind are understood, bad bodies are refused with a reason, and a
// redelivered update is stored (and answered) once.
import { eventually, startTestHotline, type TestHotline } from '../../helpers/hotline';
import { newChatId, postZaloBotWebhook, startFakeZaloBot, wrapped, zaloUpdate, type FakeZaloBot } from '../../helpers/fake-zalo-bot';

const SECRET = 'zalo-bot-webhook-secret';
const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;

describe('Zalo Bot webhook', () => {
  let t: TestHotline;
  let zalo: FakeZaloBot;
  beforeAll(async () => {
    zalo = await startFakeZaloBot();
    t = await startTestHotline({
      env: { ZALO_BOT_TOKEN: zalo.token, ZALO_BOT_WEBHOOK_SECRET: SECRET, ZALO_BOT_API_BASE: zalo.apiBase },
    });
  });
  afterAll(async () => {
    await t.stop();
    await zalo.close();
  });

  const post = (body: unknown, secret: string | undefined = SECRET) => postZaloBotWebhook(t.baseUrl, body, secret);
  const storedFor = (chatId: string) =>
    t.hotline.db.prisma.message.findMany({ where: { channel: 'zalo_bot', externalId: { startsWith: `${chatId}:` } }, orderBy: { seq: 'asc' } });

  it('stores a text message with a valid secret and answers on the platform with a tracking code', async () => {
    const chat = newChatId();
    const update = zaloUpdate.text(chat, 'Đèn đường trước số 12 Lê Lợi bị hỏng', { name: 'Trần Thị B' });
    expect(await post(update)).toMatchObject({ status: 200, body: { ok: true } });
    // Acknowledged after the commit: readable right away.
    const [stored] = await storedFor(chat);
    expect(stored).toMatchObject({
      externalId: `${chat}:${update.message.message_id}`,
      direction: 'inbound',
      text: 'Đèn đường trước số 12 Lê Lợi bị hỏng',
    });
    const contact = await t.hotline.db.prisma.contact.findUniqueOrThrow({
      where: { channel_channelUserId: { channel: 'zalo_bot', channelUserId: chat } },
    });
    expect(contact.displayName).toBe('Trần Thị B');
    const [answer] = await eventually(async () => (zalo.textsTo(chat).length > 0 ? zalo.textsTo(chat) : null));
    expect(answer).toMatch(CODE);
    expect(answer).toContain('https://hotline.test/t/');
  });

  it.each([
    ['forged', 'not-the-secret'],
    ['missing', undefined],
    ['empty', ''],
  ])('refuses a %s secret with 401 and stores nothing', async (_kind, secret) => {
    const chat = newChatId();
    const res = await postZaloBotWebhook(t.baseUrl, zaloUpdate.text(chat, 'Giả mạo'), secret);
    expect(res).toMatchObject({ status: 401, body: { error: 'invalid_secret' } });
    expect(await storedFor(chat)).toHaveLength(0);
    expect(await t.hotline.db.prisma.contact.count({ where: { channelUserId: chat } })).toBe(0);
  });

  it('checks the secret before reading the body: a bad secret with a malformed body is 401, not 400', async () => {
    expect((await post('{not json', 'wrong')).status).toBe(401);
  });

  it('accepts the update wrapped in { ok, result } as well as flat', async () => {
    const chat = newChatId();
    expect((await post(wrapped(zaloUpdate.text(chat, 'Nước sinh hoạt bị đục')))).status).toBe(200);
    expect(await storedFor(chat)).toEqual([expect.objectContaining({ text: 'Nước sinh hoạt bị đục' })]);
  });

  it('stores an image with its photo URL, and its caption as the text', async () => {
    const chat = newChatId();
    const url = 'https://f20-zpc.zdn.vn/jpg/6386/hole.jpg';
    expect((await post(zaloUpdate.image(chat, url, 'Ổ gà giữa đường Nguyễn Trãi'))).status).toBe(200);
    expect((await post(zaloUpdate.image(chat, url))).status).toBe(200);
    const [withCaption, bare] = await storedFor(chat);
    expect(withCaption).toMatchObject({ text: 'Ổ gà giữa đường Nguyễn Trãi', attachments: [{ type: 'image', url }] });
    expect(bare).toMatchObject({ text: '', attachments: [{ type: 'image', url }] });
  });

  it('reads the older "photo" field of an image too', async () => {
    const chat = newChatId();
    const update = zaloUpdate.image(chat, 'x');
    const { photo_url, ...message } = update.message;
    expect((await post({ ...update, message: { ...message, photo: photo_url.replace('x', 'https://example.vn/p.jpg') } })).status).toBe(200);
    expect((await storedFor(chat))[0]).toMatchObject({ attachments: [{ type: 'image', url: 'https://example.vn/p.jpg' }] });
  });

  it('stores a sticker as a sticker attachment', async () => {
    const chat = newChatId();
    expect((await post(zaloUpdate.sticker(chat))).status).toBe(200);
    expect((await storedFor(chat))[0]).toMatchObject({
      text: '',
      attachments: [{ type: 'sticker', name: 'bfe458bf64fa8da4d4eb', url: expect.stringContaining('sticker') }],
    });
  });

  it('stores an unsupported message so staff see something arrived', async () => {
    const chat = newChatId();
    expect((await post(zaloUpdate.unsupported(chat))).status).toBe(200);
    expect((await storedFor(chat))[0]).toMatchObject({ text: '', attachments: [{ type: 'file', name: expect.stringMatching(/^unsupported/) }] });
  });

  it('acknowledges without storing: unsupported without sender, unknown event kinds, other bots', async () => {
    const chat = newChatId();
    expect(await post({ event_name: 'message.unsupported.received' })).toMatchObject({ status: 200 });
    const reaction = { ...zaloUpdate.text(chat, '❤'), event_name: 'message.reaction.received' };
    expect(await post(reaction)).toMatchObject({ status: 200 });
    const fromBot = zaloUpdate.text(chat, 'Xin chào');
    fromBot.message.from.is_bot = true;
    expect(await post(fromBot)).toMatchObject({ status: 200 });
    expect(await storedFor(chat)).toHaveLength(0);
  });

  it.each<[string, unknown, RegExp]>([
    ['not JSON', '{"event_name": ', /not valid JSON/],
    ['empty', '', /empty body/],
    ['an array', '[]', /not a JSON object/],
    ['without event_name', { message: {} }, /event_name/],
    ['a text event without message', { event_name: 'message.text.received' }, /message is missing/],
    ['a text event without text', { event_name: 'message.text.received', message: { ...zaloUpdate.text('c1', 'x').message, text: undefined } }, /message\.text/],
    ['a message without chat id', { event_name: 'message.text.received', message: { ...zaloUpdate.text('c1', 'x').message, chat: { chat_type: 'PRIVATE' } } }, /message\.chat\.id/],
    ['an error envelope', { ok: false, error_code: 500, description: 'oops' }, /error envelope/],
    ['a non-object result', { ok: true, result: 'x' }, /result/],
  ])('refuses %s with 400 and a reason', async (_kind, body, reason) => {
    // Inbound only: earlier tests' bot answers are still being stored in the background.
    const before = await t.hotline.db.prisma.message.count({ where: { direction: 'inbound' } });
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(reason);
    expect(await t.hotline.db.prisma.message.count({ where: { direction: 'inbound' } })).toBe(before);
  });

  it('keeps ids sent as big JSON numbers exact', async () => {
    const raw =
      '{"event_name":"message.text.received","message":{"message_id":90071992547409931234,' +
      '"text":"Cây đổ","chat":{"id":7146283940219584513,"chat_type":"PRIVATE"},' +
      '"from":{"id":7146283940219584513,"display_name":"C","is_bot":false},"date":1750316131602}}';
    expect((await post(raw)).status).toBe(200);
    const stored = await t.hotline.db.prisma.message.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'zalo_bot', externalId: '7146283940219584513:90071992547409931234' } },
      include: { conversation: { include: { contact: true } } },
    });
    expect(stored.conversation.contact.channelUserId).toBe('7146283940219584513');
    expect(stored.createdAt.toISOString()).toBe(new Date(1750316131602).toISOString());
  });

  it('stores a redelivered update once: one ticket, one answer', async () => {
    const chat = newChatId();
    const update = zaloUpdate.text(chat, 'Rác ùn ứ đầu hẻm 45');
    const results = await Promise.all([post(update), post(update), post(wrapped(update))]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await storedFor(chat)).toHaveLength(1);
    await eventually(async () => zalo.textsTo(chat).length === 1);
    await eventually(async () => (await t.hotline.db.prisma.outboxJob.count({ where: { status: 'pending' } })) === 0);
    expect(zalo.textsTo(chat)).toHaveLength(1);
    expect(await t.hotline.db.prisma.ticket.count({ where: { contact: { channelUserId: chat } } })).toBe(1);
  });

  it('answers 503 when the message cannot be stored, and stores it when delivered again', async () => {
    const chat = newChatId();
    const update = zaloUpdate.text(chat, 'Mất nước từ sáng');
    // Idle first, so the failing transaction is the one storing this message.
    await eventually(async () => (await t.hotline.db.prisma.outboxJob.count({ where: { status: 'pending' } })) === 0);
    const spy = jest.spyOn(t.hotline.db.prisma, '$transaction').mockRejectedValueOnce(new Error('database is down'));
    const res = await post(update);
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
    expect(res).toMatchObject({ status: 503, body: { error: 'not_stored' } });
    expect(await storedFor(chat)).toHaveLength(0);
    expect((await post(update)).status).toBe(200);
    expect(await storedFor(chat)).toHaveLength(1);
  });
});
