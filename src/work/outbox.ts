// The transactional outbox: OutboxJob rows are the work; queue jobs only point at them. These
// helpers claim deliveries for one sender at a time (src/db/delivery-sql.ts), record failures, and
// put unfinished rows back on the queue after a crash or a lost Redis. A processed message's row is
// finished with its reply (src/db/work-sql.ts finishInbound).
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database';
import { claimOutboxRow, claimReply, type ClaimedReply, type OutboxClaim } from '../db/delivery-sql';
import type { OutboxJob } from '../generated/prisma/client';
import type { Tx } from '../messages/store';
import type { JobQueue, JobRef } from '../queue/types';

/**
 * A delivery being sent by one worker. Sending talks to a platform, so it cannot happen inside a
 * transaction holding a row lock; instead the row carries a lease (database time, so node clocks
 * do not matter) that the sender renews while it works and that runs out by itself if it dies.
 * The claim rule and its statement are in src/db/delivery-sql.ts.
 */
export type DeliveryClaim<T = { job: OutboxJob }> =
  | ({ kind: 'claimed'; token: string; renew(): Promise<boolean>; release(): Promise<void> } & T)
  | { kind: 'finished' }
  | { kind: 'busy'; retryAfterMs: number };

/** Claims an outbox row (an e-mail notification, say) for sending, with the row. One statement. */
export async function claimDelivery(db: Db, id: string, leaseMs: number): Promise<DeliveryClaim> {
  const token = randomUUID();
  return leased(db, id, token, leaseMs, await claimOutboxRow(db, id, token, leaseMs));
}

/** Claims a stored reply for sending, with its message, the person's channel user id and the delivery ledger. One statement. */
export async function claimReplyDelivery(db: Db, id: string, leaseMs: number): Promise<DeliveryClaim<{ reply: ClaimedReply | null }>> {
  const token = randomUUID();
  return leased(db, id, token, leaseMs, await claimReply(db, id, token, leaseMs));
}

function leased<T>(db: Db, id: string, token: string, leaseMs: number, claim: OutboxClaim<T>): DeliveryClaim<T> {
  if (claim.kind === 'finished') return claim;
  // Ask again just after the other sender's lease would run out.
  if (claim.kind === 'busy') return { kind: 'busy', retryAfterMs: Math.max(50, Math.ceil(claim.leftMs) + 50) };
  const renew = async () =>
    (await db.$executeRaw`
      UPDATE outbox_job SET claimed_until = now() + ${leaseMs} * interval '1 millisecond'
      WHERE id = ${id}::uuid AND claimed_by = ${token}::uuid AND status = 'pending'`) === 1;
  const release = async () => {
    await db.$executeRaw`
      UPDATE outbox_job SET claimed_by = NULL, claimed_until = NULL WHERE id = ${id}::uuid AND claimed_by = ${token}::uuid`;
  };
  return { ...claim, token, renew, release };
}

/** Releases every delivery claim: only for a database no other process can be using. */
export async function releaseAllClaims(db: Db): Promise<void> {
  await db.$executeRaw`UPDATE outbox_job SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by IS NOT NULL`;
}

/** Runs `work` while renewing the claim's lease every third of it. */
export async function whileClaimed<T>(claim: { renew(): Promise<boolean> }, leaseMs: number, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => void claim.renew().catch(() => undefined), Math.max(10, Math.floor(leaseMs / 3)));
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** Records a failed attempt; on the last one the row becomes dead (kept, visible, never dropped). */
export async function recordFailure(db: Db | Tx, id: string, attempt: number, error: Error, final: boolean): Promise<void> {
  await db.outboxJob.update({
    where: { id },
    data: {
      attempts: attempt,
      lastError: error.message.slice(0, 2000),
      ...(final ? { status: 'dead' as const, finishedAt: new Date() } : {}),
    },
  });
}

/** Enqueues after commit. A failure is logged, not thrown: the row stays pending and the sweep retries. */
export interface WarnLogger {
  warn(obj: object, msg: string): void;
}

export async function enqueueAfterCommit(queue: JobQueue, jobs: JobRef[], log: WarnLogger): Promise<void> {
  await Promise.all(
    jobs.map((job) =>
      queue.enqueue(job).catch((err: Error) => {
        log.warn({ err, jobId: job.id, job: job.name }, 'queue unavailable; the stored job will be re-enqueued by the recovery sweep');
      }),
    ),
  );
}

/**
 * Puts every unfinished row back on the queue (the queue ignores ids it already holds), but those
 * a sender holds a live claim on: that sender finishes them, or its claim runs out and they are
 * put back then.
 */
export async function requeuePending(db: Db, queue: JobQueue, log: WarnLogger, limit = 1000): Promise<number> {
  const now = new Date();
  const rows = await db.outboxJob.findMany({
    where: { status: 'pending', runAfter: { lte: now }, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
    orderBy: { createdAt: 'asc' },
    take: limit,
    select: { id: true, kind: true },
  });
  await enqueueAfterCommit(queue, rows.map((r) => ({ name: r.kind, id: r.id })), log);
  return rows.length;
}
