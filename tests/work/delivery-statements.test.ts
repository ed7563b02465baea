// Delivering a stored reply (src/work/handlers.ts deliverOutbound) counted in statements at the
// driver, not timed: the claim with everything sending reads is one statement, finishing (with the
// last part the ledger held) is one, and each earlier part an adapter records in the ledger one more. The rows src/db/delivery-sql.ts
// builds by hand are compared with Prisma's own; a claim is exclusive while a reply is being sent.
import pino from 'pino';
import { DEFAULT_FLOWS } from '../../flows';
import { sendParts } from '../../src/channels/ledger';
import type { ChannelAdapter, OutboundMessage } from '../../src/channels/types';
import { knowledgeBase } from '../../src/conversation/knowledge';
import { onCommit, type CommitEffect } from '../../src/db/after-commit';
import type { Database } from '../../src/db/database';
import { claimOutboxRow, claimReply } from '../../src/db/delivery-sql';
import type { Channel } from '../../src/generated/prisma/client';
import { createTranslator } from '../../src/i18n';
import { loadKnowledgeIndex } from '../../src/knowledge/search';
import { openConversation, storeInbound, storeOutbound, type OutboundDraft } from '../../src/messages/store';
import { loadWorkingCalendar } from '../../src/tickets/calendar';
import { DeliveryBusyError, workHandlers } from '../../src/work/handlers';
import { claimDelivery, claimReplyDelivery } from '../../src/work/outbox';
import { openFreshDatabase } from '../helpers/databases';

let closeDatabase: () => Promise<void>;
let database: Database;
let handlers: ReturnType<typeof workHandlers>;
let handlerDeps: Parameters<typeof workHandlers>[0];
const statements: string[] = [];
const db = () => database.prisma;
const LEASE_MS = 30_000;

/** What the adapters were asked to send, and what a test makes them do while sending. */
const sent: OutboundMessage[] = [];
let whileSending: (message: OutboundMessage) => Promise<void> = async () => undefined;
// The web chat's adapter records no parts; Telegram's sends the text's '|'-separated parts, each recorded.
const webchat: ChannelAdapter = {
  channel: 'webchat',
  send: async (message) => {
    sent.push(message);
    await whileSending(message);
  },
};
const telegram: ChannelAdapter = {
  channel: 'telegram',
  send: async (message, ledger) => {
    await whileSending(message);
    await sendParts(ledger, message.text.split('|'), async (part, index) => {
      sent.push({ ...message, text: part });
      return `tg-${message.seq}-${index}`;
    });
  },
};

beforeAll(async () => {
  ({ database, close: closeDatabase } = await openFreshDatabase({ onStatement: (sql) => statements.push(sql.trim()) }));
  handlerDeps = {
    db: db(),
    queue: { enqueue: async () => undefined } as never,
    channels: new Map<Channel, ChannelAdapter>([
      ['webchat', webchat],
      ['telegram', telegram],
    ]),
    log: pino({ level: 'silent' }),
    maxAttempts: 3,
    deliveryLeaseMs: LEASE_MS,
    flows: DEFAULT_FLOWS,
    translator: await createTranslator(),
    classifier: null,
    publicUrl: 'https://hotline.test',
    tickets: { trackingPrefix: 'HCM', timezoneOffsetMinutes: 420, confidenceThreshold: 0.5, calendar: await loadWorkingCalendar(db()) },
    knowledge: knowledgeBase(await loadKnowledgeIndex(db())),
  };
  handlers = workHandlers(handlerDeps);
});

afterEach(() => {
  whileSending = async () => undefined;
  sent.length = 0;
});

afterAll(async () => {
  await closeDatabase();
});

let n = 0;
/** A stored reply waiting to be delivered to a new person on `channel`. */
async function reply(channel: Channel, draft: Partial<OutboundDraft> = {}) {
  const conversation = await db().$transaction((tx) => openConversation(tx, channel, `person-${++n}`));
  const { message, job } = await db().$transaction((tx) => storeOutbound(tx, conversation, { author: 'bot', text: 'Cảm ơn bạn', ...draft }));
  return { message, jobId: job.id };
}

const deliver = (jobId: string, attempt = 1) => handlers.deliver_outbound({ name: 'deliver_outbound', id: jobId, attempt });

