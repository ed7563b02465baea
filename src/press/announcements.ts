// Announcements to subscribers: a person subscribes to a topic in the conversation; a press
// officer publishes an announcement, which is stored as one message per active subscriber.
//
// The fan-out runs in batches, one transaction each. Every subscriber it stores a message for gets
// an announcement_delivery row in the same transaction, and each batch picks only subscribers
// without one: so a second publish call, a retry or a restart carries on where the last committed
// batch ended, never sending twice and never skipping anyone. Stopping takes the announcement's
// row lock the batches hold, so it lands between two batches; deliveries still queued are then
// withheld (their outbox rows finished unsent), which the outbound worker already skips.
import type { Db } from '../db/database';
import type { Announcement } from '../generated/prisma/client';
import type { Translator } from '../i18n';
import { storeOutbound, type Tx } from '../messages/store';
import type { JobRef } from '../queue/types';
import { PressError } from './errors';
import { contactLocale } from './locale';

export const SUBSCRIPTION_TOPICS = ['press_releases', 'spokesperson', 'conference_schedule', 'service_outages'] as const;
export type SubscriptionTopic = (typeof SUBSCRIPTION_TOPICS)[number];

export const isSubscriptionTopic = (value: unknown): value is SubscriptionTopic =>
  typeof value === 'string' && (SUBSCRIPTION_TOPICS as readonly string[]).includes(value);

/** What a withheld delivery says in message.delivery_error. */
export const WITHHELD = 'announcement_stopped';

/** Subscribes the contact to a topic (again, after unsubscribing); subscribing twice changes nothing. */
export async function subscribe(tx: Tx, contactId: string, topic: SubscriptionTopic, now: Date = new Date()) {
  if (!isSubscriptionTopic(topic)) throw new PressError(400, 'unknown_topic', `Topics: ${SUBSCRIPTION_TOPICS.join(', ')}.`);
  const existing = await tx.subscription.findUnique({ where: { contactId_topic: { contactId, topic } } });
  if (existing && existing.unsubscribedAt === null) return existing;
  if (existing) return tx.subscription.update({ where: { id: existing.id }, data: { unsubscribedAt: null, subscribedAt: now } });
  return tx.subscription.create({ data: { contactId, topic, subscribedAt: now } });
}

/** Unsubscribes from one topic, or from all of them without a topic; returns how many it ended. */
export async function unsubscribe(tx: Tx, contactId: string, topic?: SubscriptionTopic, now: Date = new Date()): Promise<number> {
  const { count } = await tx.subscription.updateMany({
    where: { contactId, unsubscribedAt: null, ...(topic ? { topic } : {}) },
    data: { unsubscribedAt: now },
  });
  return count;
}

/** The topics the contact is subscribed to now. */
export async function subscriptionsOf(db: Db | Tx, contactId: string): Promise<SubscriptionTopic[]> {
  const rows = await db.subscription.findMany({ where: { contactId, unsubscribedAt: null }, orderBy: { topic: 'asc' } });
  return rows.map((r) => r.topic).filter(isSubscriptionTopic);
}

export interface PublishDeps {
  translator: Translator;
  /** Enqueues the deliveries of a committed batch. */
  enqueue(jobs: JobRef[]): Promise<void>;
  /** Subscribers per transaction (default 500). */
  batchSize?: number;
  /** Stops after this many batches, leaving the rest to the next call (tests: an interrupted fan-out). */
  maxBatches?: number;
  publishedById?: string;
  now?: Date;
}

export interface PublishResult {
  announcement: Announcement;
  /** Messages stored by this call. */
  stored: number;
  finished: boolean;
}

/**
 * Publishes the announcement (first call) and fans it out to the subscribers of its topic who had
 * subscribed by the time it was published. Safe to call again at any time: it resumes.
 */
