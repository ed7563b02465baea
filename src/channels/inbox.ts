// The hotline side of every platform webhook: store the message (with its work record) and put
// the work on the queue; record receipts and follows. Channels call this after verifying and parsing.
import type { Logger } from 'pino';
import type { Db } from '../db/database';
import { openConversation, storeInbound } from '../messages/store';
import type { JobQueue } from '../queue/types';
import { enqueueAfterCommit } from '../work/outbox';
import type { Channel, ChannelInbox, Receipt } from './types';

/** Receipts only move forward: a late "delivered" never overwrites "seen". */
const RECEIPT_FROM: Record<Receipt, Array<'pending' | 'sent' | 'delivered'>> = {
  delivered: ['pending', 'sent'],
  seen: ['pending', 'sent', 'delivered'],
};

export function createInbox(db: Db, queue: JobQueue, log: Logger): ChannelInbox {
  return {
    async receive(inbound) {
      const stored = await storeInbound(db, inbound);
      // Once committed the message is safe: if the queue is down, the recovery sweep enqueues it.
      // Not awaited: while Redis is down an enqueue waits seconds, and the platform needs its answer.
      if (stored.job) void enqueueAfterCommit(queue, [stored.job], log);
      return { duplicate: stored.duplicate, messageId: stored.message.id };
    },

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
