// The Zalo Bot adapter and channel module against the fake platform alone (no hotline): parts and
// their order, choices as a numbered list, how each refusal is classified, and setWebhook's call.
import pino from 'pino';
import { createZaloBotChannel } from '../../../bots/zalo-bot';
import { ZaloBotClient } from '../../../bots/zalo-bot/client';
import { planParts, ZaloBotAdapter } from '../../../bots/zalo-bot/outbound';
import { RateLimiter } from '../../../src/channels/rate-limit';
import { PermanentDeliveryError, RetryLaterError, type OutboundMessage } from '../../../src/channels/types';
import type { Db } from '../../../src/db/database';
import { newChatId, startFakeZaloBot, type FakeZaloBot } from '../../helpers/fake-zalo-bot';
import { memoryLedger } from '../../helpers/memory-ledger';

const message = (chatId: string, over: Partial<OutboundMessage> = {}): OutboundMessage => ({
  messageId: 'm1',
  conversationId: 'c1',
  channel: 'zalo_bot',
  channelUserId: chatId,
  seq: 2,
  author: 'agent',
  text: 'Xin chào',
  ...over,
});

describe('Zalo Bot adapter', () => {
  let zalo: FakeZaloBot;
  let adapter: ZaloBotAdapter;
  beforeAll(async () => {
    zalo = await startFakeZaloBot();
    const client = new ZaloBotClient({ apiBase: zalo.apiBase, token: zalo.token });
    adapter = new ZaloBotAdapter(client, new RateLimiter({ perSecond: 1000, perKeyIntervalMs: 0 }));
  });
  afterAll(async () => {
    await zalo.close();
  });

  it('sends text parts, then each image as its own sendPhoto, recording each platform id', async () => {
    const chat = newChatId();
    const ledger = memoryLedger();
    const images = ['https://cdn.hotline.test/a.jpg', 'https://cdn.hotline.test/b.jpg'];
    await adapter.send(message(chat, { text: 'Ảnh hiện trường sau khi sửa:', images }), ledger);
    const calls = zalo.calls.filter((c) => c.body.chat_id === chat);
    expect(calls.map((c) => [c.method, c.body])).toEqual([
      ['sendMessage', { chat_id: chat, text: 'Ảnh hiện trường sau khi sửa:' }],
      ['sendPhoto', { chat_id: chat, photo: images[0] }],
      ['sendPhoto', { chat_id: chat, photo: images[1] }],
    ]);
    expect(ledger.recorded.map(([i]) => i)).toEqual([0, 1, 2]);
    expect(ledger.recorded.every(([, id]) => typeof id === 'string' && /^[0-9a-f]{20}$/.test(id!))).toBe(true);
  });

  it('skips the parts an earlier attempt delivered', async () => {
    const chat = newChatId();
    await adapter.send(message(chat, { text: 'Phần chữ', images: ['https://cdn.hotline.test/c.jpg'] }), memoryLedger([0]));
    expect(zalo.calls.filter((c) => c.body.chat_id === chat).map((c) => c.method)).toEqual(['sendPhoto']);
  });

  it('offers choices as a numbered list (the API has no keyboards)', () => {
    const parts = planParts(message('x', { text: 'Bạn cần gì?', buttons: [{ label: 'Tra cứu hồ sơ', value: 'status' }, { label: 'Gửi phản ánh', value: 'report' }] }));
    expect(parts).toEqual([{ kind: 'text', text: 'Bạn cần gì?\n\n1. Tra cứu hồ sơ\n2. Gửi phản ánh' }]);
  });

  it('splits text over 2,000 characters', () => {
    const parts = planParts(message('x', { text: 'Câu trả lời dài. '.repeat(300) }));
    expect(parts.length).toBe(3);
    for (const p of parts) expect(p.kind === 'text' && [...p.text].length <= 2000).toBe(true);
  });

  async function refusal(failure: Parameters<FakeZaloBot['fail']>[1]): Promise<unknown> {
    const chat = newChatId();
    zalo.fail('sendMessage', { ...failure, when: (b) => b.chat_id === chat });
    // A fresh adapter each time: a 429 pauses the adapter's pacing, which would slow the next cases.
    const fresh = new ZaloBotAdapter(new ZaloBotClient({ apiBase: zalo.apiBase, token: zalo.token }), new RateLimiter({ perSecond: 1000, perKeyIntervalMs: 0 }));
    return fresh.send(message(chat), memoryLedger()).then(
      () => 'delivered',
      (err: unknown) => err,
    );
  }

  it('turns a 429 into RetryLaterError with retry_after', async () => {
    const err = await refusal({ errorCode: 429, description: 'Too Many Requests', retryAfter: 3 });
    expect(err).toBeInstanceOf(RetryLaterError);
    expect((err as RetryLaterError).retryAfterMs).toBe(3000);
  });

  it('turns a 429 without retry_after into a short wait', async () => {
    const err = await refusal({ errorCode: 429, description: 'Too Many Requests' });
    expect((err as RetryLaterError).retryAfterMs).toBeGreaterThan(0);
  });

  it.each([
    [403, 'User has blocked the bot', 200],
    [403, 'Forbidden', 403],
    [404, 'Chat not found', 404],
    [400, 'Bad Request: chat not found', 400],
  ])('gives up at once (blocked) on error_code %s "%s"', async (errorCode, description, status) => {
    const err = await refusal({ errorCode, description, status });
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect((err as PermanentDeliveryError).reason).toBe('blocked');
  });

  it('gives up at once on a request the platform rejects as invalid', async () => {
    const err = await refusal({ errorCode: 400, description: 'photo url is invalid' });
    expect(err).toMatchObject({ name: 'PermanentDeliveryError', reason: 'rejected' });
  });

  it.each([
    ['a 5xx', { errorCode: 503, description: 'Service Unavailable' }],
    ['an ok:false with HTTP 200', { errorCode: 500, status: 200, description: 'Internal error' }],
    ['a revoked token', { errorCode: 401, description: 'Unauthorized' }],
    ['a dropped connection', { network: true }],
  ])('lets the queue retry %s, without the token in the error', async (_kind, failure) => {
    const err = await refusal(failure);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(PermanentDeliveryError);
    expect(err).not.toBeInstanceOf(RetryLaterError);
    expect(String((err as Error).message)).not.toContain(zalo.token);
    expect(String((err as Error).message)).toMatch(/Zalo Bot sendMessage/);
  });

  it('registers the webhook with setWebhook { url, secret_token }', async () => {
    const deps = { db: {} as Db, inbox: {} as never, log: pino({ level: 'silent' }) };
    const channel = createZaloBotChannel({ token: zalo.token, webhookSecret: 'a-long-enough-secret', apiBase: zalo.apiBase }, deps);
    expect(await channel.setWebhook!('https://hotline.example.vn/webhooks/zalo-bot')).toBe(
      'Zalo Bot: webhook set to https://hotline.example.vn/webhooks/zalo-bot',
    );
    const call = zalo.calls.filter((c) => c.method === 'setWebhook').at(-1)!;
    expect(call.body).toEqual({ url: 'https://hotline.example.vn/webhooks/zalo-bot', secret_token: 'a-long-enough-secret' });
    // A bare public address is completed with the route.
    await channel.setWebhook!('https://hotline.example.vn');
    expect(zalo.webhook).toEqual({ url: 'https://hotline.example.vn/webhooks/zalo-bot', secret_token: 'a-long-enough-secret' });

    const short = createZaloBotChannel({ token: zalo.token, webhookSecret: 'short', apiBase: zalo.apiBase }, deps);
    await expect(short.setWebhook!('https://hotline.example.vn')).rejects.toThrow(/8 to 256 characters/);
    // The platform's own refusal is reported, not swallowed.
    zalo.fail('setWebhook', { errorCode: 400, description: 'url must be HTTPS' });
    await expect(channel.setWebhook!('https://hotline.example.vn')).rejects.toThrow(/url must be HTTPS/);
    await channel.close();
  });
});
