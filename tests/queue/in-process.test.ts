import { randomUUID } from 'node:crypto';
import { createQueue } from '../../src/queue';
import { InProcessQueue } from '../../src/queue/in-process';
import type { JobContext } from '../../src/queue/types';
import { deferred, describeQueueContract, handlersFor } from './queue-contract';

const retry = { maxAttempts: 3, backoffMs: 5 };
const silent = { warn: jest.fn(), error: jest.fn() };

describeQueueContract('in-process', async () => {
  const logger = { warn: jest.fn(), error: jest.fn() };
  const queue = new InProcessQueue({ logger });
  return {
    queue,
    logger,
    retry,
    // A settled job is forgotten at once, so a single enqueue must be accepted.
    enqueueAgain: (job) => queue.enqueue(job),
    cleanup: () => queue.close(0),
  };
});

describe('InProcessQueue', () => {
  let queue: InProcessQueue;

  beforeEach(() => {
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

  // Exact timing with fake timers; the contract checks delayMs with real timers, as BullMQ needs.
  it('honours delayMs to the millisecond', async () => {
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

  // BullMQ's status after close waits out its Redis ping timeout and adds a detail, so this stays here.
  it('reports exactly not ok after close', async () => {
    await queue.close();
    expect(await queue.status()).toEqual({ driver: 'in-process', ok: false });
  });

  it('drops scheduled jobs on close', async () => {
    // Fake timers: the job's delay passes at once instead of after a real wait.
    jest.useFakeTimers();
    try {
      const ran = jest.fn();
      queue.startWorker(handlersFor(async () => ran()), { concurrency: 1, retry });
      await queue.enqueue({ name: 'process_inbound', id: randomUUID(), delayMs: 20 });
      await queue.close();
      await jest.advanceTimersByTimeAsync(1_000);
      expect(ran).not.toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });
});

it('createQueue picks the in-process driver without a Redis URL', async () => {
  const queue = createQueue({ prefix: 'unused' });
  expect(queue).toBeInstanceOf(InProcessQueue);
  await queue.close();
});
