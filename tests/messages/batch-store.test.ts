// Group commit of inbound messages (src/messages/batch-store.ts, SQL in src/db/ingest-sql.ts): the
// statements a batch costs (counted at the driver, not timed), its sequence numbers, duplicates,
// conversations replaced behind the cache, a bad message in a good batch, and acknowledgement
// only after COMMIT. On its own database, so every statement counted is the batch's.
import type { Database } from '../../src/db/database';
import type { Channel } from '../../src/generated/prisma/client';
import { ConversationNotFoundError, InboundBatcher } from '../../src/messages/batch-store';
import { openConversation, storeInbound, storeOutbound } from '../../src/messages/store';
import type { InboundMessage } from '../../src/channels/types';
import { openFreshDatabase, usingPostgres } from '../helpers/databases';

let closeDatabase: () => Promise<void>;
let database: Database;
const statements: string[] = [];
const db = () => database.prisma;

beforeAll(async () => {
  ({ database, close: closeDatabase } = await openFreshDatabase({ onStatement: (sql) => statements.push(sql.trim()) }));
});

afterAll(async () => {
  await closeDatabase();
});

let n = 0;
const message = (channelUserId: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({
  channel: 'telegram',
  channelUserId,
  externalId: `batch-${++n}`,
  text: `tin nhắn ${n}`,
  attachments: [],
  sentAt: new Date(),
  ...extra,
});

/** The statements sent while `work` ran. */
async function counted<T>(work: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
  const from = statements.length;
  const result = await work();
  return { result, sql: statements.slice(from) };
}

const transactions = (sql: string[]) => sql.filter((s) => /^BEGIN/i.test(s)).length;

describe('statements per stored message', () => {
  it('50 messages from 50 new people are one transaction of a few statements', async () => {
    const { result, sql } = await counted(() => Promise.all(Array.from({ length: 50 }, (_, i) => storeInbound(db(), message(`new-${i}`)))));
    expect(result.every((r) => !r.duplicate && r.job?.name === 'process_inbound')).toBe(true);
    expect(transactions(sql)).toBe(1);
    // BEGIN, contacts, conversations, messages with their work, COMMIT.
    expect(sql.length).toBeLessThanOrEqual(5);
    expect(sql.length / 50).toBeLessThanOrEqual(0.1);
    expect(await db().message.count({ where: { conversation: { contact: { channelUserId: { startsWith: 'new-' } } } } })).toBe(50);
    expect(await db().outboxJob.count({ where: { messageId: { in: result.map((r) => r.message.id) } } })).toBe(50);
  });

  it('people seen before cost no contact or conversation lookup: one statement for the batch, atomic without a transaction', async () => {
    const { result, sql } = await counted(() => Promise.all(Array.from({ length: 50 }, (_, i) => storeInbound(db(), message(`new-${i}`)))));
    expect(transactions(sql)).toBe(0);
    expect(sql.length).toBe(1);
    expect(result.every((r) => !r.duplicate && r.job?.name === 'process_inbound')).toBe(true);
    expect(await db().outboxJob.count({ where: { messageId: { in: result.map((r) => r.message.id) } } })).toBe(50);
  });

  it('one message alone costs at most five statements, one once its sender is known', async () => {
    expect((await counted(() => storeInbound(db(), message('alone')))).sql.length).toBeLessThanOrEqual(5);
    expect((await counted(() => storeInbound(db(), message('alone')))).sql.length).toBe(1);
  });
});

describe('sequence numbers', () => {
  it('follow the order messages arrived in, across batches and with replies stored between them', async () => {
    const first = await Promise.all(Array.from({ length: 10 }, () => storeInbound(db(), message('order'))));
    const conversation = await db().$transaction((tx) => openConversation(tx, 'telegram', 'order'));
    await db().$transaction((tx) => storeOutbound(tx, conversation, { author: 'bot', text: 'Cảm ơn bạn' }));
    // Two bursts, the second sent while the first is being written.
    const burst = Array.from({ length: 10 }, () => storeInbound(db(), message('order')));
    await new Promise<void>((resolve) => setImmediate(resolve));
    burst.push(...Array.from({ length: 10 }, () => storeInbound(db(), message('order'))));
    const later = await Promise.all(burst);
    expect(first.map((r) => r.message.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(later.map((r) => r.message.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 12));
    const stored = await db().conversation.findUniqueOrThrow({ where: { id: conversation.id }, include: { messages: { orderBy: { seq: 'asc' } } } });
    expect(stored.lastSeq).toBe(31);
    expect(stored.messages.map((m) => m.seq)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
  });

  // Embedded, PGlite has one connection, and one batch at a time is written.
  (usingPostgres() ? it : it.skip)('batches are written several at a time; a person whose earlier message is being written waits for it', async () => {
    const batcher = new InboundBatcher(db(), { inFlight: 2 });
    const store = (who: string) => batcher.store(message(who), undefined, {});
    await store('slow');
    await store('quick');
    const conversation = await db().$transaction((tx) => openConversation(tx, 'telegram', 'slow'));
    // Hold the slow person's conversation: the batch with their next message waits for it.
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const isHeld = new Promise<void>((resolve) => (held = resolve));
    const lock = db().$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM conversation WHERE id = ${conversation.id}::uuid FOR UPDATE`;
        held();
        await holding;
      },
      { timeout: 20_000 },
    );
    await isHeld;
    const first = store('slow');
    await new Promise<void>((resolve) => setImmediate(resolve));
    const second = store('slow');
    let secondDone = false;
    void second.then(() => (secondDone = true));
    const other = await store('quick');
    // Another person's message was written while the first batch waited; the second message,
    // written before it, was not in its batch: it waits for the first.
    expect(other.message.seq).toBe(2);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(secondDone).toBe(false);
    release();
    await lock;
    const [a, b] = await Promise.all([first, second]);
    expect([a.message.seq, b.message.seq]).toEqual([2, 3]);
  });
});

describe('duplicates', () => {
  it('a platform message delivered twice, in one batch or later, is stored once and both deliveries are answered', async () => {
    const again = message('dup');
    const [a, b] = await Promise.all([storeInbound(db(), again), storeInbound(db(), { ...again })]);
    const c = await storeInbound(db(), { ...again, text: 'retried' });
    expect(a).toMatchObject({ duplicate: false });
    expect(b).toEqual({ message: a.message, duplicate: true });
    expect(c).toEqual({ message: a.message, duplicate: true });
    expect(await db().message.count({ where: { channel: 'telegram', externalId: again.externalId } })).toBe(1);
    expect(await db().outboxJob.count({ where: { messageId: a.message.id } })).toBe(1);
  });

  it('the same platform id on another channel is another message', async () => {
    const one = message('dup-channels');
    const [a, b] = await Promise.all([storeInbound(db(), one), storeInbound(db(), { ...one, channel: 'zalo_bot' as Channel })]);
    expect([a.duplicate, b.duplicate]).toEqual([false, false]);
    expect(a.message.id).not.toBe(b.message.id);
  });
});

describe('contacts and conversations', () => {
  it('a message goes to the newest conversation of its person, even one opened after the sender was cached', async () => {
    const first = await storeInbound(db(), message('rotated'));
    const old = await db().message.findUniqueOrThrow({ where: { id: first.message.id } });
    const contact = await db().contact.findUniqueOrThrow({ where: { channel_channelUserId: { channel: 'telegram', channelUserId: 'rotated' } } });
    const newer = await db().conversation.create({ data: { contactId: contact.id, channel: 'telegram', createdAt: new Date(Date.now() + 1000) } });
    const next = await storeInbound(db(), message('rotated'));
    const stored = await db().message.findUniqueOrThrow({ where: { id: next.message.id } });
    const chosen = await db().$transaction((tx) => openConversation(tx, 'telegram', 'rotated'));
    expect(stored.conversationId).toBe(newer.id);
    expect(chosen.id).toBe(newer.id);
    expect(stored.conversationId).not.toBe(old.conversationId);
    expect(stored.seq).toBe(1);
  });

  it('in a batch of known senders, a replaced conversation is found again for its message alone; the others are not answered as duplicates', async () => {
    await Promise.all(['known-a', 'known-b', 'known-c'].map((u) => storeInbound(db(), message(u))));
    const contact = await db().contact.findUniqueOrThrow({ where: { channel_channelUserId: { channel: 'telegram', channelUserId: 'known-b' } } });
    const newer = await db().conversation.create({ data: { contactId: contact.id, channel: 'telegram', createdAt: new Date(Date.now() + 1000) } });
    const results = await Promise.all(['known-a', 'known-b', 'known-c'].map((u) => storeInbound(db(), message(u))));
    expect(results.map((r) => r.duplicate)).toEqual([false, false, false]);
    expect(results.every((r) => r.job?.name === 'process_inbound')).toBe(true);
    const stored = await db().message.findMany({ where: { id: { in: results.map((r) => r.message.id) } }, include: { conversation: { include: { contact: true } } } });
    expect(stored.find((m) => m.conversation.contact.channelUserId === 'known-b')).toMatchObject({ conversationId: newer.id, seq: 1 });
    expect(stored.filter((m) => m.conversation.contact.channelUserId !== 'known-b').map((m) => m.seq)).toEqual([2, 2]);
  });

  it('reads replies as choices of the latest message sent, with one look-up for the batch', async () => {
    await Promise.all(['menu-a', 'menu-b'].map((u) => storeInbound(db(), message(u))));
    const buttons = [
      { label: 'Tra cứu', value: 'status' },
      { label: 'Phản ánh', value: 'report' },
    ];
    for (const u of ['menu-a', 'menu-b']) {
      const conversation = await db().$transaction((tx) => openConversation(tx, 'telegram', u));
      await db().$transaction((tx) => storeOutbound(tx, conversation, { author: 'bot', text: 'Bạn cần gì?', buttons }));
    }
    const pick = (buttonsStored: unknown, text: string) => {
      const list = Array.isArray(buttonsStored) ? (buttonsStored as typeof buttons) : [];
      return list[Number(text) - 1]?.value ?? null;
    };
    const { result, sql } = await counted(() =>
      Promise.all([
        storeInbound(db(), message('menu-a', { text: '2' }), undefined, { readChoice: (b) => pick(b, '2') }),
        storeInbound(db(), message('menu-b', { text: 'xin chào' }), undefined, { readChoice: (b) => pick(b, 'xin chào') }),
        storeInbound(db(), message('menu-new', { text: '1' }), undefined, { readChoice: (b) => pick(b, '1') }),
      ]),
    );
    expect(sql.filter((q) => /FROM unnest/.test(q) && /m\.buttons/.test(q))).toHaveLength(1);
    const texts = await Promise.all(result.map(async (r) => (await db().message.findUniqueOrThrow({ where: { id: r.message.id } })).text));
    expect(texts).toEqual(['report', 'xin chào', '1']);
  });

  it('keeps the newest display name given, and the language hint of the first message only', async () => {
    await storeInbound(db(), message('named', { displayName: 'Lan', localeHint: 'en' }));
    await Promise.all([storeInbound(db(), message('named', { displayName: 'Lan Nguyễn' })), storeInbound(db(), message('named'))]);
    await storeInbound(db(), message('named', { displayName: '', localeHint: 'vi' }));
    const contact = await db().contact.findUniqueOrThrow({ where: { channel_channelUserId: { channel: 'telegram', channelUserId: 'named' } } });
    expect(contact).toMatchObject({ displayName: 'Lan Nguyễn', locale: 'en' });
    expect(await db().contact.count({ where: { channelUserId: 'named' } })).toBe(1);
    expect(await db().conversation.count({ where: { contactId: contact.id } })).toBe(1);
  });

  it('stores into the conversation the caller names (web chat)', async () => {
    const conversation = await db().$transaction((tx) => openConversation(tx, 'webchat', 'session-1'));
    const stored = await storeInbound(db(), message('session-1', { channel: 'webchat' }), conversation.id);
    expect((await db().message.findUniqueOrThrow({ where: { id: stored.message.id } })).conversationId).toBe(conversation.id);
  });

  it('a message over its sender’s limit is stored without work', async () => {
    const stored = await storeInbound(db(), message('flood'), undefined, { rateLimited: true, fullText: 'tin nhắn rất dài' });
    expect(stored.job).toBeUndefined();
    expect(await db().message.findUniqueOrThrow({ where: { id: stored.message.id } })).toMatchObject({ rateLimited: true, fullText: 'tin nhắn rất dài' });
    expect(await db().outboxJob.count({ where: { messageId: stored.message.id } })).toBe(0);
  });
});

describe('failures', () => {
  it('a bad message fails alone, with its own error; the rest of its batch is stored', async () => {
    const good = Array.from({ length: 6 }, (_, i) => storeInbound(db(), message(`good-${i}`)));
    // Not a uuid: the batch's statement fails as a whole, and is written again one by one.
    const malformed = storeInbound(db(), message('session-x', { channel: 'webchat' }), 'not-a-conversation-id');
    const missing = storeInbound(db(), message('session-y', { channel: 'webchat' }), '00000000-0000-4000-8000-000000000000');
    const invalidDate = storeInbound(db(), message('bad-date', { sentAt: new Date(Number.NaN) }));
    const results = await Promise.allSettled([...good, malformed, missing, invalidDate]);
    expect(results.slice(0, 6).map((r) => r.status)).toEqual(Array(6).fill('fulfilled'));
    const [m, x, d] = results.slice(6) as [PromiseRejectedResult, PromiseRejectedResult, PromiseRejectedResult];
    expect(m.status).toBe('rejected');
    expect(String(m.reason)).toMatch(/uuid/i);
    expect(x.reason).toBeInstanceOf(ConversationNotFoundError);
    expect(String(x.reason)).toContain('00000000-0000-4000-8000-000000000000');
    expect(d.status).toBe('rejected');
    expect(await db().message.count({ where: { conversation: { contact: { channelUserId: { startsWith: 'good-' } } } } })).toBe(6);
    expect(await db().contact.count({ where: { channelUserId: 'bad-date' } })).toBe(0);
  });

  it('answers a message only after its batch committed', async () => {
    const events: string[] = [];
    const from = statements.length;
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        storeInbound(db(), message(`ack-${i}`)).then(() => events.push(`answered after ${statements.slice(from).join(' | ')}`)),
      ),
    );
    for (const e of events) expect(e).toMatch(/COMMIT$/i);
  });
});
