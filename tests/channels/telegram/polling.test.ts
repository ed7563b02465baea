// Development mode (CHANNEL_POLLING=true): updates fetched with getUpdates go through the webhook's
// path; an update that could not be stored is fetched again. And webhook registration.
import pino from 'pino';
import { createTelegramChannel } from '../../../bots/telegram';
import type { ChannelInbox, InboundMessage } from '../../../src/channels/types';
import type { Db } from '../../../src/db/database';
import { FakeTelegram, rawWithBareIds, textUpdate } from '../../helpers/fake-telegram';
import { eventually, startTestHotline } from '../../helpers/hotline';

const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;

describe('Telegram long polling', () => {
  let fake: FakeTelegram;
  beforeAll(async () => {
    fake = await FakeTelegram.start();
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('CHANNEL_POLLING=true: deletes the webhook, fetches updates, and the bot answers', async () => {
    const t = await startTestHotline({
      env: { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_BASE: fake.url, CHANNEL_POLLING: 'true' },
    });
    try {
      const chat = '-1009876543210987';
      fake.pushUpdate(textUpdate(501, 777001, 1, 'Vỉa hè bị lấn chiếm ở đường Nguyễn Huệ'));
      // A big group id as a bare number, the way Telegram writes it.
      fake.pushUpdate(
        rawWithBareIds(
          {
            update_id: 502,
            message: {
              message_id: 9,
              date: 1767225600,
              from: { id: 111, is_bot: false, first_name: 'Lan' },
              chat: { id: chat, type: 'group', title: 'Khu phố 2' },
              text: '/report@hotline1022_bot cây đổ',
              entities: [{ type: 'bot_command', offset: 0, length: 23 }],
            },
          },
          [chat],
        ),
      );
      await eventually(async () => fake.sent('777001').find((c) => CODE.test(String(c.body.text))));
      await eventually(async () => fake.sent(chat).find((c) => CODE.test(String(c.body.text))));
      expect(fake.callsOf('deleteWebhook')[0]?.body).toMatchObject({ drop_pending_updates: false });
      expect(fake.calls.findIndex((c) => c.method === 'deleteWebhook')).toBeLessThan(fake.calls.findIndex((c) => c.method === 'getUpdates'));
      // Later polls confirm what was handled.
      await eventually(async () => fake.callsOf('getUpdates').some((c) => c.body.offset === 503));
      expect(fake.callsOf('getUpdates')[0]?.body.allowed_updates).toEqual(['message', 'edited_message', 'callback_query', 'my_chat_member']);
    } finally {
      await t.stop();
    }
  });

  it('fetches an update again when it could not be stored, and stops on close()', async () => {
    const stored: InboundMessage[] = [];
    let failures = 2;
    const inbox: ChannelInbox = {
      async receive(inbound) {
        if (failures > 0) {
          failures -= 1;
          throw new Error('database is down');
        }
        stored.push(inbound);
        return { duplicate: false, messageId: 'm' };
      },
      receipt: async () => 0,
      subscription: async () => undefined,
    };
    const channel = createTelegramChannel(
      { token: fake.token, webhookSecret: '', apiBase: fake.url },
      { db: {} as Db, inbox, log: pino({ level: 'silent' }) },
      { pollTimeoutSeconds: 1, pollBackoffMs: { min: 5, max: 20 } },
    );
    fake.pushUpdate(textUpdate(601, 777002, 1, 'Mất nước cả khu'));
    fake.pushUpdate(textUpdate(602, 777002, 2, 'Từ sáng tới giờ'));
    channel.startPolling!();
    try {
      await eventually(async () => stored.length === 2);
      expect(stored.map((m) => m.externalId)).toEqual(['777002:1', '777002:2']);
    } finally {
      await channel.close();
    }
    const polls = fake.callsOf('getUpdates').length;
    fake.pushUpdate(textUpdate(603, 777002, 3, 'after close'));
    expect(fake.callsOf('getUpdates')).toHaveLength(polls);
    expect(stored).toHaveLength(2);
  });

  it('registers the webhook with its secret and the update kinds it handles', async () => {
    const channel = createTelegramChannel(
      { token: fake.token, webhookSecret: 'registered-secret', apiBase: fake.url },
      { db: {} as Db, inbox: {} as ChannelInbox, log: pino({ level: 'silent' }) },
    );
    const said = await channel.setWebhook!('https://hotline.example.vn');
    expect(fake.callsOf('setWebhook').at(-1)?.body).toEqual({
      url: 'https://hotline.example.vn/webhooks/telegram',
      secret_token: 'registered-secret',
      allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
      drop_pending_updates: false,
    });
    expect(said).toContain('https://hotline.example.vn/webhooks/telegram');
    await channel.setWebhook!('https://hotline.example.vn/webhooks/telegram');
    expect(fake.callsOf('setWebhook').at(-1)?.body.url).toBe('https://hotline.example.vn/webhooks/telegram');

    const noSecret = createTelegramChannel(
      { token: fake.token, webhookSecret: '', apiBase: fake.url },
      { db: {} as Db, inbox: {} as ChannelInbox, log: pino({ level: 'silent' }) },
    );
    await expect(noSecret.setWebhook!('https://hotline.example.vn')).rejects.toThrow(/TELEGRAM_WEBHOOK_SECRET/);
  });
});
