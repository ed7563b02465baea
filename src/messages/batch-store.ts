// Group commit for inbound messages. Every message a platform or the web chat hands in waits for
// the batch it joins: the messages that arrive while batches are being written (or in the same
// tick as the first) are written together by the next one, in one transaction of a few multi-row
// statements (src/db/ingest-sql.ts), so storing costs a few round trips per batch, not ~10 per
// message. Each caller is answered after its batch's COMMIT, so an acknowledgement still means
// "committed". A batch that fails is written again one message at a time, so one bad message
// fails alone, with its own error; when the database is unreachable every message of the batch
// fails at once (trying each would only wait longer for the same answer).
//
// Senders seen recently are cached (contact and conversation ids, bounded LRU): their messages
// skip the contact upsert and the conversation lookup. The cache never decides which conversation
// a message goes to on its own: the insert checks in the same statement that the cached one is
// still the contact's newest, and a message whose conversation was replaced is looked up again.
import { LRUCache } from 'lru-cache';
import type { Db } from '../db/database';
import { dbMode, isDatabaseUnavailable } from '../db/database';
import {
  insertMessages,
  latestButtons,
  openConversations,
  senderKey,
  upsertContacts,
  type MessageOutcome,
  type MessageRow,
  type SenderRow,
  type SqlTx,
} from '../db/ingest-sql';
import type { Channel } from '../generated/prisma/client';
import type { InboundMessage } from '../channels/types';
import type { JobRef } from '../queue/types';
import { storableText } from './storable';

/** What storing one inbound message gave. */
export interface StoredInbound {
  message: { id: string; seq: number };
  job?: JobRef;
  duplicate: boolean;
}

/** What the channel boundary decided about a message before storing it (src/channels/inbox.ts). */
export interface InboundMarks {
  /** The whole text, when `inbound.text` was cut to MAX_MESSAGE_CHARS. */
  fullText?: string;
  /** Over the sender's flood limit: stored, but no work record, so no reply and no ticket of its own. */
  rateLimited?: boolean;
  /**
   * Reads the text as a choice among the buttons of the latest message we sent this sender (as
   * stored; null when it had none): the value to store instead of the text, or null to keep it.
   * The buttons of every such message of a batch are read in one statement.
   */
  readChoice?: (buttons: unknown) => string | null;
}

export interface BatchOptions {
  /** The most messages one transaction writes (more wait for the next batch). */
  maxBatch?: number;
  /** How many batches are written at once (each on its own connection). */
  inFlight?: number;
  /** How many senders' contact and conversation ids are kept. */
  cachedSenders?: number;
}

/** The conversation named for a message (web chat) does not exist; nothing was stored. */
export class ConversationNotFoundError extends Error {
  override name = 'ConversationNotFoundError';
}

interface Pending {
  inbound: InboundMessage;
  conversationId?: string;
  marks: InboundMarks;
  /** The choice the text picked (marks.readChoice), stored instead of the text. */
  choice?: string;
  resolve(stored: StoredInbound): void;
  reject(err: unknown): void;
}

interface CachedSender {
  contactId: string;
  conversationId: string;
  /** The display name last written for the contact: an unchanged name needs no upsert. */
  displayName: string | null;
}

/** A conversation's row lock could not be had in order, or a snapshot conflicted: try again as it was. */
const RETRY_AS_IS = new Set(['40P01', '40001']);
const MAX_STALE_ROUNDS = 3;

export class InboundBatcher {
  private queue: Pending[] = [];
  private running = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly inFlight: number;
  /** The senders (or named conversations) of the batches being written. */
  private readonly writing = new Set<string>();
  private readonly senders: LRUCache<string, CachedSender>;

  constructor(
    private readonly db: Db,
    opts: BatchOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 256;
    this.inFlight = opts.inFlight ?? 4;
    this.senders = new LRUCache({ max: opts.cachedSenders ?? 20_000 });
  }

  /** Stores one message (already cleaned of NUL) with its batch; resolves after that batch committed. */
  store(inbound: InboundMessage, conversationId: string | undefined, marks: InboundMarks): Promise<StoredInbound> {
    return new Promise<StoredInbound>((resolve, reject) => {
      this.queue.push({ inbound, conversationId, marks, resolve, reject });
      this.schedule();
    });
  }

