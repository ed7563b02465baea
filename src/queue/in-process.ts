// In-memory driver for the embedded single-process default. Jobs live only in this process: if it
// stops, waiting jobs are lost, which is fine because their OutboxJob rows stay pending and the
// recovery sweep enqueues them again.
import type { JobContext, JobHandler, JobName, JobQueue, JobRef, QueueStatus, RetryPolicy } from './types';

/** The subset of a pino logger the queue drivers use. */
export interface QueueLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const consoleLogger: QueueLogger = {
  warn: (obj, msg) => console.warn(msg, obj),
  error: (obj, msg) => console.error(msg, obj),
};

const MAX_BACKOFF_MS = 10 * 60_000;

/**
 * Delay before the retry that follows failed attempt `attempt` (1-based): exponential, ±25% jitter,
 * capped; never sooner than the error's own `retryAfterMs` (a platform's rate-limit answer).
 */
export function retryDelayMs(backoffMs: number, attempt: number, err?: unknown): number {
  const jitter = 0.75 + Math.random() * 0.5;
  const backoff = Math.min(MAX_BACKOFF_MS, Math.round(backoffMs * 2 ** (attempt - 1) * jitter));
  const asked = (err as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  return typeof asked === 'number' && Number.isFinite(asked) ? Math.max(backoff, Math.min(asked, MAX_BACKOFF_MS)) : backoff;
}

interface Job {
  name: JobName;
  id: string;
  attempt: number;
  timer?: NodeJS.Timeout;
}

interface Worker {
  handlers: Record<JobName, JobHandler>;
  concurrency: number;
  retry: RetryPolicy;
}

/** Jobs of one kind: each kind has its own handler slots, so deliveries never wait behind inbound work. */
interface Lane {
  /** Jobs that are due, in order, until a handler slot of this kind frees up. */
  due: Job[];
  running: Set<Promise<void>>;
}

export class InProcessQueue implements JobQueue {
  readonly driver = 'in-process' as const;
  private readonly logger: QueueLogger;
  /** Every job that is scheduled, waiting or running, by id: the dedupe set. */
  private readonly jobs = new Map<string, Job>();
  private readonly lanes: Record<JobName, Lane> = {
    process_inbound: { due: [], running: new Set() },
    deliver_outbound: { due: [], running: new Set() },
    email_notification: { due: [], running: new Set() },
  };
  private worker?: Worker;
  private closed = false;

  constructor(opts: { logger?: QueueLogger } = {}) {
    this.logger = opts.logger ?? consoleLogger;
  }

  async enqueue(ref: JobRef): Promise<void> {
    if (this.closed) throw new Error(`queue is closed; cannot enqueue ${ref.name} ${ref.id}`);
    if (this.jobs.has(ref.id)) return;
    const job: Job = { name: ref.name, id: ref.id, attempt: 1 };
    this.jobs.set(job.id, job);
    this.schedule(job, ref.delayMs ?? 0);
  }

  async enqueueMany(refs: JobRef[]): Promise<void> {
    for (const ref of refs) await this.enqueue(ref);
  }

  startWorker(handlers: Record<JobName, JobHandler>, options: { concurrency: number; retry: RetryPolicy }): void {
    if (this.worker) throw new Error('startWorker was already called');
    if (this.closed) throw new Error('queue is closed');
    this.worker = { handlers, concurrency: Math.max(1, options.concurrency), retry: options.retry };
    for (const name of Object.keys(this.lanes) as JobName[]) this.drain(name);
  }

  async status(): Promise<QueueStatus> {
    return { driver: this.driver, ok: !this.closed };
  }

  async close(graceMs = 10_000): Promise<void> {
    this.closed = true;
    for (const job of this.jobs.values()) clearTimeout(job.timer);
    this.jobs.clear();
    const running = Object.values(this.lanes).flatMap((lane) => {
      lane.due.length = 0;
      return [...lane.running];
    });
    if (running.length === 0) return;
    let graceTimer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all(running), graceOver]);
    clearTimeout(graceTimer);
  }

  private schedule(job: Job, delayMs: number): void {
    if (delayMs <= 0) {
      this.lanes[job.name].due.push(job);
      this.drain(job.name);
      return;
    }
    job.timer = setTimeout(() => {
      job.timer = undefined;
      this.lanes[job.name].due.push(job);
      this.drain(job.name);
    }, delayMs);
  }

  private drain(name: JobName): void {
    const worker = this.worker;
    if (!worker || this.closed) return;
    const lane = this.lanes[name];
    while (lane.running.size < worker.concurrency) {
      const job = lane.due.shift();
      if (!job) return;
      const run: Promise<void> = this.run(job, worker).finally(() => {
        lane.running.delete(run);
        this.drain(name);
      });
      lane.running.add(run);
    }
  }

  private async run(job: Job, worker: Worker): Promise<void> {
    const ctx: JobContext = { name: job.name, id: job.id, attempt: job.attempt };
    try {
      await worker.handlers[job.name](ctx);
      this.jobs.delete(job.id);
    } catch (err) {
      const log = { job: ctx, err };
      if (this.closed) return; // jobs was cleared; the row stays pending for the recovery sweep
      if (job.attempt >= worker.retry.maxAttempts) {
        this.jobs.delete(job.id);
        this.logger.error(log, 'job failed on its last attempt; dropped');
        return;
      }
      const delayMs = retryDelayMs(worker.retry.backoffMs, job.attempt, err);
      this.logger.warn({ ...log, retryInMs: delayMs }, 'job failed; will retry');
      job.attempt += 1;
      this.schedule(job, delayMs);
    }
  }
}
