// BullMQ driver on Redis. Redis holds only live jobs (completed and failed ones are removed), so the
// database keeps history and re-enqueuing a row later always works. The retry policy belongs to the
// worker (it is given to startWorker, and a node may only produce): jobs are enqueued with
// unbounded attempts and the worker computes the backoff and gives up after maxAttempts.
import { once } from 'node:events';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import Redis from 'ioredis';
import { consoleLogger, retryDelayMs, type QueueLogger } from './in-process';
import type { JobContext, JobHandler, JobName, JobQueue, JobRef, QueueStatus, RetryPolicy } from './types';

/** How long enqueue waits for Redis before rejecting (the recovery sweep retries later). */
const ENQUEUE_TIMEOUT_MS = 5_000;
const STATUS_TIMEOUT_MS = 2_000;
const UNBOUNDED_ATTEMPTS = Number.MAX_SAFE_INTEGER;
/** ioredis arms this timer on disconnect even when the socket is already gone; short, so close leaves no timer. */
const CONNECTION_OPTIONS = { disconnectTimeout: 200 };

export class BullMqQueue implements JobQueue {
  readonly driver = 'bullmq' as const;
  private readonly redisUrl: string;
  private readonly prefix: string;
  /** One BullMQ queue per kind of job (`<queueName>-<kind>`), each with its own worker and slots. */
  private readonly queueName: string;
  private readonly logger: QueueLogger;
  private readonly stallTimeoutMs: number;
  /**
   * Ours, so we close it. Fails fast: no offline queue (a command while disconnected fails at once),
   * and no resending after a reconnect (a rejected enqueue must not quietly happen later).
   */
  private readonly producer: Redis;
  private readonly queues: Record<JobName, Queue>;
  private workers?: Worker[];
  /** Handlers in progress, so close can wait for them when BullMQ cannot. */
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(opts: { redisUrl: string; prefix: string; queueName?: string; logger?: QueueLogger; stallTimeoutMs?: number }) {
    this.redisUrl = opts.redisUrl;
    this.stallTimeoutMs = opts.stallTimeoutMs ?? 30_000;
    this.prefix = opts.prefix;
    this.queueName = opts.queueName ?? 'work';
    this.logger = opts.logger ?? consoleLogger;
    this.producer = new Redis(this.redisUrl, {
      ...CONNECTION_OPTIONS,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      commandTimeout: ENQUEUE_TIMEOUT_MS,
    });
    const queueFor = (name: JobName) => {
      const queue = new Queue(laneName(this.queueName, name), { connection: this.producer, prefix: this.prefix });
      // Without a listener an 'error' event would be thrown; connection errors repeat while Redis is down.
      queue.on('error', (err) => this.logger.warn({ err }, 'bullmq queue error'));
      return queue;
    };
    this.queues = {
      process_inbound: queueFor('process_inbound'),
      deliver_outbound: queueFor('deliver_outbound'),
      email_notification: queueFor('email_notification'),
    };
  }

  async enqueue(ref: JobRef): Promise<void> {
    if (this.closed) throw new Error(`queue is closed; cannot enqueue ${ref.name} ${ref.id}`);
    await this.producerReady(ENQUEUE_TIMEOUT_MS);
    await this.queues[ref.name].add(ref.name, {}, jobOptions(ref));
  }

  /** One addBulk (a single MULTI, one round trip) per kind instead of a round trip per job. */
  async enqueueMany(refs: JobRef[]): Promise<void> {
    if (refs.length === 0) return;
    if (this.closed) throw new Error(`queue is closed; cannot enqueue ${refs.length} jobs`);
    await this.producerReady(ENQUEUE_TIMEOUT_MS);
    const byKind = new Map<JobName, JobRef[]>();
    for (const ref of refs) byKind.set(ref.name, [...(byKind.get(ref.name) ?? []), ref]);
    await Promise.all(
      [...byKind].map(([name, jobs]) => this.queues[name].addBulk(jobs.map((ref) => ({ name, data: {}, opts: jobOptions(ref) })))),
    );
  }