  /** Forgets the cached ids (a test that rewrites conversations behind the hotline's back). */
  forgetSenders(): void {
    this.senders.clear();
  }

  private schedule(): void {
    if (this.running >= this.inFlight || this.scheduled) return;
    this.scheduled = true;
    // The next turn of the event loop: the messages of this one (a burst of requests) go together.
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  /**
   * Up to `inFlight` batches at a time (the time of a batch is mostly waiting for its commit to
   * reach the disk): what arrives meanwhile forms the next ones. A sender with a message in a
   * batch being written waits for that batch: its messages are stored, and numbered, in the order
   * they came.
   */
  private drain(): void {
    while (this.running < this.inFlight && this.queue.length > 0) {
      const batch: Pending[] = [];
      const rest: Pending[] = [];
      for (const item of this.queue) {
        if (batch.length < this.maxBatch && !this.writing.has(orderKey(item))) batch.push(item);
        else rest.push(item);
      }
      if (batch.length === 0) return;
      this.queue = rest;
      const keys = new Set(batch.map(orderKey));
      for (const key of keys) this.writing.add(key);
      this.running += 1;
      void this.writeBatch(batch)
        .catch((err: unknown) => batch.forEach((item) => item.reject(err)))
        .finally(() => {
          for (const key of keys) this.writing.delete(key);
          this.running -= 1;
          if (this.queue.length > 0) this.schedule();
        });
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    // The same platform message twice in one batch (a retry that crossed the first delivery):
    // the first is written, the others are answered as its duplicates.
    const first = new Map<string, Pending>();
    const copies: Array<{ item: Pending; of: Pending }> = [];
    for (const item of batch) {
      const key = `${item.inbound.channel}\u0000${item.inbound.externalId}`;
      const seen = first.get(key);
      if (seen) copies.push({ item, of: seen });
      else first.set(key, item);
    }
    const unique = [...first.values()];
    const results = await this.readChoices(unique).then(
      () => this.writeIsolating(unique),
      (error: unknown) => unique.map((): Result => ({ ok: false, error })),
    );
    for (const [i, item] of unique.entries()) {
      const r = results[i]!;
      if (r.ok) item.resolve(r.stored);
      else item.reject(r.error);
    }
    for (const { item, of } of copies) {
      const r = results[unique.indexOf(of)]!;
      if (r.ok) item.resolve({ message: r.stored.message, duplicate: true });
      else item.reject(r.error);
    }
  }

  /** The choices replies pick (marks.readChoice), with one look-up for the whole batch. */
  private async readChoices(items: Pending[]): Promise<void> {
    const readers = items.filter((item) => item.marks.readChoice && item.conversationId === undefined);
    if (readers.length === 0) return;
    const senders = new Map<string, { channel: Channel; channelUserId: string }>();
    for (const { inbound } of readers) senders.set(senderOf(inbound), { channel: inbound.channel, channelUserId: inbound.channelUserId });
    const buttons = await latestButtons(this.db, [...senders.values()]);
    for (const item of readers) {
      const key = senderOf(item.inbound);
      if (!buttons.has(key)) continue;
      const choice = item.marks.readChoice!(buttons.get(key));
      if (choice !== null) item.choice = storableText(choice);
    }
  }

  /** Writes the batch; if it fails as a whole, each message alone, so a bad one fails by itself. */
  private async writeIsolating(items: Pending[]): Promise<Result[]> {
    try {
      return await this.writeRetrying(items);
    } catch (err) {
      if (items.length === 1 || isDatabaseUnavailable(err) || noTransaction(err)) return items.map(() => ({ ok: false, error: err }));
      const results: Result[] = [];
      for (const item of items) {
        results.push(await this.writeRetrying([item]).then((r) => r[0]!, (error: unknown) => ({ ok: false as const, error })));
      }
      return results;
    }
  }

  private async writeRetrying(items: Pending[]): Promise<Result[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.write(items);
      } catch (err) {
        if (attempt >= 3 || !RETRY_AS_IS.has(sqlState(err))) throw err;
      }
    }
  }