export async function publishAnnouncement(db: Db, id: string, deps: PublishDeps): Promise<PublishResult> {
  const now = deps.now ?? new Date();
  const found = await db.announcement.findUnique({ where: { id } });
  if (!found) throw new PressError(404, 'announcement_not_found', 'No such announcement.');
  if (found.stoppedAt) throw new PressError(409, 'announcement_stopped', 'This announcement was stopped; it is not sent any more.');
  if (!found.publishedAt) {
    await db.announcement.updateMany({ where: { id, publishedAt: null }, data: { publishedAt: now, publishedById: deps.publishedById ?? null } });
  }
  const batchSize = deps.batchSize ?? 500;
  let stored = 0;
  for (let batch = 0; deps.maxBatches === undefined || batch < deps.maxBatches; batch++) {
    const jobs: JobRef[] = [];
    const outcome = await db.$transaction(
      async (tx) => {
        // The announcement's row lock: one batch at a time, whoever runs it, and stop waits for it.
        const rows = await tx.$queryRaw<Array<{ stopped_at: Date | null; fanned_out_at: Date | null }>>`
          SELECT stopped_at, fanned_out_at FROM announcement WHERE id = ${id}::uuid FOR UPDATE`;
        const row = rows[0]!;
        if (row.stopped_at || row.fanned_out_at) return 'done' as const;
        const announcement = await tx.announcement.findUniqueOrThrow({ where: { id } });
        const subscribers = await tx.$queryRaw<Array<{ contact_id: string }>>`
          SELECT s.contact_id FROM subscription s JOIN contact c ON c.id = s.contact_id
          WHERE s.topic = ${announcement.topic} AND s.unsubscribed_at IS NULL
            AND s.subscribed_at <= ${announcement.publishedAt} AND c.unfollowed_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM announcement_delivery d WHERE d.announcement_id = ${id}::uuid AND d.contact_id = s.contact_id)
          ORDER BY s.contact_id LIMIT ${batchSize}`;
        if (subscribers.length === 0) {
          await tx.announcement.update({ where: { id }, data: { fannedOutAt: now } });
          return 'done' as const;
        }
        const contacts = await tx.contact.findMany({
          where: { id: { in: subscribers.map((s) => s.contact_id) } },
          include: { conversations: { orderBy: { createdAt: 'desc' }, take: 1 } },
        });
        for (const contact of contacts) {
          const conversation = contact.conversations[0];
          let messageId: string | null = null;
          if (conversation) {
            const locale = contactLocale(contact);
            const text = deps.translator.t(locale, 'press:announcement', {
              title: locale === 'en' ? announcement.titleEn : announcement.titleVi,
              body: locale === 'en' ? announcement.bodyEn : announcement.bodyVi,
              topic: deps.translator.t(locale, `press:topic.${announcement.topic}`),
            });
            const { message, job } = await storeOutbound(tx, conversation, { author: 'bot', text });
            messageId = message.id;
            jobs.push(job);
          }
          // Recorded even without a conversation to write to, so the next batch moves on.
          await tx.announcementDelivery.create({ data: { announcementId: id, contactId: contact.id, messageId } });
        }
        await tx.announcement.update({ where: { id }, data: { storedCount: { increment: jobs.length } } });
        return 'more' as const;
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
    stored += jobs.length;
    await deps.enqueue(jobs);
    if (outcome === 'done') break;
  }
  const announcement = await db.announcement.findUniqueOrThrow({ where: { id } });
  return { announcement, stored, finished: announcement.fannedOutAt !== null || announcement.stoppedAt !== null };
}

/**
 * Stops an announcement: no more messages are stored, and those stored but not yet sent are
 * withheld. A message a worker is sending at this very moment (its delivery claimed) still goes.
 */
export async function stopAnnouncement(db: Db, id: string, now: Date = new Date()): Promise<{ announcement: Announcement; withheld: number }> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM announcement WHERE id = ${id}::uuid FOR UPDATE`;
    if (rows.length === 0) throw new PressError(404, 'announcement_not_found', 'No such announcement.');
    await tx.announcement.updateMany({ where: { id, stoppedAt: null }, data: { stoppedAt: now } });
    // Outbox rows still pending and not claimed by a sender: finished unsent. claimDelivery only
    // takes pending rows, so a queued job for one of them now finds it finished and sends nothing.
    const withheld = await tx.$queryRaw<Array<{ message_id: string }>>`
      UPDATE outbox_job j SET status = 'done', finished_at = now(), last_error = ${WITHHELD}
      FROM announcement_delivery d
      WHERE d.announcement_id = ${id}::uuid AND j.message_id = d.message_id AND j.kind = 'deliver_outbound'
        AND j.status = 'pending' AND (j.claimed_until IS NULL OR j.claimed_until < now())
      RETURNING j.message_id`;
    if (withheld.length > 0) {
      await tx.message.updateMany({
        where: { id: { in: withheld.map((w) => w.message_id) }, delivery: { in: ['none', 'pending'] } },
        data: { delivery: 'failed', deliveryError: WITHHELD },
      });
    }
    return { announcement: await tx.announcement.findUniqueOrThrow({ where: { id } }), withheld: withheld.length };
  });
}

export interface AnnouncementCounts {
  /** Messages stored for subscribers. */
  stored: number;
  /** Accepted by the platform (sent, delivered or seen). */
  sent: number;
  /** Still to be sent. */
  pending: number;
  /** Could not be delivered. */
  failed: number;
  /** Held back because the announcement was stopped. */
  withheld: number;
}

export async function announcementCounts(db: Db, id: string): Promise<AnnouncementCounts> {
  const rows = await db.$queryRaw<Array<{ delivery: string; withheld: boolean; n: number }>>`
    SELECT m.delivery::text AS delivery, (m.delivery_error IS NOT DISTINCT FROM ${WITHHELD}) AS withheld, count(*)::int AS n
    FROM announcement_delivery d JOIN message m ON m.id = d.message_id
    WHERE d.announcement_id = ${id}::uuid GROUP BY 1, 2`;
  const counts: AnnouncementCounts = { stored: 0, sent: 0, pending: 0, failed: 0, withheld: 0 };
  for (const r of rows) {
    counts.stored += r.n;
    if (r.delivery === 'failed') counts[r.withheld ? 'withheld' : 'failed'] += r.n;
    else if (r.delivery === 'none' || r.delivery === 'pending') counts.pending += r.n;
    else counts.sent += r.n;
  }
  return counts;
}

/** Announcements published, not stopped, whose fan-out did not finish (a restart resumes them). */
export async function unfinishedAnnouncements(db: Db): Promise<string[]> {
  const rows = await db.announcement.findMany({
    where: { publishedAt: { not: null }, fannedOutAt: null, stoppedAt: null },
    select: { id: true },
    orderBy: { publishedAt: 'asc' },
  });
  return rows.map((r) => r.id);
}
