// Processing a message (src/work/handlers.ts) counted in statements at the driver, not timed: the
// job, its conversation and contact are claimed and read in one statement, a reply is stored in one.
// The rows src/db/work-sql.ts builds by hand are compared with Prisma's own.
import pino from 'pino';
import { DEFAULT_FLOWS } from '../../flows';
import { knowledgeBase } from '../../src/conversation/knowledge';
import type { Database } from '../../src/db/database';
import { claimMessage } from '../../src/db/work-sql';
import { createTranslator } from '../../src/i18n';
import { loadKnowledgeIndex } from '../../src/knowledge/search';
import { openConversation, storeInbound, storeOutbound } from '../../src/messages/store';
import type { JobRef } from '../../src/queue/types';
import { loadWorkingCalendar } from '../../src/tickets/calendar';
import { workHandlers } from '../../src/work/handlers';
import { HandOn } from '../../src/work/hand-on';
import { PermanentDeliveryError } from '../../src/channels/types';
import { requeuePending } from '../../src/work/outbox';
import { openFreshDatabase } from '../helpers/databases';

let closeDatabase: () => Promise<void>;
let database: Database;
let handlers: ReturnType<typeof workHandlers>;
let handlerDeps: Parameters<typeof workHandlers>[0];
const statements: string[] = [];
const enqueued: JobRef[] = [];
const db = () => database.prisma;

beforeAll(async () => {
  ({ database, close: closeDatabase } = await openFreshDatabase({ onStatement: (sql) => statements.push(sql.trim()) }));
  handlerDeps = {
    db: db(),
    queue: { enqueue: async (job: JobRef) => void enqueued.push(job) } as never,
    channels: new Map(),
    log: pino({ level: 'silent' }),
    maxAttempts: 3,
    flows: DEFAULT_FLOWS,
    translator: await createTranslator(),
    classifier: null,
    publicUrl: 'https://hotline.test',
    tickets: { trackingPrefix: 'HCM', timezoneOffsetMinutes: 420, confidenceThreshold: 0.5, calendar: await loadWorkingCalendar(db()) },
    knowledge: knowledgeBase(await loadKnowledgeIndex(db())),
  };
  handlers = workHandlers(handlerDeps);
});

afterAll(async () => {
  await closeDatabase();
});

let n = 0;
const receive = async (channelUserId: string, text: string) => {
  const stored = await storeInbound(db(), { channel: 'telegram', channelUserId, externalId: `proc-${++n}`, text, attachments: [], sentAt: new Date() });
  const { conversationId } = await db().message.findUniqueOrThrow({ where: { id: stored.message.id } });
  return { ...stored, conversationId };
};

async function processed(jobId: string): Promise<string[]> {
  const from = statements.length;
  await handlers.process_inbound({ name: 'process_inbound', id: jobId, attempt: 1 });
  return statements.slice(from);
}

it('claims the job and reads its message, conversation and contact as Prisma would, in one statement', async () => {
  const stored = await storeInbound(
    db(),
    { channel: 'telegram', channelUserId: 'shape', externalId: 'shape-1', text: 'có ảnh', displayName: 'Lan', attachments: [{ type: 'image', url: 'tg:file-1' }], sentAt: new Date() },
    undefined,
    { fullText: 'có ảnh, rất dài' },
  );
  const contact = await db().contact.findUniqueOrThrow({ where: { channel_channelUserId: { channel: 'telegram', channelUserId: 'shape' } } });
  await db().contact.update({ where: { id: contact.id }, data: { phone: '0901234567', phoneConsent: true, phoneConsentAt: new Date(), unfollowedAt: new Date() } });
  const expected = await db().message.findUniqueOrThrow({ where: { id: stored.message.id }, include: { conversation: { include: { contact: true } } } });
  const from = statements.length;
  const claimed = await db().$transaction((tx) => claimMessage(tx, stored.job!.id));
  expect(statements.slice(from)).toHaveLength(3); // BEGIN, the claim, COMMIT
  expect(claimed).toEqual(expected);
});