  /**
   * When every message's conversation is known (from the sender cache, or named by the caller),
   * the batch is a single statement, atomic by itself: it runs without a transaction, one round
   * trip instead of three (BEGIN, insert, COMMIT). Its locks are held until it commits, as in a
   * transaction. Messages whose cached conversation turned out replaced are written again, alone
   * (the others are committed already, so retrying the whole batch would answer them as duplicates).
   */
  private async write(items: Pending[]): Promise<Result[]> {
    const rows = items.map((item) => this.row(item));
    if (rows.some((r) => r.conversationId === '')) return this.writeInTransaction(items, rows);
    const outcomes = await insertMessages(this.db, rows);
    const stale = outcomes.flatMap((o, i) => (o.kind === 'stale' ? [i] : []));
    for (const i of stale) this.senders.delete(senderOf(items[i]!.inbound));
    const again = stale.length > 0 ? await this.writeIsolating(stale.map((i) => items[i]!)) : [];
    return Promise.all(outcomes.map((o, i) => (o.kind === 'stale' ? again[stale.indexOf(i)]! : this.answer(items[i]!, o))));
  }

  /** One transaction for the whole batch; the cache learns its ids only once they are committed. */
  private async writeInTransaction(items: Pending[], rows: MessageRow[]): Promise<Result[]> {
    const learned = new Map<string, CachedSender>();
    const outcomes = await this.db.$transaction(
      async (tx) => {
        const toResolve: number[] = [];
        for (const [i, row] of rows.entries()) {
          if (row.conversationId === '') toResolve.push(i);
        }
        await this.resolveSenders(tx, items, rows, toResolve, learned);
        let result = await insertMessages(tx, rows);
        // Conversations replaced since they were cached: find the newest again and write those.
        for (let round = 1; ; round++) {
          const stale = result.flatMap((o, i) => (o.kind === 'stale' ? [i] : []));
          if (stale.length === 0) break;
          if (round > MAX_STALE_ROUNDS) throw new Error(`The conversations of ${stale.length} senders kept changing while their messages were stored; nothing of this batch was stored.`);
          for (const i of stale) this.senders.delete(senderOf(items[i]!.inbound));
          await this.resolveSenders(tx, items, rows, stale, learned);
          const again = await insertMessages(tx, stale.map((i) => rows[i]!));
          result = result.map((o, i) => (o.kind === 'stale' ? again[stale.indexOf(i)]! : o));
        }
        return result;
      },
      { maxWait: 10_000, timeout: 30_000 },
    );
    for (const [key, sender] of learned) this.senders.set(key, sender);
    return Promise.all(outcomes.map((o, i) => this.answer(items[i]!, o)));
  }