/** The statements sent while `work` ran. */
async function counted(work: () => Promise<unknown>): Promise<string[]> {
  const from = statements.length;
  await work();
  return statements.slice(from);
}

describe('the claim reads as Prisma would', () => {
  it('claims a reply with its job, message, contact and ledger, in one statement', async () => {
    const { message, jobId } = await reply('telegram', {
      author: 'bot',
      text: 'Chọn một|hai',
      buttons: [{ label: 'Một', value: '1' }],
      images: ['https://hotline.test/a.png'],
    });
    // Fields a fresh reply leaves null, and an earlier attempt's failure and accepted parts.
    await db().message.update({ where: { id: message.id }, data: { fullText: 'Chọn một|hai, dài', externalId: 'ext-1', deliveryError: 'earlier' } });
    await db().outboxJob.update({ where: { id: jobId }, data: { attempts: 1, lastError: 'HTTP 500' } });
    await db().deliveryPart.createMany({
      data: [
        { messageId: message.id, part: 1, channel: 'telegram', externalId: null },
        { messageId: message.id, part: 0, channel: 'telegram', externalId: 'tg-0' },
      ],
    });
    const token = '00000000-0000-4000-8000-000000000001';
    let claim: Awaited<ReturnType<typeof claimReply>> | undefined;
    expect(await counted(async () => (claim = await claimReply(db(), jobId, token, LEASE_MS)))).toHaveLength(1);
    if (claim?.kind !== 'claimed' || !claim.reply) throw new Error(`expected a claimed reply, got ${JSON.stringify(claim)}`);
    const job = await db().outboxJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.claimedBy).toBe(token);
    expect(job.claimedUntil!.getTime()).toBeGreaterThan(Date.now() + LEASE_MS / 2);
    expect(claim.reply.job).toEqual(job);
    const expected = await db().message.findUniqueOrThrow({ where: { id: message.id }, include: { conversation: { include: { contact: true } } } });
    const { conversation, ...row } = expected;
    expect(claim.reply.message).toEqual(row);
    expect(claim.reply.channelUserId).toBe(conversation.contact.channelUserId);
    const parts = await db().deliveryPart.findMany({ where: { messageId: message.id }, orderBy: { part: 'asc' } });
    expect(claim.reply.sentParts).toEqual(parts.map((p) => ({ part: p.part, externalId: p.externalId })));
  });

  it('claims any outbox row (an e-mail notification) with the row as Prisma reads it', async () => {
    const { jobId } = await reply('webchat');
    const token = '00000000-0000-4000-8000-000000000002';
    let claim: Awaited<ReturnType<typeof claimOutboxRow>> | undefined;
    expect(await counted(async () => (claim = await claimOutboxRow(db(), jobId, token, LEASE_MS)))).toHaveLength(1);
    expect(claim).toEqual({ kind: 'claimed', job: await db().outboxJob.findUniqueOrThrow({ where: { id: jobId } }) });
  });

  it('a row nobody has is claimed again once its lease ran out', async () => {
    const { jobId } = await reply('webchat');
    await db().outboxJob.update({ where: { id: jobId }, data: { claimedBy: '00000000-0000-4000-8000-000000000003', claimedUntil: new Date(Date.now() - 1000) } });
    expect(await claimDelivery(db(), jobId, LEASE_MS)).toMatchObject({ kind: 'claimed' });
  });
});

