// The two kinds of work: understanding a person's message (conversation → ticket → replies) and
// delivering a reply on the channel it belongs to.
import type { Logger } from 'pino';
import type { Flow } from '../../flows/types';
import type { Classifier } from '../classify/types';
import { loadLedger } from '../channels/ledger';
import type { ChannelAdapter, Channel } from '../channels/types';
import { PermanentDeliveryError } from '../channels/types';
import { runConversation, type EngineDeps } from '../conversation/engine';
import type { Db } from '../db/database';
import type { Button, OutboundMessage } from '../channels/types';
import { storeOutbound } from '../messages/store';
import type { JobContext, JobHandler, JobName, JobQueue, JobRef } from '../queue/types';
import { claimPending, enqueueAfterCommit, markDone, recordFailure } from './outbox';

export interface WorkDeps extends EngineDeps {
  db: Db;
  queue: JobQueue;
  channels: Map<Channel, ChannelAdapter>;
  log: Logger;
  maxAttempts: number;
  flows: Record<string, Flow>;
  /** null: no classifier, every ticket goes to triage. */
  classifier: Classifier | null;
}

export async function processInbound(deps: WorkDeps, job: JobContext): Promise<void> {
  // Understand the message before the transaction: a model may take seconds, and a
  // transaction must not wait on the network (on PGlite it would block every other writer).
  const row = await deps.db.outboxJob.findUnique({ where: { id: job.id }, select: { status: true, messageId: true } });
  if (!row || row.status !== 'pending') return;
  const stored = await deps.db.message.findUniqueOrThrow({ where: { id: row.messageId }, select: { text: true } });
  const classification = deps.classifier ? await deps.classifier.classify(stored.text) : null;
  const followUps: JobRef[] = [];
  await deps.db.$transaction(
    async (tx) => {
      const claimed = await claimPending(tx, job.id);
      if (!claimed) return;
      const message = await tx.message.findUniqueOrThrow({
        where: { id: claimed.messageId },
        include: { conversation: { include: { contact: true } } },
      });
      const replies = await runConversation(tx, deps, message, classification);
      for (const reply of replies) {
        const { job: delivery } = await storeOutbound(tx, message.conversation, { author: 'bot', ...reply });
        followUps.push(delivery);
      }
      await markDone(tx, claimed.id, job.attempt);
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
  await enqueueAfterCommit(deps.queue, followUps, deps.log);
}

export async function deliverOutbound(deps: WorkDeps, job: JobContext): Promise<void> {
  const row = await deps.db.outboxJob.findUnique({ where: { id: job.id } });
  if (!row || row.status !== 'pending') return;
  const message = await deps.db.message.findUniqueOrThrow({
    where: { id: row.messageId },
    include: { conversation: { include: { contact: true } } },
  });
  if (!ALREADY_SENT.has(message.delivery)) {
    const adapter = deps.channels.get(message.channel);
    if (!adapter) throw new PermanentDeliveryError(`Channel ${message.channel} is off: its credentials are not configured.`, 'channel_off');
    const attachments = (message.attachments as Array<{ type?: string; url?: string }> | null) ?? [];
    const outbound: OutboundMessage = {
      messageId: message.id,
      conversationId: message.conversationId,
      channel: message.channel,
      channelUserId: message.conversation.contact.channelUserId,
      seq: message.seq,
      author: message.author === 'agent' ? 'agent' : 'bot',
      text: message.text,
      buttons: (message.buttons as Button[] | null) ?? undefined,
      images: attachments.filter((a) => a.type === 'image' && typeof a.url === 'string').map((a) => a.url as string),
    };
    await adapter.send(outbound, await loadLedger(deps.db, message.id, message.channel));
  }
  await deps.db.$transaction([
    // A receipt may already have moved it on to delivered or seen; keep that.
    deps.db.message.updateMany({
      where: { id: message.id, delivery: { in: ['none', 'pending', 'failed'] } },
      data: { delivery: 'sent', deliveryError: null },
    }),
    deps.db.outboxJob.update({
      where: { id: row.id },
      data: { status: 'done', attempts: job.attempt, finishedAt: new Date(), lastError: null },
    }),
  ]);
}

const ALREADY_SENT = new Set(['sent', 'delivered', 'seen']);

/** Wraps a handler with failure accounting: the row records every attempt; the last one (or a permanent error) makes it dead. */
function accounted(deps: WorkDeps, handler: (deps: WorkDeps, job: JobContext) => Promise<void>): JobHandler {
  return async (job) => {
    try {
      await handler(deps, job);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      const final = error instanceof PermanentDeliveryError || job.attempt >= deps.maxAttempts;
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
    }
  });
}

export function workHandlers(deps: WorkDeps): Record<JobName, JobHandler> {
  return {
    process_inbound: accounted(deps, processInbound),
    deliver_outbound: accounted(deps, deliverOutbound),
  };
}
