// The behaviour every JobQueue driver shares (src/queue/types.ts), declared once and run against
// each driver by its test file. Driver-specific behaviour stays in that driver's test file.
import { randomUUID } from 'node:crypto';
import type { JobHandler, JobQueue, JobRef, QueueStatus, RetryPolicy } from '../../src/queue/types';
import { describeIf, type Requirement } from '../helpers/requires';

/** A promise with its resolve function, to hold a handler open or wait for an event. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** The same handler for every job name. */
export function handlersFor(handler: JobHandler) {
  return { process_inbound: handler, deliver_outbound: handler, email_notification: handler };
}

/** One fresh queue per test, and what the contract needs to drive and observe it. */
export interface QueueHarness {
  queue: JobQueue;
  /** The logger the queue was built with; fresh mocks per harness. */
  logger: { warn: jest.Mock; error: jest.Mock };
  /** The retry policy given to startWorker. */
  retry: RetryPolicy;
  /**
   * Enqueues `job` again just after its previous run settled, and resolves once it is accepted:
   * `ran` tells whether the new run has started, `running` resolves when it has. A driver that
   * forgets a settled job at once enqueues a single time; one that forgets it a moment later
   * (BullMQ) enqueues again until the job runs.
   */
  enqueueAgain(job: JobRef, ran: () => boolean, running: Promise<void>): Promise<void>;
  /** Closes the queue and releases whatever the harness holds. */
  cleanup(): Promise<void>;
}

/**
 * Declares the shared test cases for one driver, in `describe('JobQueue contract (<driver>)')`.
 * `make` is called before each test. `requires`: what the driver needs (a server); without it the
 * cases are skipped with the reason.
 */