it('stores a reply and its delivery job in one statement, the row as Prisma reads it', async () => {
  const conversation = await db().$transaction((tx) => openConversation(tx, 'telegram', 'shape'));
  const from = statements.length;
  const { message, job } = await db().$transaction((tx) =>
    storeOutbound(tx, conversation, { author: 'bot', text: 'Chọn:', buttons: [{ label: 'Một', value: '1' }], images: ['https://hotline.test/a.png'] }),
  );
  expect(statements.slice(from)).toHaveLength(3);
  expect(message).toEqual(await db().message.findUniqueOrThrow({ where: { id: message.id } }));
  expect(message).toMatchObject({ direction: 'outbound', author: 'bot', delivery: 'pending', seq: 2, attachments: [{ type: 'image', url: 'https://hotline.test/a.png' }] });
  expect(await db().outboxJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ kind: 'deliver_outbound', messageId: message.id, status: 'pending' });
});

/** The messages earlier tests stored and left: not this test's. */
const forgetWaiting = () => db().outboxJob.updateMany({ where: { status: 'pending', kind: 'process_inbound' }, data: { status: 'done' } });

it('a greeting is understood and answered in a handful of statements', async () => {
  await forgetWaiting();
  const stored = await receive('greeting', 'xin chào');
  const sql = await processed(stored.job!.id);
  expect(sql.filter((s) => /^BEGIN/i.test(s))).toHaveLength(1);
  // Waiting list, BEGIN, claim with message, others waiting (none), the conversation's step with
  // the reply, its delivery job and the job done, COMMIT.
  expect(sql).toHaveLength(6);
  expect(await db().outboxJob.findUniqueOrThrow({ where: { id: stored.job!.id } })).toMatchObject({ status: 'done', attempts: 1 });
  const reply = await db().message.findFirstOrThrow({ where: { conversationId: (await db().message.findUniqueOrThrow({ where: { id: stored.message.id } })).conversationId, direction: 'outbound' } });
  expect(reply.seq).toBe(stored.message.seq + 1);
  expect(enqueued).toContainEqual({ name: 'deliver_outbound', id: (await db().outboxJob.findFirstOrThrow({ where: { messageId: reply.id } })).id });
});

it('a job already done costs one statement', async () => {
  const stored = await receive('done-twice', 'xin chào');
  await processed(stored.job!.id);
  expect(await processed(stored.job!.id)).toHaveLength(1);
});

it('messages waiting in one conversation are all understood, in order, by the worker holding it', async () => {
  const first = await receive('waiting', 'xin chào');
  const second = await receive('waiting', 'Đèn đường trước số 12 Lê Lợi bị hư 3 hôm nay');
  await processed(second.job!.id);
  const jobs = await db().outboxJob.findMany({ where: { id: { in: [first.job!.id, second.job!.id] } } });
  expect(jobs.map((j) => j.status)).toEqual(['done', 'done']);
  const conversationId = (await db().message.findUniqueOrThrow({ where: { id: first.message.id } })).conversationId;
  const messages = await db().message.findMany({ where: { conversationId }, orderBy: { seq: 'asc' } });
  expect(messages.map((m) => m.direction)).toEqual(['inbound', 'inbound', 'outbound', 'outbound']);
});

it('a backlog from many people is understood in one transaction, each conversation answered once and in its order', async () => {
  await forgetWaiting();
  const people = Array.from({ length: 12 }, (_, i) => `backlog-${i}`);
  const first = await Promise.all(people.map((p) => receive(p, 'xin chào')));
  // A second message of one person waits behind its first: not taken before it.
  const later = await receive('backlog-3', 'Đèn đường trước số 12 Lê Lợi bị hư 3 hôm nay');
  const sql = await processed(first[0]!.job!.id);
  expect(sql.filter((s) => /^BEGIN/i.test(s))).toHaveLength(1);
  // Five for the transaction (see above), one per message finished.
  expect(sql).toHaveLength(5 + people.length);
  const jobs = await db().outboxJob.findMany({ where: { id: { in: first.map((s) => s.job!.id) } } });
  expect(jobs.map((j) => [j.status, j.attempts])).toEqual(first.map(() => ['done', 1]));
  expect(await db().outboxJob.findUniqueOrThrow({ where: { id: later.job!.id } })).toMatchObject({ status: 'pending', attempts: 0 });
  for (const stored of first) {
    const replies = await db().message.findMany({ where: { conversationId: stored.conversationId, direction: 'outbound' } });
    expect(replies.map((r) => r.seq)).toEqual([stored.message.seq + 1 + (stored === first[3] ? 1 : 0)]);
  }
  // Their own jobs end without a statement (this process finished them); another process's
  // worker asks the database, at one statement; the later message is then understood after its first.
  expect(await processed(first[1]!.job!.id)).toHaveLength(0);
  const elsewhere = workHandlers(handlerDeps);
  const from = statements.length;
  await elsewhere.process_inbound({ name: 'process_inbound', id: first[2]!.job!.id, attempt: 1 });
  expect(statements.slice(from)).toHaveLength(1);
  await processed(later.job!.id);
  const third = await db().message.findMany({ where: { conversationId: later.conversationId }, orderBy: { seq: 'asc' } });
  expect(third.map((m) => m.direction)).toEqual(['inbound', 'inbound', 'outbound', 'outbound']);
});

