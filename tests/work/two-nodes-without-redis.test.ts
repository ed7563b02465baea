// Two nodes on one PostgreSQL without Redis: each has its own in-process queue and each sweeps the
// stored work up, so both hold every job. Processing was always claimed in the database; delivery
// is claimed there too, so every reply reaches the person once.
import { FakeTelegram, textUpdate } from '../helpers/fake-telegram';
import { eventually, startTestHotline, type TestHotline } from '../helpers/hotline';
import { describeIf, REQUIRES } from '../helpers/requires';

const SECRET = 'telegram-secret-for-two-nodes';
const CHATS = 20;
const MESSAGES_EACH = 2;

describeIf(REQUIRES.postgres, 'two nodes without Redis', () => {
  const nodes: TestHotline[] = [];
  let fake: FakeTelegram;
  beforeAll(async () => {
    fake = await FakeTelegram.start();
    const redisUrl = process.env.REDIS_URL;
    delete process.env.REDIS_URL; // in-process queues on both nodes
    try {
      const env = { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_BASE: fake.url };
      // Both sweep often, so each puts the other's stored work on its own queue too.
      const first = await startTestHotline({ env, sweepIntervalMs: 50 });
      nodes.push(first);
      nodes.push(
        await startTestHotline({
          env: { ...env, DATABASE_URL: first.env.DATABASE_URL! },
          database: { env: { DATABASE_URL: first.env.DATABASE_URL! }, drop: async () => undefined },
          sweepIntervalMs: 50,
        }),
      );
    } finally {
      if (redisUrl !== undefined) process.env.REDIS_URL = redisUrl;
    }
  });
  afterAll(async () => {
    for (const node of nodes.slice(1)) await node.stop();
    await nodes[0]?.stop();
    await fake?.stop();
  });

  it('sends every reply once', async () => {
    const chats = Array.from({ length: CHATS }, (_, i) => String(990000 + i));
    let updateId = 1;
    await Promise.all(
      chats.map(async (chat, i) => {
        for (let m = 0; m < MESSAGES_EACH; m++) {
          const res = await fetch(`${nodes[i % 2]!.baseUrl}/webhooks/telegram`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
            body: JSON.stringify(textUpdate(updateId++, chat, m + 1, m === 0 ? 'Mất nước từ sáng' : 'Vẫn chưa có nước')),
          });
          expect(res.status).toBe(200);
        }
      }),
    );
    const prisma = nodes[0]!.hotline.db.prisma;
    await eventually(async () => (await prisma.outboxJob.count({ where: { status: 'pending' } })) === 0 && (await prisma.outboxJob.count()) > 0, 60_000);
    const replies = await prisma.message.findMany({ where: { direction: 'outbound', channel: 'telegram' }, select: { id: true, text: true, conversation: { select: { contact: { select: { channelUserId: true } } } } } });
    expect(replies).toHaveLength(CHATS * MESSAGES_EACH);
    for (const chat of chats) {
      const stored = replies.filter((r) => r.conversation.contact.channelUserId === chat).map((r) => r.text);
      // What the platform received for this chat is exactly what was stored, each once.
      expect(fake.sent(chat).map((c) => String(c.body.text)).sort()).toEqual(stored.sort());
    }
  });
});