describe('statements per delivery', () => {
  it('a reply on a channel whose adapter records no parts costs two statements', async () => {
    const { message, jobId } = await reply('webchat');
    const before = Date.now();
    const sql = await counted(() => deliver(jobId, 2));
    expect(sql).toHaveLength(2);
    expect(sql.some((s) => /^BEGIN/i.test(s))).toBe(false);
    expect(sent.map((m) => [m.messageId, m.text])).toEqual([[message.id, 'Cảm ơn bạn']]);
    expect(await db().message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ delivery: 'sent', deliveryError: null });
    const job = await db().outboxJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ status: 'done', attempts: 2, lastError: null, claimedBy: null, claimedUntil: null });
    expect(job.finishedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('each part an adapter records in the ledger but the last costs one statement more', async () => {
    const { message, jobId } = await reply('telegram', { text: 'một|hai' });
    expect(await counted(() => deliver(jobId))).toHaveLength(3);
    expect(sent.map((m) => m.text)).toEqual(['một', 'hai']);
    const parts = await db().deliveryPart.findMany({ where: { messageId: message.id }, orderBy: { part: 'asc' } });
    expect(parts.map((p) => [p.part, p.channel, p.externalId])).toEqual([
      [0, 'telegram', `tg-${message.seq}-0`],
      [1, 'telegram', `tg-${message.seq}-1`],
    ]);
    expect(await db().message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ delivery: 'sent' });
  });

  it('a retry sends only the parts the ledger does not hold', async () => {
    const { message, jobId } = await reply('telegram', { text: 'một|hai' });
    await db().deliveryPart.create({ data: { messageId: message.id, part: 0, channel: 'telegram', externalId: 'tg-earlier' } });
    expect(await counted(() => deliver(jobId, 2))).toHaveLength(2);
    expect(sent.map((m) => m.text)).toEqual(['hai']);
    const parts = await db().deliveryPart.findMany({ where: { messageId: message.id }, orderBy: { part: 'asc' } });
    expect(parts.map((p) => p.externalId)).toEqual(['tg-earlier', `tg-${message.seq}-1`]);
  });

  it('a delivery that fails after the platform took its last part still records that part: the retry does not send it again', async () => {
    const { message, jobId } = await reply('telegram', { text: 'một|hai' });
    const failing = workHandlers({
      ...handlerDeps,
      channels: new Map<Channel, ChannelAdapter>([
        [
          'telegram',
          {
            channel: 'telegram',
            send: async (m, ledger) => {
              await telegram.send(m, ledger);
              throw new Error('the connection dropped after the platform answered');
            },
          },
        ],
      ]),
    });
    await expect(failing.deliver_outbound({ name: 'deliver_outbound', id: jobId, attempt: 1 })).rejects.toThrow(/connection dropped/);
    const parts = await db().deliveryPart.findMany({ where: { messageId: message.id }, orderBy: { part: 'asc' } });
    expect(parts.map((p) => p.externalId)).toEqual([`tg-${message.seq}-0`, `tg-${message.seq}-1`]);
    expect(await db().outboxJob.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ status: 'pending', attempts: 1 });
    sent.length = 0;
    await deliver(jobId, 2);
    expect(sent).toEqual([]);
    expect(await db().message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ delivery: 'sent' });
  });

  it('a receipt that arrived while sending is kept: the message stays delivered', async () => {
    const { message, jobId } = await reply('webchat');
    whileSending = async (m) => void (await db().message.update({ where: { id: m.messageId }, data: { delivery: 'delivered' } }));
    await deliver(jobId);
    expect(await db().message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ delivery: 'delivered' });
    expect(await db().outboxJob.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ status: 'done' });
  });

  it('a message an earlier attempt sent is not sent again; its job is finished in two statements', async () => {
    const { message, jobId } = await reply('webchat');
    await db().message.update({ where: { id: message.id }, data: { delivery: 'seen' } });
    expect(await counted(() => deliver(jobId, 2))).toHaveLength(2);
    expect(sent).toEqual([]);
    expect(await db().message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ delivery: 'seen' });
    expect(await db().outboxJob.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ status: 'done', attempts: 2 });
  });

  it("an agency's answer tells the consoles it was delivered, with the ticket as it is when finished, in the same two statements", async () => {
    const inbound = await storeInbound(db(), {
      channel: 'webchat',
      channelUserId: 'answered',
      externalId: 'answered-1',
      text: 'Đèn đường trước số 12 Lê Lợi bị hư 3 hôm nay',
      attachments: [],
      sentAt: new Date(),
    });
    await handlers.process_inbound({ name: 'process_inbound', id: inbound.job!.id, attempt: 1 });
    const conversationId = (await db().message.findUniqueOrThrow({ where: { id: inbound.message.id } })).conversationId;
    const ticket = await db().ticket.findFirstOrThrow({ where: { conversationId } });
    const agency = await db().agency.findFirstOrThrow({ where: { isTriage: false } });
    const conversation = await db().conversation.findUniqueOrThrow({ where: { id: conversationId } });
    const { jobId } = await db().$transaction(async (tx) => {
      const stored = await storeOutbound(tx, conversation, { author: 'agent', text: 'Đã cử người sửa.', ticketId: ticket.id });
      return { jobId: stored.job.id };
    });
    // Moved on while the answer was being sent: the event names where the ticket is now.
    whileSending = async () =>
      void (await db().$executeRaw`UPDATE ticket SET agency_id = ${agency.id}::uuid, status = 'in_progress' WHERE id = ${ticket.id}::uuid`);
    const effects: CommitEffect[] = [];
    const stop = onCommit(db(), (e) => effects.push(...e));
    try {
      expect(await counted(() => deliver(jobId))).toHaveLength(2 + 1); // the claim, the ticket's update above, finishing
    } finally {
      stop();
    }
    const events = effects.filter((e) => e.kind === 'live').map((e) => (e as { event: Record<string, unknown> }).event);
    expect(events).toEqual([
      expect.objectContaining({ event: 'ticket_changed', ticketCode: ticket.trackingCode, agencyId: agency.id, status: 'in_progress', change: 'answer_delivered' }),
    ]);
  });

  it("a bot's reply tells the consoles nothing", async () => {
    const { jobId } = await reply('webchat');
    const effects: CommitEffect[] = [];
    const stop = onCommit(db(), (e) => effects.push(...e));
    try {
      await deliver(jobId);
    } finally {
      stop();
    }
    expect(effects).toEqual([]);
  });
});