it('one message of a batch that cannot be handled fails alone: the others are answered, it waits for its retry', async () => {
  await forgetWaiting();
  const failing = workHandlers({
    ...handlerDeps,
    flows: {
      ...DEFAULT_FLOWS,
      intake: {
        ...DEFAULT_FLOWS.intake!,
        steps: Object.fromEntries(
          Object.entries(DEFAULT_FLOWS.intake!.steps).map(([name, step]) => [
            name,
            (ctx: Parameters<typeof step>[0]) => {
              if (ctx.text === 'hỏng') throw new Error('this message cannot be handled');
              return step(ctx);
            },
          ]),
        ) as NonNullable<typeof DEFAULT_FLOWS.intake>['steps'],
      },
    },
  });
  const good = await Promise.all(['ok-1', 'ok-2', 'ok-3'].map((p) => receive(p, 'xin chào')));
  const bad = await receive('broken', 'hỏng');
  await failing.process_inbound({ name: 'process_inbound', id: good[0]!.job!.id, attempt: 1 });
  const jobs = await db().outboxJob.findMany({ where: { id: { in: good.map((s) => s.job!.id) } } });
  expect(jobs.map((j) => j.status)).toEqual(['done', 'done', 'done']);
  expect(await db().outboxJob.findUniqueOrThrow({ where: { id: bad.job!.id } })).toMatchObject({ status: 'pending', attempts: 1, lastError: 'this message cannot be handled' });
  expect(enqueued).toContainEqual({ name: 'process_inbound', id: bad.job!.id });
  expect(await db().message.count({ where: { conversationId: bad.conversationId, direction: 'outbound' } })).toBe(0);
});