export function describeQueueContract(
  driver: QueueStatus['driver'],
  make: () => Promise<QueueHarness>,
  options: { requires?: Requirement } = {},
): void {
  describeIf(options.requires ?? { met: true, reason: '' }, `JobQueue contract (${driver})`, () => {
    let harness: QueueHarness;
    let queue: JobQueue;
    let logger: QueueHarness['logger'];
    let retry: RetryPolicy;

    beforeEach(async () => {
      harness = await make();
      ({ queue, logger, retry } = harness);
    });
    afterEach(() => harness.cleanup());

    it('processes jobs with the job id and name', async () => {
      const done = deferred<unknown>();
      queue.startWorker(handlersFor(async (job) => done.resolve(job)), { concurrency: 1, retry });
      const id = randomUUID();
      await queue.enqueue({ name: 'deliver_outbound', id });
      expect(await done.promise).toEqual({ name: 'deliver_outbound', id, attempt: 1 });
    });

    it('runs a reply while every inbound slot is busy and more inbound work waits', async () => {
      const release = deferred();
      const delivered = deferred<string>();
      const inboundStarted: string[] = [];
      queue.startWorker(
        {
          process_inbound: async (job) => {
            inboundStarted.push(job.id);
            await release.promise;
          },
          deliver_outbound: async (job) => delivered.resolve(job.id),
          email_notification: async () => undefined,
        },
        { concurrency: 1, retry },
      );
      const inbound = Array.from({ length: 5 }, () => randomUUID());
      for (const id of inbound) await queue.enqueue({ name: 'process_inbound', id });
      const reply = randomUUID();
      await queue.enqueue({ name: 'deliver_outbound', id: reply });
      expect(await delivered.promise).toBe(reply);
      // The inbound slot is still held by the first message; the other four still wait.
      expect(inboundStarted).toEqual([inbound[0]]);
      release.resolve();
    });

    it('ignores an id that is already waiting', async () => {
      const id = randomUUID();
      await queue.enqueue({ name: 'process_inbound', id });
      await queue.enqueue({ name: 'process_inbound', id });
      const sentinelId = randomUUID();
      const runs: string[] = [];
      const sentinel = deferred();
      queue.startWorker(
        handlersFor(async (job) => {
          runs.push(job.id);
          if (job.id === sentinelId) sentinel.resolve();
        }),
        { concurrency: 1, retry },
      );
      await queue.enqueue({ name: 'process_inbound', id: sentinelId });
      await sentinel.promise;
      expect(runs).toEqual([id, sentinelId]);
    });

    it('enqueueMany adds jobs of several kinds at once, each once, ignoring an id already waiting', async () => {
      const waiting = randomUUID();
      await queue.enqueue({ name: 'process_inbound', id: waiting });
      const reply = randomUUID();
      const jobs: JobRef[] = [
        { name: 'process_inbound', id: waiting },
        { name: 'process_inbound', id: randomUUID() },
        { name: 'deliver_outbound', id: reply },
        { name: 'process_inbound', id: randomUUID() },
      ];
      await queue.enqueueMany!(jobs);
      const sentinelId = randomUUID();
      await queue.enqueue({ name: 'process_inbound', id: sentinelId });
      const runs: string[] = [];
      const sentinel = deferred();
      const replied = deferred();
      queue.startWorker(
        handlersFor(async (job) => {
          runs.push(job.id);
          if (job.id === sentinelId) sentinel.resolve();
          if (job.id === reply) replied.resolve();
        }),
        { concurrency: 1, retry },
      );
      await Promise.all([sentinel.promise, replied.promise]);
      expect(runs.filter((id) => id !== reply)).toEqual([waiting, jobs[1]!.id, jobs[3]!.id, sentinelId]);
      expect(runs.filter((id) => id === reply)).toHaveLength(1);
    });

    it('retries a failing job with the attempt number, then succeeds', async () => {
      const attempts: number[] = [];
      const done = deferred();
      queue.startWorker(
        handlersFor(async (job) => {
          attempts.push(job.attempt);
          if (job.attempt < 3) throw new Error('transient');
          done.resolve();
        }),
        { concurrency: 1, retry },
      );
      await queue.enqueue({ name: 'deliver_outbound', id: randomUUID() });
      await done.promise;
      expect(attempts).toEqual([1, 2, 3]);
      expect(logger.warn).toHaveBeenCalledTimes(2);
      expect(logger.error).not.toHaveBeenCalled();
    });

    it('waits at least the retryAfterMs a failure asks for (a platform rate limit)', async () => {
      const startedAt: number[] = [];
      const done = deferred();
      queue.startWorker(
        handlersFor(async (job) => {
          startedAt.push(Date.now());
          if (job.attempt === 1) throw Object.assign(new Error('429 Too Many Requests'), { retryAfterMs: 400 });
          done.resolve();
        }),
        { concurrency: 1, retry },
      );
      await queue.enqueue({ name: 'deliver_outbound', id: randomUUID() });
      await done.promise;
      // A lower bound only: the retry must not come sooner than asked (the base backoff is far shorter).
      expect(startedAt[1]! - startedAt[0]!).toBeGreaterThanOrEqual(400 - 5);
    });

    it('gives up after maxAttempts, logs an error, and accepts the id again', async () => {
      const attempts: number[] = [];
      const loggedError = deferred();
      const rerun = deferred();
      logger.error.mockImplementationOnce(() => loggedError.resolve());
      queue.startWorker(
        handlersFor(async (job) => {
          attempts.push(job.attempt);
          if (attempts.length === 4) rerun.resolve();
          throw new Error('permanent');
        }),
        { concurrency: 1, retry },
      );
      const id = randomUUID();
      await queue.enqueue({ name: 'deliver_outbound', id });
      await loggedError.promise;
      expect(attempts).toEqual([1, 2, 3]);
      expect(logger.error).toHaveBeenCalledWith(
        expect.objectContaining({ job: { name: 'deliver_outbound', id, attempt: 3 } }),
        expect.any(String),
      );
      // Dropped, so the same id is accepted (and run) again: a fresh job, not a fourth attempt.
      await harness.enqueueAgain({ name: 'deliver_outbound', id }, () => attempts.length > 3, rerun.promise);
      await rerun.promise;
      expect(attempts.slice(0, 4)).toEqual([1, 2, 3, 1]);
    });

    it.each([
      { when: 'jobs waiting when the worker starts', enqueueFirst: true },
      { when: 'jobs enqueued while the worker runs', enqueueFirst: false },
    ])('runs at most `concurrency` handlers at once, with $when', async ({ enqueueFirst }) => {
      const total = 12;
      let active = 0;
      let maxActive = 0;
      let finished = 0;
      const done = deferred();
      const enqueueAll = async () => {
        for (let i = 0; i < total; i++) await queue.enqueue({ name: 'process_inbound', id: randomUUID() });
      };
      if (enqueueFirst) await enqueueAll();
      queue.startWorker(
        handlersFor(async () => {
          active += 1;
          maxActive = Math.max(maxActive, active);
          await new Promise((r) => setTimeout(r, 20));
          active -= 1;
          if (++finished === total) done.resolve();
        }),
        { concurrency: 3, retry },
      );
      if (!enqueueFirst) await enqueueAll();
      await done.promise;
      expect(maxActive).toBe(3);
    });

    it('honours delayMs: a delayed job runs after one enqueued later without delay', async () => {
      // Not literally 'delayed': a job id equal to a BullMQ key name ('delayed', 'wait', ...) corrupts the queue.
      const delayed = randomUUID();
      const immediate = randomUUID();
      const order: string[] = [];
      const done = deferred();
      queue.startWorker(
        handlersFor(async (job) => {
          order.push(job.id);
          if (order.length === 2) done.resolve();
        }),
        { concurrency: 1, retry },
      );
      await queue.enqueue({ name: 'process_inbound', id: delayed, delayMs: 300 });
      await queue.enqueue({ name: 'process_inbound', id: immediate });
      await done.promise;
      expect(order).toEqual([immediate, delayed]);
    });

    it('close waits for a running job', async () => {
      const started = deferred();
      let finished = false;
      queue.startWorker(
        handlersFor(async () => {
          started.resolve();
          await new Promise((r) => setTimeout(r, 100));
          finished = true;
        }),
        { concurrency: 1, retry },
      );
      await queue.enqueue({ name: 'process_inbound', id: randomUUID() });
      await started.promise;
      await queue.close(5_000);
      expect(finished).toBe(true);
    });

    it('rejects enqueue after close; status reports ok while open', async () => {
      expect(queue.driver).toBe(driver);
      expect(await queue.status()).toEqual({ driver, ok: true });
      await queue.close();
      await expect(queue.enqueue({ name: 'process_inbound', id: randomUUID() })).rejects.toThrow(/closed/);
    });
  });
}