describe('one sender at a time', () => {
  it('a second claim of a reply being sent answers busy, until the lease would run out; a finished one answers finished', async () => {
    const { jobId } = await reply('webchat');
    let sending!: () => void;
    const started = new Promise<void>((resolve) => (sending = resolve));
    let finish!: () => void;
    whileSending = () => (sending(), new Promise<void>((resolve) => (finish = resolve)));
    const first = deliver(jobId);
    await started;
    const second = await claimReplyDelivery(db(), jobId, LEASE_MS);
    expect(second.kind).toBe('busy');
    const { retryAfterMs } = second as { retryAfterMs: number };
    expect(retryAfterMs).toBeGreaterThan(LEASE_MS / 2);
    expect(retryAfterMs).toBeLessThanOrEqual(LEASE_MS + 50);
    await expect(deliver(jobId)).rejects.toBeInstanceOf(DeliveryBusyError);
    expect(await claimDelivery(db(), jobId, LEASE_MS)).toMatchObject({ kind: 'busy' });
    finish();
    await first;
    expect(sent).toHaveLength(1);
    expect(await claimReplyDelivery(db(), jobId, LEASE_MS)).toEqual({ kind: 'finished' });
    expect(await claimDelivery(db(), jobId, LEASE_MS)).toEqual({ kind: 'finished' });
    // The queue asking again costs the one statement that says so, and sends nothing.
    expect(await counted(() => deliver(jobId))).toHaveLength(1);
    expect(sent).toHaveLength(1);
  });

  it('of workers claiming one reply at the same moment, one gets it; the others are told how long its lease runs', async () => {
    const { jobId } = await reply('webchat');
    const claims = await Promise.all([
      claimReplyDelivery(db(), jobId, LEASE_MS),
      claimReplyDelivery(db(), jobId, LEASE_MS),
      claimDelivery(db(), jobId, LEASE_MS),
    ]);
    expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
    const others = claims.filter((c) => c.kind !== 'claimed');
    expect(others).toEqual([
      { kind: 'busy', retryAfterMs: expect.any(Number) },
      { kind: 'busy', retryAfterMs: expect.any(Number) },
    ]);
    for (const other of others) expect((other as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(LEASE_MS / 2);
  });

  it('a delivery that does not exist is finished', async () => {
    expect(await claimReplyDelivery(db(), '00000000-0000-4000-8000-00000000000f', LEASE_MS)).toEqual({ kind: 'finished' });
  });

  it('a failed attempt releases its claim and records the failure, so the retry can claim it', async () => {
    const { message, jobId } = await reply('webchat');
    whileSending = async () => {
      throw new Error('platform down');
    };
    await expect(deliver(jobId)).rejects.toThrow('platform down');
    expect(await db().outboxJob.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'platform down',
      claimedBy: null,
      claimedUntil: null,
    });
    whileSending = async () => undefined;
    await deliver(jobId, 2);
    expect(await db().message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ delivery: 'sent' });
    expect(await db().outboxJob.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ status: 'done', attempts: 2, lastError: null });
  });
});
