// The two kinds of work: understanding a person's message (conversation → ticket → replies) and
// delivering a reply on the channel it belongs to.
import type { Logger } from 'pino';
import type { Flow, Reply } from '../conversation/types';
import type { Classifier } from '../classify/types';
import { deliveryLedger } from '../channels/ledger';
import { finishHandedOn, finishReply, releaseHandedOn, renewHandedOn, type ClaimedReply, type HandedOnDelivery } from '../db/delivery-sql';
import { randomUUID } from 'node:crypto';
import type { HandOn } from './hand-on';
import type { Message } from '../generated/prisma/client';
import type { ChannelAdapter, Channel } from '../channels/types';
import { PermanentDeliveryError, RetryLaterError } from '../channels/types';
import { runConversation, type EngineDeps } from '../conversation/engine';
import type { Db } from '../db/database';
import type { Button, OutboundMessage } from '../channels/types';
import type { Tx } from '../messages/store';
import type { ClassificationResult } from '../classify/types';
import { notificationMail, type Mailer } from '../notifications/email';
import { liveBase, publishLive, publishMessagesAddedTo } from '../live/events';
import type { JobContext, JobHandler, JobName, JobQueue, JobRef } from '../queue/types';
import { claimMessage, claimMoreMessages, finishInbound, processTarget, type MessageWithConversation } from '../db/work-sql';
import { claimDelivery, claimReplyDelivery, enqueueAfterCommit, recordFailure, whileClaimed } from './outbox';

export interface WorkDeps extends EngineDeps {
  db: Db;
  queue: JobQueue;
  channels: Map<Channel, ChannelAdapter>;
  log: Logger;
  maxAttempts: number;
  flows: Record<string, Flow>;
  /** null: no classifier, every ticket goes to triage. */
  classifier: Classifier | null;
  /** How long a delivery claim holds without renewal: how soon a reply a dead worker was sending is sent by another. */
  deliveryLeaseMs?: number;
  /** Told how each job attempt ended and how long it took (GET /metrics). */
  metrics?: { jobFinished(kind: JobName, outcome: JobOutcome, seconds: number): void };
  /** Sends staff notifications by e-mail (SMTP_URL); null: e-mail is off. */
  mailer?: Mailer | null;
  /** How many waiting messages one transaction understands at most (QUEUE_PROCESS_BATCH; 1: one at a time). */
  processBatch?: number;
  /** Jobs this process finished for others (taken into a batch): their own queue job ends without a statement. */
  finishedHere?: RecentIds;
  /** Replies this worker sends itself as soon as they are stored (src/work/hand-on.ts); without it, every reply goes through the queue. */
  handOn?: HandOn;
}

/**
 * The last `size` ids added, oldest forgotten first: which jobs this process committed done while
 * their own queue jobs still wait. Only ever holds committed work, so finding one is the truth;
 * not finding one costs the statement that asks the database.
 */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly size = 20_000) {}
  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.size) this.ids.delete(this.ids.values().next().value!);
  }
  has(id: string): boolean {
    return this.ids.has(id);
  }
}

/** How a job attempt ended: done, failed and retried, failed for good, or left to the worker already on it. */
export type JobOutcome = 'done' | 'retry' | 'dead' | 'busy';

/** How long a delivery claim lasts without renewal (a sender renews it every third of this). */
const DEFAULT_DELIVERY_LEASE_MS = 30_000;

/** Another worker is sending this delivery right now: try again when its lease would run out. */
export class DeliveryBusyError extends RetryLaterError {
  override name = 'DeliveryBusyError';
}

interface WaitingMessage {
  job_id: string;
  message_id: string;
  text: string;
}

/**
 * Messages of one conversation are understood one at a time and in the order they were written,
 * whichever worker or node picks them up: a person who writes twice quickly must not get two
 * tickets, nor the second answer before the first. The worker that holds the conversation first
 * also handles its earlier messages that nobody has tried yet; their own jobs then find them done.
 * With a classifier that answers on this thread, the same transaction also takes waiting messages
 * of other conversations (claimMoreMessages): under a backlog, one commit finishes many messages.
 */
