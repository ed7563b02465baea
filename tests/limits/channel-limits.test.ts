// Limits at the channel boundary (src/channels/inbox.ts), the same for every platform channel;
// shown here through the Zalo OA webhook. Issue 8, items 8 (per sender) and 10 (message length).
import { userEvent } from '../helpers/fake-zalo-oa';
import { eventually } from '../helpers/hotline';
import { clampText } from '../../src/channels/inbox';
import { APP_ID, sentMatching, startZaloHotline, type ZaloHotline } from '../channels/zalo-oa/harness';

describe('channel boundary limits', () => {
  let z: ZaloHotline;
  beforeAll(async () => {
    z = await startZaloHotline({ env: { MAX_MESSAGE_CHARS: '50', LIMIT_CHANNEL_MESSAGES_PER_SENDER: '3' } });
  });
  afterAll(async () => {
    await z.stop();
  });

  const prisma = () => z.t.hotline.db.prisma;
  const msgIdOf = (raw: string) => (JSON.parse(raw) as { message: { msg_id: string } }).message.msg_id;
  const stored = (raw: string) =>
    prisma().message.findUniqueOrThrow({ where: { channel_externalId: { channel: 'zalo_oa', externalId: msgIdOf(raw) } } });

  it('keeps the first MAX_MESSAGE_CHARS characters as the text and the whole text beside it', async () => {
    // 48 letters, then emoji (two UTF-16 units each): characters are counted as a person sees them.
    const long = `${'a'.repeat(48)}${'🗑️'.repeat(3)}${'ô'.repeat(100_000)}`;
    const raw = userEvent(APP_ID, 'user_send_text', '3001', { text: long });
    const res = await z.post(raw);
    expect(res).toMatchObject({ status: 200, body: { ok: true } });
    const m = await stored(raw);
    expect([...m.text]).toHaveLength(50);
    expect(m.text).toBe(`${'a'.repeat(48)}🗑\u{fe0f}`);
    expect(m.fullText).toBe(long);
    // The bot handles the message (it reads the short text) like any other.
    await sentMatching(z.fake, (_text, userId) => userId === '3001');
    // A message within the limit has no separate full text.
    const short = userEvent(APP_ID, 'user_send_text', '3001', { text: 'ngắn thôi' });
    await z.post(short);
    expect(await stored(short)).toMatchObject({ text: 'ngắn thôi', fullText: null });
  });

  it('cuts text without walking more of it than it keeps', () => {
    expect(clampText('abc', 3)).toEqual({ text: 'abc', cut: false });
    expect(clampText('🗑🗑🗑', 3)).toEqual({ text: '🗑🗑🗑', cut: false });
    expect(clampText('🗑🗑🗑🗑', 3)).toEqual({ text: '🗑🗑🗑', cut: true });
    expect(clampText('x'.repeat(10), 4)).toEqual({ text: 'xxxx', cut: true });
  });

  it('stores a flood from one sender and answers 200, but only the first messages open work', async () => {
    const raws = Array.from({ length: 7 }, (_, i) => userEvent(APP_ID, 'user_send_text', '3002', { text: `tin số ${i + 1}` }));
    for (const raw of raws) expect(await z.post(raw)).toMatchObject({ status: 200, body: { ok: true, duplicate: false } });
    const messages = await Promise.all(raws.map(stored));
    expect(messages.map((m) => m.rateLimited)).toEqual([false, false, false, true, true, true, true]);
    const jobs = await prisma().outboxJob.findMany({ where: { messageId: { in: messages.map((m) => m.id) } }, select: { messageId: true } });
    expect(jobs.map((j) => j.messageId).sort()).toEqual(messages.slice(0, 3).map((m) => m.id).sort());
    // A redelivery of a flood message is still stored once.
    expect(await z.post(raws[6]!)).toMatchObject({ status: 200, body: { duplicate: true } });
    // Another person writing at the same time is not affected.
    const other = userEvent(APP_ID, 'user_send_text', '3003', { text: 'người khác' });
    await z.post(other);
    expect(await stored(other)).toMatchObject({ rateLimited: false });
    // The first messages are answered as usual.
    await eventually(async () => (await prisma().outboxJob.count({ where: { messageId: { in: messages.slice(0, 3).map((m) => m.id) }, status: 'done' } })) === 3);
  });
});
