// The Telegram adapter against the fake Bot API: parts, the ledger, keyboards, and how each
// Bot API failure is turned into a retry, a wait, or giving up.
import pino from 'pino';
import { createTelegramChannel } from '../../../bots/telegram';
import { callbackData, hashedButton, planParts } from '../../../bots/telegram/outbound';
import {
  PermanentDeliveryError,
  RetryLaterError,
  type ChannelAdapter,
  type ChannelInbox,
  type OutboundMessage,
} from '../../../src/channels/types';
import type { Db } from '../../../src/db/database';
import { FAILURES, FakeTelegram } from '../../helpers/fake-telegram';
import { memoryLedger } from '../../helpers/memory-ledger';

let n = 0;
function message(chatId: string, over: Partial<OutboundMessage> = {}): OutboundMessage {
  n += 1;
  return { messageId: `msg-${n}`, conversationId: 'c', channel: 'telegram', channelUserId: chatId, seq: n, author: 'bot', text: 'Xin chào', ...over };
}

/** About 9,000 characters in sentences, so it splits into three parts. */
const LONG = Array.from({ length: 180 }, (_, i) => `Câu số ${i + 1} của câu trả lời rất dài về thủ tục hành chính.`).join(' ');

describe('Telegram outbound', () => {
  let fake: FakeTelegram;
  let adapter: ChannelAdapter;
  beforeAll(async () => {
    fake = await FakeTelegram.start();
    const inbox = {} as ChannelInbox;
    const channel = createTelegramChannel(
      { token: fake.token, webhookSecret: 's', apiBase: fake.url },
      // No pacing here: the limits are the rate limiter's own tests' business; these are about failures.
      { db: {} as Db, inbox, log: pino({ level: 'silent' }) },
      { rateLimit: { perSecond: 1000, perKeyIntervalMs: 0 } },
    );
    adapter = channel.adapter;
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => fake.clearFailures());

  it('sends text with the chat id as a string, and records the part with its Telegram message id', async () => {
    const ledger = memoryLedger();
    await adapter.send(message('-1001234567890123', { text: 'Yêu cầu HCM-26-7K3QD đã được tiếp nhận.' }), ledger);
    const call = fake.sent('-1001234567890123').at(-1)!;
    expect(call.body).toMatchObject({ chat_id: '-1001234567890123', text: 'Yêu cầu HCM-26-7K3QD đã được tiếp nhận.' });
    expect(ledger.sentParts.get(0)).toBe(`-1001234567890123:${call.messageId}`);
  });

  it('splits a 9,000-character answer into parts of at most 4,096 and resends none after a later part fails once', async () => {
    expect(LONG.length).toBeGreaterThan(8500);
    const parts = planParts(message('1', { text: LONG }));
    expect(parts).toHaveLength(3);
    const chat = '5001';
    fake.fail('sendMessage', FAILURES.serverError(), 1, (body) => body.chat_id === chat && fake.sent(chat).length === 2);
    const ledger = memoryLedger();
    const msg = message(chat, { text: LONG });
    await expect(adapter.send(msg, ledger)).rejects.toThrow(/500/);
    expect([...ledger.sentParts.keys()]).toEqual([0, 1]);
    await adapter.send(msg, ledger); // the queue's retry
    const texts = fake.sent(chat).map((c) => String(c.body.text));
    expect(texts).toHaveLength(3);
    expect(new Set(texts).size).toBe(3);
    expect(texts.every((t) => t.length <= 4096)).toBe(true);
    expect(texts.join(' ')).toBe(LONG);
  });

  it('sends images with sendPhoto after the text, and choices as an inline keyboard on the last part', async () => {
    const chat = '5002';
    const long = 'Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh — khu phố 3, tổ dân phố số 12, hẻm 45 Nguyễn Trãi';
    await adapter.send(
      message(chat, {
        text: 'Bạn muốn làm gì?',
        images: ['https://hotline.test/files/map.png'],
        buttons: [
          { label: 'Phản ánh', value: 'report' },
          { label: 'Địa chỉ dài', value: long },
        ],
      }),
      memoryLedger(),
    );
    const [text, photo] = fake.sent(chat);
    expect(text?.method).toBe('sendMessage');
    expect(text?.body.reply_markup).toBeUndefined();
    expect(photo).toMatchObject({ method: 'sendPhoto', body: { photo: 'https://hotline.test/files/map.png' } });
    expect(photo?.body.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'Phản ánh', callback_data: 'report' }], [{ text: 'Địa chỉ dài', callback_data: hashedButton(long) }]],
    });
  });

  it('keeps callback_data within 64 bytes (bytes, not characters)', () => {
    const vietnamese = 'đ'.repeat(40); // 40 characters, 80 bytes
    expect(callbackData('report')).toBe('report');
    expect(callbackData(vietnamese)).toBe(hashedButton(vietnamese));
    expect(Buffer.byteLength(hashedButton(vietnamese))).toBeLessThanOrEqual(64);
    expect(callbackData('#h:looks-like-a-hash')).not.toBe('#h:looks-like-a-hash');
  });

  it('429 → waits as long as Telegram asks (retry_after), as a RetryLaterError', async () => {
    fake.fail('sendMessage', FAILURES.tooManyRequests(7));
    const err = await adapter.send(message('5003'), memoryLedger()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLaterError);
    expect((err as RetryLaterError).retryAfterMs).toBe(7000);
  });

  it('403 (blocked) and 400 chat not found → give up at once', async () => {
    fake.fail('sendMessage', FAILURES.blocked());
    const blocked = await adapter.send(message('5004'), memoryLedger()).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(PermanentDeliveryError);
    expect((blocked as PermanentDeliveryError).reason).toBe('blocked');
    fake.fail('sendMessage', FAILURES.chatNotFound());
    const missing = await adapter.send(message('5005'), memoryLedger()).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PermanentDeliveryError);
    expect((missing as PermanentDeliveryError).reason).toBe('chat_not_found');
  });

  it('5xx and an unreachable server → an ordinary error (retried with backoff)', async () => {
    fake.fail('sendMessage', FAILURES.serverError());
    const err = await adapter.send(message('5006'), memoryLedger()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(PermanentDeliveryError);
    expect(err).not.toBeInstanceOf(RetryLaterError);

    const offline = createTelegramChannel(
      { token: fake.token, webhookSecret: 's', apiBase: 'http://127.0.0.1:9' },
      { db: {} as Db, inbox: {} as ChannelInbox, log: pino({ level: 'silent' }) },
    );
    const unreachable = await offline.adapter.send(message('5007'), memoryLedger()).catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(Error);
    expect(unreachable).not.toBeInstanceOf(PermanentDeliveryError);
    expect(String((unreachable as Error).message)).toMatch(/could not be reached/);
  });
});