export async function processInbound(deps: WorkDeps, job: JobContext): Promise<void> {
  if (deps.finishedHere?.has(job.id)) return;
  // Every message with a lower seq is already committed (seqs are taken under the conversation's
  // row lock), so the waiting list is complete. Earlier ones that failed before are left to their
  // own retries: one message that cannot be handled must not hold the whole conversation back.
  const target = await processTarget(deps.db, job.id, 50);
  if (!target || target.status !== 'pending') return;
  // Understand the messages before the transaction: a model may take seconds, and a transaction
  // must not wait on the network (on PGlite it would block every other writer).
  const classified = await Promise.all(target.waiting.map(async (item) => ({ ...item, classification: await classify(deps, item.text) })));
  const batch = deps.classifier === null || deps.classifier.inline ? (deps.processBatch ?? DEFAULT_PROCESS_BATCH) - classified.length : 0;
  const taken: string[] = [];
  try {
    await understandTogether(deps, job, target.conversationId, classified, batch, taken);
  } catch (err) {
    if (classified.length === 1 && taken.length === 0) throw err;
    // One of them could not be handled, and the transaction took every one down with it: each
    // again in its own, so the others are answered and only the failing one waits for its retry.
    deps.log.warn({ err, jobId: job.id, messages: classified.length + taken.length }, 'a message of a batch failed; understanding them one at a time');
    for (const item of classified) {
      if (item.job_id === job.id) continue;
      await understandAlone(deps, item.job_id, item.classification, 1).catch((e: Error) =>
        deps.log.warn({ err: e, jobId: item.job_id }, 'an earlier message of the conversation failed; its own job retries it'),
      );
    }
    await Promise.all(
      taken.map((jobId) =>
        understandAlone(deps, jobId, undefined, 1).catch(async (e: Error) => {
          // Its own queue job may have found it taken and finished: count the attempt and queue it again.
          deps.log.warn({ err: e, jobId }, 'a message taken into a batch failed; queued again for its retry');
          await recordFailure(deps.db, jobId, 1, e, deps.maxAttempts <= 1).catch(() => undefined);
          await enqueueAfterCommit(deps.queue, [{ name: 'process_inbound', id: jobId }], deps.log);
        }),
      ),
    );
    await understandAlone(deps, job.id, classified.find((item) => item.job_id === job.id)?.classification, job.attempt);
  }
}

/** How many messages one transaction finishes at most (QUEUE_PROCESS_BATCH). */
const DEFAULT_PROCESS_BATCH = 32;

const classify = (deps: WorkDeps, text: string) => (deps.classifier ? deps.classifier.classify(text) : Promise.resolve(null));

