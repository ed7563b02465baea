// One queue interface, two drivers: BullMQ on Redis (REDIS_URL) and an in-process driver for the
// embedded default. A job carries only the id of an OutboxJob row: the database is the source of
// truth, so a lost queue loses nothing (src/work/recovery.ts enqueues unfinished rows again).

/** Understanding a message, delivering a reply, e-mailing a staff notification (each kind has its own lane). */
export type JobName = 'process_inbound' | 'deliver_outbound' | 'email_notification';

export interface JobRef {
  /** What to do; selects the handler. */
  name: JobName;
  /** The OutboxJob row id; also the queue's job id, so enqueuing the same row twice is a no-op while it waits. */
  id: string;
  /** Delay before the first attempt, in milliseconds. */
  delayMs?: number;
}

export interface JobContext {
  name: JobName;
  id: string;
  /** 1 for the first attempt. */
  attempt: number;
}

/** A handler throws to ask for a retry; it returns normally when the job is finished (or given up). */
export type JobHandler = (job: JobContext) => Promise<void>;

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Base of the exponential backoff, in milliseconds (doubles per attempt, with jitter). */
  backoffMs: number;
}

export interface QueueStatus {
  driver: 'in-process' | 'bullmq';
  ok: boolean;
  detail?: string;
}

export interface JobQueue {
  readonly driver: QueueStatus['driver'];
  /** Adds a job. Resolves once the queue has accepted it; rejects if the queue is unreachable. */
  enqueue(job: JobRef): Promise<void>;
  /**
   * Adds several jobs in one round trip where the driver can (BullMQ's addBulk); as `enqueue` for
   * each otherwise. Resolves once all were accepted; rejects if any was not (those that were stay).
   */
  enqueueMany?(jobs: JobRef[]): Promise<void>;
  /**
   * Starts consuming with the given handlers, at most `concurrency` jobs of each kind at once: each
   * kind has its own slots (and, on Redis, its own queue), so a backlog of inbound messages never
   * holds replies back. Call once.
   */
  startWorker(handlers: Record<JobName, JobHandler>, options: { concurrency: number; retry: RetryPolicy }): void;
  /** Readiness: can the queue accept work right now? */
  status(): Promise<QueueStatus>;
  /** Stops taking new jobs, waits for running ones (up to `graceMs`), releases connections. */
  close(graceMs?: number): Promise<void>;
}
