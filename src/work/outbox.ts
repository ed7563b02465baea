// The transactional outbox: OutboxJob rows are the work; queue jobs only point at them. These
// helpers claim a row inside a transaction, finish it, record failures, and put unfinished rows
// back on the queue after a crash or a lost Redis.
import type { Db } from '../db/database';
import type { OutboxJob } from '../generated/prisma/client';
import type { Tx } from '../messages/store';
import type { JobQueue, JobRef } from '../queue/types';

/** Locks the row for this transaction; null when another worker already finished it. */
export async function claimPending(tx: Tx, id: string): Promise<OutboxJob | null> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM outbox_job WHERE id = ${id}::uuid AND status = 'pending' FOR UPDATE`;
  if (rows.length === 0) return null;
  return tx.outboxJob.findUnique({ where: { id } });
}

export async function markDone(tx: Tx | Db, id: string, attempt: number): Promise<void> {
  await tx.outboxJob.update({
    where: { id },
    data: { status: 'done', attempts: attempt, finishedAt: new Date(), lastError: null },
  });
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

/** Puts every unfinished row back on the queue (the queue ignores ids it already holds). */
export async function requeuePending(db: Db, queue: JobQueue, log: WarnLogger, limit = 1000): Promise<number> {
  const rows = await db.outboxJob.findMany({
    where: { status: 'pending', runAfter: { lte: new Date() } },
    orderBy: { createdAt: 'asc' },
    take: limit,
    select: { id: true, kind: true },
  });
  await enqueueAfterCommit(queue, rows.map((r) => ({ name: r.kind, id: r.id })), log);
  return rows.length;
}