async function understandTogether(
  deps: WorkDeps,
  job: JobContext,
  conversationId: string,
  waiting: Array<WaitingMessage & { classification: ClassificationResult | null }>,
  more: number,
  taken: string[],
): Promise<void> {
  const replies = new Replies(deps, waiting.length + Math.max(0, more));
  await deps.db.$transaction(
    async (tx) => {
      replies.reset();
      for (const item of waiting) {
        // The job's and the conversation's row locks (one message of a conversation at a time, on
        // every node) and the message with its conversation and contact, in one statement.
        const message = await claimMessage(tx, item.job_id);
        if (message) await understandClaimed(tx, deps, message, item.job_id, item.job_id === job.id ? job.attempt : 1, item.classification, replies);
      }
      if (more < 1) return;
      for (const message of await claimMoreMessages(tx, conversationId, more)) {
        taken.push(message.jobId);
        await understandClaimed(tx, deps, message, message.jobId, 1, await classify(deps, message.text), replies);
      }
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
  for (const jobId of taken) deps.finishedHere?.add(jobId);
  for (const item of waiting) if (item.job_id !== job.id) deps.finishedHere?.add(item.job_id);
  await replies.committed();
}

/** One message in its own transaction: how a message of a failed batch is tried again. */
async function understandAlone(deps: WorkDeps, jobId: string, known: ClassificationResult | null | undefined, attempt: number): Promise<void> {
  let classification = known ?? null;
  if (known === undefined) {
    const row = await deps.db.outboxJob.findUnique({ where: { id: jobId }, select: { messageId: true } });
    const inbound = row && (await deps.db.message.findUnique({ where: { id: row.messageId }, select: { text: true } }));
    classification = inbound ? await classify(deps, inbound.text) : null;
  }
  const replies = new Replies(deps, 1);
  await deps.db.$transaction(
    async (tx) => {
      replies.reset();
      const message = await claimMessage(tx, jobId);
      if (message) await understandClaimed(tx, deps, message, jobId, attempt, classification, replies);
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
  await replies.committed();
}

/**
 * The replies a transaction stores, and what becomes of them once it commits: sent by this
 * worker at once under the claim the transaction took (when it has room for them, see HandOn),
 * or queued as delivery jobs.
 */
class Replies {
  /** The claim the transaction takes on its replies' deliveries, or null: they go through the queue. */
  readonly claim: { token: string; leaseMs: number } | null;
  private queued: JobRef[] = [];
  private handed: Array<{ jobId: string; message: Message; channelUserId: string }> = [];

  constructor(
    private readonly deps: WorkDeps,
    most: number,
  ) {
    this.claim = deps.handOn?.hasRoom(most) ? { token: randomUUID(), leaseMs: deps.deliveryLeaseMs ?? DEFAULT_DELIVERY_LEASE_MS } : null;
  }

  /** A transaction that is tried again starts with none. */
  reset(): void {
    this.queued = [];
    this.handed = [];
  }

  add(jobId: string, message: Message, channelUserId: string): void {
    if (this.claim) this.handed.push({ jobId, message, channelUserId });
    else this.queued.push({ name: 'deliver_outbound', id: jobId });
  }

  async committed(): Promise<void> {
    await enqueueAfterCommit(this.deps.queue, this.queued, this.deps.log);
    if (this.claim && this.handed.length > 0) {
      this.deps.handOn!.track(this.handed.length, sendHandedOn(this.deps, this.claim, this.handed));
    }
  }
}

async function understandClaimed(
  tx: Tx,
  deps: WorkDeps,
  message: MessageWithConversation,
  jobId: string,
  attempt: number,
  classification: ClassificationResult | null,
  stored: Replies,
): Promise<void> {
  const { replies, next } = await runConversation(tx, deps, message, classification);
  const reply = replies.length > 0 ? oneMessage(replies) : null;
  const finished = await finishInbound(tx, {
    conversationId: message.conversationId,
    jobId,
    attempt,
    claimReply: stored.claim ?? undefined,
    ...next,
    reply: reply
      ? {
          author: 'bot',
          channel: message.conversation.channel,
          text: reply.text,
          buttons: reply.buttons,
          attachments: [],
          ticketId: reply.ticketId,
        }
      : undefined,
  });
  if (finished) {
    if (finished.ticket) publishMessagesAddedTo(tx, finished.ticket, [finished.message], finished.message.createdAt);
    stored.add(finished.jobId, finished.message, message.conversation.contact.channelUserId);
  }
}

/**
 * What the bot says to one message goes out as one message (an answer, then the form's question
 * again): deliveries run in parallel, and two messages could reach a platform chat in the wrong order.
 */
function oneMessage(replies: Reply[]): Omit<Reply, 'key'> {
  if (replies.length === 1) return replies[0]!;
  return {
    text: replies.map((r) => r.text).join('\n\n'),
    buttons: [...replies].reverse().find((r) => r.buttons?.length)?.buttons,
    ticketId: replies.find((r) => r.ticketId)?.ticketId,
  };
}

/**
 * Sends a stored reply. The delivery is claimed in the database first, so however many workers
 * and nodes hold the job (two nodes without Redis each sweep it up), one sends it at a time; the
 * delivery ledger then keeps a retry from sending again a part the platform already accepted.
 * Two statements in all (src/db/delivery-sql.ts): the claim with everything sending reads, and
 * finishing, which records the last part; plus one for each earlier part an adapter records in the ledger.
 */
export async function deliverOutbound(deps: WorkDeps, job: JobContext): Promise<void> {
  const leaseMs = deps.deliveryLeaseMs ?? DEFAULT_DELIVERY_LEASE_MS;
  const claim = await claimReplyDelivery(deps.db, job.id, leaseMs);
  if (claim.kind === 'finished') return;
  if (claim.kind === 'busy') throw new DeliveryBusyError('another worker is sending this reply', claim.retryAfterMs);
  // Attempts the queue did not see (the stored-by worker's own, src/work/hand-on.ts) count too.
  if (claim.reply) job.attempt = Math.max(job.attempt, claim.reply.job.attempts + 1);
  try {
    await whileClaimed(claim, leaseMs, () => sendClaimed(deps, job, claim.reply));
  } catch (err) {
    await claim.release().catch(() => undefined);
    throw err;
  }
}

/** Hands a stored reply to its channel's adapter; the ledger it returns holds the last part for the finishing statement. */
async function sendReply(
  deps: WorkDeps,
  message: Message,
  channelUserId: string,
  sentParts: ReadonlyArray<{ part: number; externalId: string | null }>,
): Promise<ReturnType<typeof deliveryLedger>> {
  const adapter = deps.channels.get(message.channel);
  if (!adapter) throw new PermanentDeliveryError(`Channel ${message.channel} is off: its credentials are not configured.`, 'channel_off');
  const attachments = (message.attachments as Array<{ type?: string; url?: string }> | null) ?? [];
  const outbound: OutboundMessage = {
    messageId: message.id,
    conversationId: message.conversationId,
    channel: message.channel,
    channelUserId,
    seq: message.seq,
    author: message.author === 'agent' ? 'agent' : 'bot',
    text: message.text,
    buttons: (message.buttons as Button[] | null) ?? undefined,
    images: attachments.filter((a) => a.type === 'image' && typeof a.url === 'string').map((a) => a.url as string),
  };
  const ledger = deliveryLedger(deps.db, message.id, message.channel, sentParts);
  try {
    await adapter.send(outbound, ledger);
  } catch (err) {
    // Accepted parts stay known to the retry, which must not send them again.
    await ledger.writeHeld();
    throw err;
  }
  return ledger;
}

/**
 * Sends the replies a transaction stored and claimed, in parallel, then finishes those sent in
 * one statement. One that fails has that attempt recorded and is released to its delivery job,
 * which retries it with the queue's backoff; one refused for good is dead-lettered at once.
 */
async function sendHandedOn(deps: WorkDeps, claim: { token: string; leaseMs: number }, replies: Array<{ jobId: string; message: Message; channelUserId: string }>): Promise<void> {
  const started = performance.now();
  const held = { renew: async () => (await renewHandedOn(deps.db, claim.token, claim.leaseMs)) > 0 };
  const outcomes = await whileClaimed(held, claim.leaseMs, () => sendInOrder(replies, (r) => sendReply(deps, r.message, r.channelUserId, [])));
  const seconds = (performance.now() - started) / 1000;
  const sent: HandedOnDelivery[] = [];
  const failed: Array<{ jobId: string; error: Error }> = [];
  outcomes.forEach((outcome, i) => {
    const { jobId, message } = replies[i]!;
    if (outcome.status === 'fulfilled') sent.push({ jobId, messageId: message.id, channel: message.channel, parts: outcome.value.unwritten() });
    else failed.push({ jobId, error: outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason)) });
  });
  try {
    await finishHandedOn(deps.db, claim.token, sent);
    for (const _ of sent) deps.metrics?.jobFinished('deliver_outbound', 'done', seconds);
  } catch (err) {
    // Sent but not marked: their claims run out and the recovery sweep queues them; the ledger
    // keeps a retry from sending again what the platform took (only the held last part may be).
    deps.log.warn({ err, replies: sent.length }, 'replies sent but not marked sent; the recovery sweep will finish them');
  }
  if (failed.length === 0) return;
  // The first attempt of each, recorded as the delivery job would: the job then makes the next
  // (after what a platform's rate limit asked), and the last it is allowed.
  try {
    await releaseHandedOn(deps.db, claim.token, failed.map((f) => ({ jobId: f.jobId, error: f.error.message.slice(0, 2000) })));
  } catch (err) {
    deps.log.warn({ err, replies: failed.length }, 'could not release the claims of replies not sent; they are sent once the claims run out');
    return;
  }
  const retries: JobRef[] = [];
  for (const { jobId, error } of failed) {
    const job: JobContext = { name: 'deliver_outbound', id: jobId, attempt: 1 };
    if (error instanceof PermanentDeliveryError || deps.maxAttempts <= 1) {
      deps.metrics?.jobFinished('deliver_outbound', 'dead', seconds);
      deps.log.error({ err: error, jobId, job: job.name, attempt: 1 }, 'job failed for good; dead-lettered');
      await deadLetterDelivery(deps, job, error).catch((err: Error) => deps.log.warn({ err, jobId }, 'could not dead-letter a reply; its delivery job will'));
      continue;
    }
    deps.metrics?.jobFinished('deliver_outbound', 'retry', seconds);
    deps.log.warn({ err: error, jobId, job: job.name, attempt: 1 }, 'job failed; will retry');
    retries.push({ name: 'deliver_outbound', id: jobId, ...(error instanceof RetryLaterError ? { delayMs: error.retryAfterMs } : {}) });
  }
  await enqueueAfterCommit(deps.queue, retries, deps.log);
}

/**
 * Sends replies of different conversations in parallel, and those of one conversation (several
 * messages of one person understood together) one after the other, in the order they were stored.
 */
async function sendInOrder<R extends { message: Message }, T>(replies: R[], send: (reply: R) => Promise<T>): Promise<Array<PromiseSettledResult<T>>> {
  const outcomes: Array<PromiseSettledResult<T>> = new Array(replies.length);
  const byConversation = new Map<string, number[]>();
  replies.forEach((r, i) => byConversation.set(r.message.conversationId, [...(byConversation.get(r.message.conversationId) ?? []), i]));
  await Promise.all(
    [...byConversation.values()].map(async (indexes) => {
      for (const i of indexes.sort((a, b) => replies[a]!.message.seq - replies[b]!.message.seq)) {
        outcomes[i] = await send(replies[i]!).then(
          (value): PromiseSettledResult<T> => ({ status: 'fulfilled', value }),
          (reason: unknown): PromiseSettledResult<T> => ({ status: 'rejected', reason }),
        );
      }
    }),
  );
  return outcomes;
}

async function sendClaimed(deps: WorkDeps, job: JobContext, reply: ClaimedReply | null): Promise<void> {
  if (!reply) throw new Error(`The message of delivery ${job.id} does not exist.`);
  const { message } = reply;
  const ledger = ALREADY_SENT.has(message.delivery) ? null : await sendReply(deps, message, reply.channelUserId, reply.sentParts);
  // A console showing the ticket updates the answer's delivery state (only agencies' answers: the
  // bot's are many); the finishing statement reads that ticket as it is now, and records the last part.
  const answer = message.ticketId && message.author === 'agent' ? message.ticketId : null;
  const { ticket } = await finishReply(deps.db, job.id, job.attempt, answer, ledger ? { messageId: message.id, channel: message.channel, parts: ledger.unwritten() } : undefined);
  if (ticket) publishLive(deps.db, { event: 'ticket_changed', ...liveBase(ticket), status: ticket.status, change: 'answer_delivered' });
}

const ALREADY_SENT = new Set(['sent', 'delivered', 'seen']);

/**
 * E-mails one staff notification. Claimed like a delivery (one sender at a time, whatever the
 * nodes); a failure is retried with the queue's backoff and, after the last attempt, dead-lettered.
 */
export async function emailNotification(deps: WorkDeps, job: JobContext): Promise<void> {
  const leaseMs = deps.deliveryLeaseMs ?? DEFAULT_DELIVERY_LEASE_MS;
  const claim = await claimDelivery(deps.db, job.id, leaseMs);
  if (claim.kind === 'finished') return;
  if (claim.kind === 'busy') throw new DeliveryBusyError('another worker is sending this e-mail', claim.retryAfterMs);
  try {
    await whileClaimed(claim, leaseMs, async () => {
      const row = claim.job;
      // SMTP_URL was unset since the notification was made: nothing to send it with; the console has it.
      const mail = deps.mailer ? await notificationMail(deps.db, deps.translator, deps.publicUrl, row.messageId) : null;
      if (mail) await deps.mailer!.send(mail);
      await deps.db.$transaction([
        ...(mail ? [deps.db.notification.update({ where: { id: row.messageId }, data: { emailedAt: new Date() } })] : []),
        deps.db.outboxJob.update({
          where: { id: row.id },
          data: { status: 'done', attempts: job.attempt, finishedAt: new Date(), lastError: null, claimedBy: null, claimedUntil: null },
        }),
      ]);
    });
  } catch (err) {
    await claim.release().catch(() => undefined);
    throw err;
  }
}

/** Wraps a handler with failure accounting: the row records every attempt; the last one (or a permanent error) makes it dead. */
function accounted(deps: WorkDeps, handler: (deps: WorkDeps, job: JobContext) => Promise<void>): JobHandler {
  return async (queued) => {
    // The handler may count this attempt later than the queue does (a reply first tried by the
    // worker that stored it, src/work/hand-on.ts): the failure is recorded as the handler counts it.
    const job = { ...queued };
    const started = performance.now();
    const finished = (outcome: JobOutcome) => deps.metrics?.jobFinished(job.name, outcome, (performance.now() - started) / 1000);
    try {
      await handler(deps, job);
      finished('done');
    } catch (err) {
      // Not a failure of this delivery: it is in another worker's hands; the queue asks again later.
      if (err instanceof DeliveryBusyError) {
        finished('busy');
        throw err;
      }
      const error = err instanceof Error ? err : new Error(String(err));
      const final = error instanceof PermanentDeliveryError || job.attempt >= deps.maxAttempts;
      finished(final ? 'dead' : 'retry');
      if (final && job.name === 'deliver_outbound') await deadLetterDelivery(deps, job, error);
      else await recordFailure(deps.db, job.id, job.attempt, error, final);
      if (final) {
        deps.log.error({ err: error, jobId: job.id, job: job.name, attempt: job.attempt }, 'job failed for good; dead-lettered');
        return;
      }
      deps.log.warn({ err: error, jobId: job.id, job: job.name, attempt: job.attempt }, 'job failed; will retry');
      throw error;
    }
  };
}

/**
 * The message will not reach the person in chat: the job, the message and (for an agency's
 * answer) the ticket's history say so together, in one transaction. The answer stays readable on
 * the public tracking page, and the history says why it could not be sent, so staff can call.
 */
async function deadLetterDelivery(deps: WorkDeps, job: JobContext, error: Error): Promise<void> {
  const reason = error instanceof PermanentDeliveryError ? error.reason : 'retries_exhausted';
  await deps.db.$transaction(async (tx) => {
    await recordFailure(tx, job.id, job.attempt, error, true);
    const row = await tx.outboxJob.findUniqueOrThrow({ where: { id: job.id }, select: { messageId: true } });
    const message = await tx.message.update({
      where: { id: row.messageId },
      data: { delivery: 'failed', deliveryError: error.message.slice(0, 2000) },
    });
    if (message.ticketId && message.author === 'agent') {
      await tx.ticketEvent.create({
        data: {
          ticketId: message.ticketId,
          kind: 'answer_not_delivered',
          data: { messageId: message.id, channel: message.channel, reason, error: error.message.slice(0, 500) },
        },
      });
      const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: message.ticketId } });
      publishLive(tx, { event: 'ticket_changed', ...liveBase(ticket), status: ticket.status, change: 'answer_not_delivered' });
    }
  });
}

export function workHandlers(given: WorkDeps): Record<JobName, JobHandler> {
  const deps = { ...given, finishedHere: given.finishedHere ?? new RecentIds() };
  return {
    process_inbound: accounted(deps, processInbound),
    deliver_outbound: accounted(deps, deliverOutbound),
    email_notification: accounted(deps, emailNotification),
  };
}