  startWorker(handlers: Record<JobName, JobHandler>, options: { concurrency: number; retry: RetryPolicy }): void {
    if (this.workers) throw new Error('startWorker was already called');
    if (this.closed) throw new Error('queue is closed');
    const { retry } = options;
    const processor = (job: Job): Promise<void> => {
      const ctx = { name: job.name as JobName, id: job.id ?? '', attempt: job.attemptsMade + 1 };
      const run = this.runHandler(handlers[ctx.name], ctx, retry);
      this.running.add(run);
      return run.finally(() => this.running.delete(run));
    };
    // Connection options rather than a client: BullMQ then owns (and closes) the worker's two
    // connections, which must not give up on commands (maxRetriesPerRequest: null).
    this.workers = (Object.keys(this.queues) as JobName[]).map((name) => {
      const worker = new Worker(laneName(this.queueName, name), processor, {
        connection: { ...CONNECTION_OPTIONS, url: this.redisUrl, maxRetriesPerRequest: null },
        prefix: this.prefix,
        concurrency: Math.max(1, options.concurrency),
        // A worker that died holding a job loses its lock after this long; the stall check then re-queues it.
        lockDuration: this.stallTimeoutMs,
        stalledInterval: this.stallTimeoutMs,
        settings: { backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) => retryDelayMs(retry.backoffMs, attemptsMade, err) },
      });
      worker.on('error', (err) => this.logger.warn({ err }, 'bullmq worker error'));
      return worker;
    });
  }

  async status(): Promise<QueueStatus> {
    try {
      await this.producerReady(STATUS_TIMEOUT_MS);
      await this.ping();
      return { driver: this.driver, ok: true };
    } catch (err) {
      return { driver: this.driver, ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
  }

  async close(graceMs = 10_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.workers) await this.closeWorkers(this.workers, graceMs);
    await Promise.all(Object.values(this.queues).map((queue) => queue.close()));
    if (this.producer.status === 'ready') await this.producer.quit().catch(() => this.producer.disconnect());
    else this.producer.disconnect();
  }

  private async runHandler(handler: JobHandler, ctx: JobContext, retry: RetryPolicy): Promise<void> {
    try {
      await handler(ctx);
    } catch (err) {
      if (ctx.attempt >= retry.maxAttempts) {
        this.logger.error({ job: ctx, err }, 'job failed on its last attempt; dropped');
        throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
      }
      this.logger.warn({ job: ctx, err }, 'job failed; will retry');
      throw err;
    }
  }

  /**
   * BullMQ's graceful close waits for an 'end' event that ioredis never emits while it is
   * reconnecting (bullmq#4656), so it is used only while Redis answers. Otherwise wait for our
   * handlers ourselves and force the close: their results could not be recorded anyway.
   */
  private async closeWorkers(workers: Worker[], graceMs: number): Promise<void> {
    const redisAnswers = await this.ping().then(() => true, () => false);
    const done: Promise<unknown> = redisAnswers ? Promise.all(workers.map((worker) => worker.close())) : Promise.all(this.running);
    const finished = await withTimeout(done, graceMs, 'grace period over').then(() => true, () => false);
    // Once Redis answers, a job still running keeps its lock until it ends, so no other node runs it meanwhile.
    if (!finished) this.logger.warn({ graceMs }, 'bullmq worker still busy after the grace period; not waiting');
    if (!redisAnswers) await Promise.all(workers.map((worker) => worker.close(true)));
  }

  private ping(): Promise<unknown> {
    return withTimeout(this.producer.ping(), STATUS_TIMEOUT_MS, 'Redis ping timed out');
  }

  /** BullMQ would wait forever for a connection; wait a bounded time ourselves ('error' rejects at once). */
  private async producerReady(timeoutMs: number): Promise<void> {
    if (this.producer.status === 'ready') return;
    try {
      await once(this.producer, 'ready', { signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const reason = err instanceof Error && err.name !== 'AbortError' ? err.message : 'timed out';
      throw new Error(`Redis is not reachable (${reason})`, { cause: err });
    }
  }
}

/** A job carries only its row id (also its BullMQ id, so adding it twice while it waits is a no-op). */
function jobOptions(ref: JobRef) {
  return {
    jobId: ref.id,
    delay: ref.delayMs,
    attempts: UNBOUNDED_ATTEMPTS,
    backoff: { type: 'retry-policy' },
    removeOnComplete: true,
    removeOnFail: true,
  };
}

/** BullMQ queue names may not contain ':' (its key separator). */
const laneName = (queueName: string, kind: JobName) => `${queueName}-${kind}`;

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