  /** Contacts (created or renamed) and their newest conversations, for the rows at `indexes`. */
  private async resolveSenders(tx: SqlTx, items: Pending[], rows: MessageRow[], indexes: number[], learned: Map<string, CachedSender>): Promise<void> {
    if (indexes.length === 0) return;
    const senders = new Map<string, SenderRow>();
    for (const i of indexes) {
      const { inbound } = items[i]!;
      const key = senderOf(inbound);
      const name = inbound.displayName === undefined ? undefined : storableText(inbound.displayName);
      const known = senders.get(key);
      // Written in order, the last non-empty name would win; the locale only counts for a new contact.
      if (known) known.displayName = name ? name : known.displayName;
      else senders.set(key, { channel: inbound.channel, channelUserId: inbound.channelUserId, displayName: name, locale: inbound.localeHint ?? 'vi' });
    }
    const ordered = [...senders.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
    const contacts = await upsertContacts(tx, ordered);
    const conversations = await openConversations(
      tx,
      ordered.map((s) => ({ contactId: contacts.get(senderKey(s.channel, s.channelUserId))!, channel: s.channel })),
    );
    for (const [key, sender] of senders) {
      const contactId = contacts.get(key)!;
      const conversation = conversations.get(contactId)!;
      learned.set(key, { contactId, conversationId: conversation.conversationId, displayName: sender.displayName || this.senders.peek(key)?.displayName || null });
    }
    for (const i of indexes) {
      const sender = learned.get(senderOf(items[i]!.inbound))!;
      rows[i] = { ...rows[i]!, conversationId: sender.conversationId, contactId: sender.contactId };
    }
  }

  /** The cached sender, when the message needs neither a new contact nor a new display name. */
  private cachedFor(item: Pending): CachedSender | undefined {
    const cached = this.senders.get(senderOf(item.inbound));
    if (!cached) return undefined;
    const name = item.inbound.displayName === undefined ? '' : storableText(item.inbound.displayName);
    return name === '' || name === cached.displayName ? cached : undefined;
  }

  private row(item: Pending): MessageRow {
    const { inbound, marks } = item;
    const cached = item.conversationId === undefined ? this.cachedFor(item) : undefined;
    return {
      // Filled in by resolveSenders when neither the caller nor the cache knows it.
      conversationId: item.conversationId ?? cached?.conversationId ?? '',
      contactId: cached?.contactId,
      channel: inbound.channel,
      externalId: inbound.externalId,
      text: item.choice ?? inbound.text,
      fullText: marks.fullText === undefined ? undefined : storableText(marks.fullText),
      attachments: JSON.stringify(inbound.attachments ?? []),
      rateLimited: marks.rateLimited ?? false,
      sentAt: inbound.sentAt,
    };
  }

  private async answer(item: Pending, outcome: MessageOutcome): Promise<Result> {
    switch (outcome.kind) {
      case 'stored':
        return {
          ok: true,
          stored: {
            message: { id: outcome.messageId, seq: outcome.seq },
            job: outcome.jobId ? { name: 'process_inbound', id: outcome.jobId } : undefined,
            duplicate: false,
          },
        };
      case 'duplicate':
        return { ok: true, stored: { message: { id: outcome.messageId, seq: outcome.seq }, duplicate: true } };
      case 'no_conversation':
        return { ok: false, error: new ConversationNotFoundError(`Conversation ${item.conversationId} does not exist; the message was not stored.`) };
      case 'stale':
        return { ok: false, error: new Error('The conversation of this sender kept changing while the message was stored; it was not stored.') };
      case 'raced': {
        // Two deliveries of the same message raced; the other one committed first.
        const winner = await this.db.message.findUnique({
          where: { channel_externalId: { channel: item.inbound.channel, externalId: item.inbound.externalId } },
          select: { id: true, seq: true },
        });
        if (winner) return { ok: true, stored: { message: winner, duplicate: true } };
        return { ok: false, error: new Error('The message was neither stored nor found stored by another delivery; deliver it again.') };
      }
    }
  }
}

type Result = { ok: true; stored: StoredInbound } | { ok: false; error: unknown };

const senderOf = (inbound: { channel: Channel; channelUserId: string }): string => senderKey(inbound.channel, inbound.channelUserId);

/** What orders a message among others: its named conversation (web chat), else its sender. */
const orderKey = (item: Pending): string => (item.conversationId === undefined ? senderOf(item.inbound) : `conversation\u0000${item.conversationId}`);

/** The SQLSTATE of a database error, through Prisma's and the driver adapter's wrapping. */
function sqlState(err: unknown): string {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const meta = (e as { meta?: { driverAdapterError?: { cause?: { originalCode?: string; code?: string } } } }).meta;
    const cause = meta?.driverAdapterError?.cause;
    if (cause?.originalCode ?? cause?.code) return String(cause.originalCode ?? cause.code);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return '';
}

/** No transaction could be started in time (every connection busy): one at a time would wait as long, each. */
function noTransaction(err: unknown): boolean {
  return (err as { code?: unknown }).code === 'P2028';
}

const batchers = new WeakMap<Db, InboundBatcher>();

/** The batcher of a database client: every inbound message stored through it shares its batches. */
export function inboundBatcher(db: Db): InboundBatcher {
  let batcher = batchers.get(db);
  if (!batcher) {
    // Embedded, PGlite has one connection: batches would only queue for it.
    batcher = new InboundBatcher(db, { inFlight: dbMode(db) === 'pglite' ? 1 : 4 });
    batchers.set(db, batcher);
  }
  return batcher;
}
