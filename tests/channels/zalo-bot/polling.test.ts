// Development mode (CHANNEL_POLLING=true): updates fetched by long polling from getUpdates go
// through the same path as the webhook and are answered; the webhook is removed first, since
// the platform refuses getUpdates while one is set.
import { eventually, startTestHotline, type TestHotline } from '../../helpers/hotline';
import { newChatId, postZaloBotWebhook, startFakeZaloBot, zaloUpdate, type FakeZaloBot } from '../../helpers/fake-zalo-bot';

const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;

describe('Zalo Bot long polling', () => {
  let t: TestHotline;
  let zalo: FakeZaloBot;
  beforeAll(async () => {
    zalo = await startFakeZaloBot();
    // A webhook left over from production: polling must remove it first.
    await fetch(`${zalo.apiBase}/bot${zalo.token}/setWebhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://old.example/webhooks/zalo-bot', secret_token: 'old-secret-123' }),
    });
    // No webhook secret: polling alone is enough to turn the channel on.
    t = await startTestHotline({ env: { ZALO_BOT_TOKEN: zalo.token, ZALO_BOT_API_BASE: zalo.apiBase, CHANNEL_POLLING: 'true' } });
  });
  afterAll(async () => {
    await t.stop();
    await zalo.close();
  });

  it('removes the webhook, then long-polls with the documented timeout parameter', async () => {
    await eventually(async () => zalo.calls.some((c) => c.method === 'getUpdates'));
    const methods = zalo.calls.map((c) => c.method).filter((m) => m !== 'setWebhook');
    expect(methods.indexOf('deleteWebhook')).toBeLessThan(methods.indexOf('getUpdates'));
    expect(zalo.webhook).toBeNull();
    expect(zalo.calls.find((c) => c.method === 'getUpdates')!.body).toEqual({ timeout: '30' });
  });

  it('stores and answers updates fetched from getUpdates', async () => {
    const chat = newChatId();
    zalo.queueUpdate(zaloUpdate.text(chat, 'Đèn đường hỏng ở đường Pasteur'));
    const answer = await eventually(async () => zalo.textsTo(chat)[0]);
    expect(answer).toMatch(CODE);
    const stored = await t.hotline.db.prisma.message.findFirstOrThrow({ where: { channel: 'zalo_bot', direction: 'inbound', externalId: { startsWith: `${chat}:` } } });
    expect(stored.text).toBe('Đèn đường hỏng ở đường Pasteur');
  });

  it('parses polled updates exactly like webhook ones (images, unknown kinds, malformed ones skipped)', async () => {
    const chat = newChatId();
    zalo.queueUpdate({ event_name: 'message.reaction.received', message: zaloUpdate.text(chat, 'x').message });
    zalo.queueUpdate({ not: 'an update' });
    zalo.queueUpdate(zaloUpdate.image(chat, 'https://f20-zpc.zdn.vn/jpg/a.jpg', 'Ống nước vỡ'));
    const stored = await eventually(() => t.hotline.db.prisma.message.findFirst({ where: { externalId: { startsWith: `${chat}:` } } }));
    expect(stored).toMatchObject({ text: 'Ống nước vỡ', attachments: [{ type: 'image', url: 'https://f20-zpc.zdn.vn/jpg/a.jpg' }] });
    expect(await t.hotline.db.prisma.message.count({ where: { externalId: { startsWith: `${chat}:` }, direction: 'inbound' } })).toBe(1);
  });

  it('backs off after a failing getUpdates and keeps polling', async () => {
    zalo.fail('getUpdates', { errorCode: 502, description: 'Bad Gateway' });
    zalo.fail('getUpdates', { network: true });
    const chat = newChatId();
    // Wake the current poll so the scripted failures are next.
    zalo.queueUpdate(zaloUpdate.text(chat, 'Vỉa hè bị lấn chiếm'));
    const chat2 = newChatId();
    zalo.queueUpdate(zaloUpdate.text(chat2, 'Rác thải trên kênh Nhiêu Lộc'));
    await eventually(async () => zalo.textsTo(chat2).find((x) => CODE.test(x)));
    await eventually(async () => zalo.textsTo(chat).find((x) => CODE.test(x)));
    const failed = zalo.calls.filter((c) => c.method === 'getUpdates' && (c.answer === 'network' || c.answer?.status === 502));
    expect(failed).toHaveLength(2);
  });

  it('keeps a polled update it could not store and stores it once the database is back', async () => {
    const chat = newChatId();
    // Idle first, so the failing transaction is the one storing this message.
    await eventually(async () => (await t.hotline.db.prisma.outboxJob.count({ where: { status: 'pending' } })) === 0);
    const spy = jest.spyOn(t.hotline.db.prisma, '$transaction').mockRejectedValueOnce(new Error('database is down'));
    zalo.queueUpdate(zaloUpdate.text(chat, 'Cống nghẹt gây ngập'));
    await eventually(async () => zalo.textsTo(chat).find((x) => CODE.test(x)));
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
    expect(await t.hotline.db.prisma.message.count({ where: { externalId: { startsWith: `${chat}:` }, direction: 'inbound' } })).toBe(1);
  });

  it('still refuses webhook calls, since no webhook secret is configured', async () => {
    const res = await postZaloBotWebhook(t.baseUrl, zaloUpdate.text(newChatId(), 'x'), '');
    expect(res.status).toBe(401);
  });
});