describe('replies the worker sends itself', () => {
  const sent: string[] = [];
  let refuse = false;
  const telegram = {
    channel: 'telegram' as const,
    send: async (m: { text: string }) => {
      if (refuse) throw new Error('Telegram is not answering');
      sent.push(m.text);
    },
  };
  const handOn = new HandOn();
  const sending = () => workHandlers({ ...handlerDeps, channels: new Map([['telegram', telegram]]), handOn });

  it('a reply is sent by the worker that stored it, with no delivery job: one statement more finishes it', async () => {
    await forgetWaiting();
    const stored = await receive('hand-on', 'xin chào');
    const from = statements.length;
    enqueued.length = 0;
    await sending().process_inbound({ name: 'process_inbound', id: stored.job!.id, attempt: 1 });
    await handOn.settle();
    expect(statements.slice(from)).toHaveLength(6 + 1);
    expect(enqueued).toEqual([]);
    expect(sent).toHaveLength(1);
    const reply = await db().message.findFirstOrThrow({ where: { conversationId: stored.conversationId, direction: 'outbound' } });
    expect(reply.delivery).toBe('sent');
    expect(await db().outboxJob.findFirstOrThrow({ where: { messageId: reply.id } })).toMatchObject({ status: 'done', attempts: 1, claimedBy: null, claimedUntil: null });
  });

  it('replies to one person understood together are sent one after the other, in order', async () => {
    await forgetWaiting();
    const first = await receive('hand-on-twice', 'xin chào');
    const second = await receive('hand-on-twice', 'Đèn đường trước số 12 Lê Lợi bị hư 3 hôm nay');
    const steps: string[] = [];
    const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
    const slowFirst = {
      channel: 'telegram' as const,
      send: async (m: { seq: number }) => {
        steps.push(`start ${m.seq}`);
        if (steps.length === 1) for (let i = 0; i < 5; i++) await tick();
        steps.push(`end ${m.seq}`);
      },
    };
    await workHandlers({ ...handlerDeps, channels: new Map([['telegram', slowFirst]]), handOn }).process_inbound({ name: 'process_inbound', id: second.job!.id, attempt: 1 });
    await handOn.settle();
    const replies = await db().message.findMany({ where: { conversationId: first.conversationId, direction: 'outbound' }, orderBy: { seq: 'asc' } });
    expect(replies.map((r) => r.delivery)).toEqual(['sent', 'sent']);
    const [a, b] = replies.map((r) => r.seq);
    expect(steps).toEqual([`start ${a}`, `end ${a}`, `start ${b}`, `end ${b}`]);
  });

  it('a reply that cannot be sent at once is released to its delivery job, which sends it', async () => {
    await forgetWaiting();
    const stored = await receive('hand-on-refused', 'xin chào');
    enqueued.length = 0;
    refuse = true;
    await sending().process_inbound({ name: 'process_inbound', id: stored.job!.id, attempt: 1 });
    await handOn.settle();
    const reply = await db().message.findFirstOrThrow({ where: { conversationId: stored.conversationId, direction: 'outbound' } });
    const job = await db().outboxJob.findFirstOrThrow({ where: { messageId: reply.id } });
    // That attempt counts: the delivery job's first is the reply's second.
    expect(job).toMatchObject({ status: 'pending', claimedBy: null, claimedUntil: null, attempts: 1, lastError: 'Telegram is not answering' });
    expect(enqueued).toEqual([{ name: 'deliver_outbound', id: job.id }]);
    refuse = false;
    sent.length = 0;
    await sending().deliver_outbound({ name: 'deliver_outbound', id: job.id, attempt: 1 });
    expect(sent).toHaveLength(1);
    expect(await db().outboxJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('a reply the platform refuses for good is dead-lettered at once, not queued', async () => {
    await forgetWaiting();
    const stored = await receive('hand-on-blocked', 'xin chào');
    enqueued.length = 0;
    const blocked = { channel: 'telegram' as const, send: async () => Promise.reject(new PermanentDeliveryError('the person blocked the bot', 'blocked')) };
    await workHandlers({ ...handlerDeps, channels: new Map([['telegram', blocked]]), handOn }).process_inbound({ name: 'process_inbound', id: stored.job!.id, attempt: 1 });
    await handOn.settle();
    const reply = await db().message.findFirstOrThrow({ where: { conversationId: stored.conversationId, direction: 'outbound' } });
    expect(reply).toMatchObject({ delivery: 'failed', deliveryError: 'the person blocked the bot' });
    expect(await db().outboxJob.findFirstOrThrow({ where: { messageId: reply.id } })).toMatchObject({ status: 'dead', attempts: 1, claimedBy: null });
    expect(enqueued).toEqual([]);
  });

  it('while a reply is in a worker\'s hands the recovery sweep leaves it alone; once its claim runs out it is queued', async () => {
    await forgetWaiting();
    const stored = await receive('hand-on-held', 'xin chào');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const slow = workHandlers({ ...handlerDeps, channels: new Map([['telegram', { channel: 'telegram' as const, send: () => held }]]), handOn, deliveryLeaseMs: 60_000 });
    await slow.process_inbound({ name: 'process_inbound', id: stored.job!.id, attempt: 1 });
    const reply = await db().message.findFirstOrThrow({ where: { conversationId: stored.conversationId, direction: 'outbound' } });
    const job = await db().outboxJob.findFirstOrThrow({ where: { messageId: reply.id } });
    expect(job.claimedBy).not.toBeNull();
    enqueued.length = 0;
    await requeuePending(db(), { enqueue: async (j: JobRef) => void enqueued.push(j), enqueueMany: async (js: JobRef[]) => void enqueued.push(...js) } as never, pino({ level: 'silent' }));
    expect(enqueued.filter((j) => j.id === job.id)).toEqual([]);
    await db().outboxJob.update({ where: { id: job.id }, data: { claimedUntil: new Date(Date.now() - 1000) } });
    await requeuePending(db(), { enqueue: async (j: JobRef) => void enqueued.push(j), enqueueMany: async (js: JobRef[]) => void enqueued.push(...js) } as never, pino({ level: 'silent' }));
    expect(enqueued.filter((j) => j.id === job.id)).toHaveLength(1);
    release();
    await handOn.settle();
  });
});

