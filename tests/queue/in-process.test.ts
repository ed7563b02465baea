import { randomUUID } from 'node:crypto';
import { createQueue } from '../../src/queue';
import { InProcessQueue } from '../../src/queue/in-process';
import type { JobContext, JobHandler } from '../../src/queue/types';

const retry = { maxAttempts: 3, backoffMs: 5 };
const silent = { warn: jest.fn(), error: jest.fn() };

/** A promise with its resolve function, to hold a handler open or wait for an event. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function handlersFor(handler: JobHandler) {
  return { process_inbound: handler, deliver_outbound: handler };
}

describe('InProcessQueue', () => {
  let queue: InProcessQueue;

  beforeEach(() => {
    jest.clearAllMocks();
    queue = new InProcessQueue({ logger: silent });
  });
  afterEach(() => queue.close(0));

  it('processes jobs, including ones enqueued before the worker starts', async () => {
    const seen: JobContext[] = [];
    const done = deferred();
    const early = randomUUID();
    await queue.enqueue({ name: 'process_inbound', id: early });
    queue.startWorker(
      handlersFor(async (job) => {
        seen.push(job);
        if (seen.length === 2) done.resolve();
      }),
      { concurrency: 1, retry },
    );
    const late = randomUUID();
    await queue.enqueue({ name: 'deliver_outbound', id: late });
    await done.promise;
    expect(seen).toEqual([
      { name: 'process_inbound', id: early, attempt: 1 },
      { name: 'deliver_outbound', id: late, attempt: 1 },
    ]);
  });

  it('ignores an id that is already waiting', async () => {
    const id = randomUUID();
    await queue.enqueue({ name: 'process_inbound', id });
    await queue.enqueue({ name: 'process_inbound', id });
    const runs: string[] = [];
    const sentinel = deferred();
    queue.startWorker(
      handlersFor(async (job) => {
        runs.push(job.id);
        if (job.id === 'sentinel') sentinel.resolve();
      }),
      { concurrency: 1, retry },
    );
    await queue.enqueue({ name: 'process_inbound', id: 'sentinel' });
    await sentinel.promise;
    expect(runs).toEqual([id, 'sentinel']);
  });

  it('ignores an id that is running, and accepts it again once finished', async () => {
    const id = randomUUID();
    const release = deferred();
    const started = deferred();
    const second = deferred();
    let runs = 0;
    queue.startWorker(
      handlersFor(async () => {
        runs += 1;
        if (runs === 1) {
          started.resolve();
          await release.promise;
        } else second.resolve();
      }),
      { concurrency: 2, retry },
    );
    await queue.enqueue({ name: 'process_inbound', id });
    await started.promise;
    await queue.enqueue({ name: 'process_inbound', id });
    release.resolve();
    await new Promise((r) => setImmediate(r));
    expect(runs).toBe(1);
    await queue.enqueue({ name: 'process_inbound', id });
    await second.promise;
    expect(runs).toBe(2);
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
    expect(silent.warn).toHaveBeenCalledTimes(2);
    expect(silent.error).not.toHaveBeenCalled();
  });

  it('gives up after maxAttempts and logs an error', async () => {
    let attempts = 0;
    const loggedError = deferred();
    const rerun = deferred();
    silent.error.mockImplementationOnce(() => loggedError.resolve());
    queue.startWorker(
      handlersFor(async () => {
        attempts += 1;
        if (attempts === 4) rerun.resolve();
        throw new Error('permanent');
      }),
      { concurrency: 1, retry },
    );
    const id = randomUUID();
    await queue.enqueue({ name: 'deliver_outbound', id });
    await loggedError.promise;
    expect(attempts).toBe(3);
    expect(silent.error).toHaveBeenCalledWith(
      expect.objectContaining({ job: { name: 'deliver_outbound', id, attempt: 3 } }),
      expect.any(String),
    );
    // Dropped, so the same id is accepted (and run) again.
    await queue.enqueue({ name: 'deliver_outbound', id });
    await rerun.promise;
  });

  it('runs at most `concurrency` handlers at once', async () => {
    const total = 12;
    let active = 0;
    let maxActive = 0;
    let finished = 0;
    const done = deferred();
    queue.startWorker(
      handlersFor(async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 2));
        active -= 1;
        if (++finished === total) done.resolve();
      }),
      { concurrency: 3, retry },
    );
    for (let i = 0; i < total; i++) await queue.enqueue({ name: 'process_inbound', id: randomUUID() });
    await done.promise;
    expect(maxActive).toBe(3);
  });

  it('honours delayMs', async () => {
    jest.useFakeTimers();
    try {
      const ran = jest.fn();
      queue.startWorker(handlersFor(async (job) => ran(job.id)), { concurrency: 1, retry });
      await queue.enqueue({ name: 'process_inbound', id: 'delayed', delayMs: 1_000 });
      await jest.advanceTimersByTimeAsync(999);
      expect(ran).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      expect(ran).toHaveBeenCalledWith('delayed');
    } finally {
      jest.useRealTimers();
    }
  });

  it('close waits for a running job', async () => {
    const started = deferred();
    let finished = false;
    queue.startWorker(
      handlersFor(async () => {
        started.resolve();
        await new Promise((r) => setTimeout(r, 30));
        finished = true;
      }),
      { concurrency: 1, retry },
    );
    await queue.enqueue({ name: 'process_inbound', id: randomUUID() });
    await started.promise;
    await queue.close(5_000);
    expect(finished).toBe(true);
  });

  it('close stops waiting after graceMs', async () => {
    const started = deferred();
    const release = deferred();
    queue.startWorker(
      handlersFor(async () => {
        started.resolve();
        await release.promise;
      }),
      { concurrency: 1, retry },
    );
    await queue.enqueue({ name: 'process_inbound', id: randomUUID() });
    await started.promise;
    await queue.close(10);
    release.resolve();
  });

  it('rejects enqueue after close and reports not ok', async () => {
    expect(await queue.status()).toEqual({ driver: 'in-process', ok: true });
    await queue.close();
    await expect(queue.enqueue({ name: 'process_inbound', id: randomUUID() })).rejects.toThrow(/closed/);
    expect(await queue.status()).toEqual({ driver: 'in-process', ok: false });
  });

  it('drops scheduled jobs on close', async () => {
    const ran = jest.fn();
    queue.startWorker(handlersFor(async () => ran()), { concurrency: 1, retry });
    await queue.enqueue({ name: 'process_inbound', id: randomUUID(), delayMs: 20 });
    await queue.close();
    await new Promise((r) => setTimeout(r, 40));
    expect(ran).not.toHaveBeenCalled();
  });
});

it('createQueue picks the in-process driver without a Redis URL', async () => {
  const queue = createQueue({ prefix: 'unused' });
  expect(queue).toBeInstanceOf(InProcessQueue);
  await queue.close();
});
