// The hotline side of every platform webhook: store the message (with its work record) and put
// the work on the queue; record receipts and follows. Channels call this after verifying and parsing.
// Messages are stored in group commits with whatever arrives at the same moment, on every channel
// and the web chat alike (src/messages/batch-store.ts); each is answered after its batch's COMMIT.
//
// It is also the one boundary where every platform's messages get the same limits:
// - at most LIMIT_INGEST_IN_FLIGHT messages are being stored at once (src/channels/ingest-gate.ts);
// - text longer than MAX_MESSAGE_CHARS is cut there (as web chat refuses longer text); the whole
//   text is kept in message.full_text, so nothing is lost and staff can read it;
// - a sender over LIMIT_CHANNEL_MESSAGES_PER_SENDER in the window floods: each message is still
//   stored (marked rate_limited, visible to staff) and acknowledged, so the platform does not
//   deliver it again, but it opens no work: no bot reply, no ticket. The first messages of a
//   window are never affected, so a person's first message is always handled.
import type { Logger } from 'pino';
import type { Db } from '../db/database';
import type { KeyedLimiter } from '../limits';
import type { IngestGate } from './ingest-gate';
import { openConversation, storeInbound } from '../messages/store';
import type { JobQueue, JobRef } from '../queue/types';
import { enqueueAfterCommit } from '../work/outbox';
import type { Channel, ChannelInbox, Receipt } from './types';

/** Receipts only move forward: a late "delivered" never overwrites "seen". */
const RECEIPT_FROM: Record<Receipt, Array<'pending' | 'sent' | 'delivered'>> = {
  delivered: ['pending', 'sent'],
  seen: ['pending', 'sent', 'delivered'],
};

export interface InboxLimits {
  maxMessageChars: number;
  /** Counts messages per sender (channel and platform user id). */
  perSender: KeyedLimiter;
  /** Bounds the messages being stored at once in this process (src/channels/ingest-gate.ts). */
  gate: IngestGate;
}

export function createInbox(db: Db, queue: JobQueue, log: Logger, limits: InboxLimits): ChannelInbox {
  // Sender counts and enqueues of the messages arriving together go out together: Redis sees one
  // write for a turn of the event loop instead of one per message (the limits client pipelines
  // the commands of one tick; the queue adds a batch's jobs with one addBulk).
  const takeSender = coalesced<string, boolean>(async (keys) => {
    const taken = await Promise.allSettled(keys.map((key) => limits.perSender.take(key)));
    return taken.map((t) => (t.status === 'fulfilled' ? { ok: true, value: t.value.ok } : { ok: false, error: t.reason }));
  });
  const enqueueSoon = coalesced<JobRef, void>(async (jobs) => {
    if (queue.enqueueMany) {
      await queue.enqueueMany(jobs).catch((err: Error) => {
        log.warn({ err, jobs: jobs.length }, 'queue unavailable; the stored jobs will be re-enqueued by the recovery sweep');
      });
    } else {
      await enqueueAfterCommit(queue, jobs, log);
    }
    return jobs.map(() => ({ ok: true, value: undefined }));
  });
  return {
    receive: (inbound, options = {}) => limits.gate.run(async () => {
      const cut = clampText(inbound.text, limits.maxMessageChars);
      const flood = !(await takeSender(`${inbound.channel}:${inbound.channelUserId}`));
      const stored = await storeInbound(db, cut.text === inbound.text ? inbound : { ...inbound, text: cut.text }, undefined, {
        fullText: cut.cut ? inbound.text : undefined,
        rateLimited: flood,
        // A text that was cut is a sentence, not a choice.
        readChoice: cut.cut ? undefined : options.readChoice,
      });
      if (flood && !stored.duplicate) log.info({ channel: inbound.channel, messageId: stored.message.id }, 'sender over its message limit; stored without work');
      // Once committed the message is safe: if the queue is down, the recovery sweep enqueues it.
      // Not awaited: while Redis is down an enqueue waits seconds, and the platform needs its answer.
      if (stored.job) void enqueueSoon(stored.job);
      return { duplicate: stored.duplicate, messageId: stored.message.id };
    }),

    async receipt(channel: Channel, externalIds: string[], receipt: Receipt, _at: Date) {
      if (externalIds.length === 0) return 0;
      const parts = await db.deliveryPart.findMany({
        where: { channel, externalId: { in: externalIds } },
        select: { messageId: true },
      });
      if (parts.length === 0) return 0;
      const updated = await db.message.updateMany({
        where: { id: { in: [...new Set(parts.map((p) => p.messageId))] }, delivery: { in: RECEIPT_FROM[receipt] } },
        data: { delivery: receipt },
      });
      return updated.count;
    },

    async subscription(channel, channelUserId, followed, at, displayName) {
      await db.$transaction(async (tx) => {
        const conversation = await openConversation(tx, channel, channelUserId, { displayName });
        await tx.contact.update({ where: { id: conversation.contactId }, data: { unfollowedAt: followed ? null : at } });
      });
    },
  };
}

type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Calls `run` once per turn of the event loop with every item asked for during it (the requests
 * read in one poll phase), and answers each caller with its own result.
 */
function coalesced<T, R>(run: (items: T[]) => Promise<Array<Settled<R>>>): (item: T) => Promise<R> {
  let waiting: Array<{ item: T; resolve(value: R): void; reject(err: unknown): void }> = [];
  const flush = () => {
    const batch = waiting;
    waiting = [];
    run(batch.map((w) => w.item)).then(
      (results) => {
        for (const [i, w] of batch.entries()) {
          const r = results[i]!;
          if (r.ok) w.resolve(r.value);
          else w.reject(r.error);
        }
      },
      (err: unknown) => {
        for (const w of batch) w.reject(err);
      },
    );
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ item, resolve, reject });
    });
}

/**
 * The first `max` characters (code points, as web chat counts them) of `text`. Walks at most
 * `max` code points, so a huge text costs no more than a short one.
 */
export function clampText(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  let count = 0;
  let end = 0;
  while (end < text.length && count < max) {
    const code = text.codePointAt(end)!;
    end += code > 0xffff ? 2 : 1;
    count++;
  }
  return end >= text.length ? { text, cut: false } : { text: text.slice(0, end), cut: true };
}
