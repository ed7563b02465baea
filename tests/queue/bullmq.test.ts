import { randomUUID } from 'node:crypto';
import net from 'node:net';
import Redis from 'ioredis';
import { createQueue } from '../../src/queue';
import { BullMqQueue } from '../../src/queue/bullmq';
import type { JobHandler } from '../../src/queue/types';

const redisUrl = process.env.REDIS_URL;
const describeRedis = redisUrl ? describe : describe.skip;

const retry = { maxAttempts: 3, backoffMs: 10 };
const silent = { warn: jest.fn(), error: jest.fn() };
/** Unique per test file run, so parallel jest workers and earlier runs never collide. */
const prefix = `test-bullmq-${process.pid}-${randomUUID().slice(0, 8)}`;

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function handlersFor(handler: JobHandler) {
  return { process_inbound: handler, deliver_outbound: handler };
}

/**
 * BullMQ removes a job just after its handler settles, and until then enqueuing the id is a no-op;
 * so enqueue again until the job has run.
 */
async function enqueueUntil(ran: () => boolean, running: Promise<void>, enqueue: () => Promise<void>) {
  while (!ran()) {
    await enqueue();
    await Promise.race([running, new Promise((r) => setTimeout(r, 50))]);
  }
}

// Completed and failed jobs remove themselves; this clears what BullMQ keeps per queue (meta, events, ids).
afterAll(async () => {
  if (!redisUrl) return;
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describeRedis('BullMqQueue (real Redis)', () => {
  let queue: BullMqQueue;

  beforeEach(() => {
    jest.clearAllMocks();
    queue = new BullMqQueue({ redisUrl: redisUrl!, prefix, queueName: randomUUID().slice(0, 8), logger: silent });
  });
  afterEach(() => queue.close(5_000));

  it('processes jobs with the job id and name', async () => {
    const done = deferred<unknown>();
    queue.startWorker(handlersFor(async (job) => done.resolve(job)), { concurrency: 1, retry });
    const id = randomUUID();
    await queue.enqueue({ name: 'deliver_outbound', id });
    expect(await done.promise).toEqual({ name: 'deliver_outbound', id, attempt: 1 });
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

  it('runs the same id again once it has completed', async () => {
    const id = randomUUID();
    let runs = 0;
    let done = deferred();
    queue.startWorker(
      handlersFor(async () => {
        runs += 1;
        done.resolve();
      }),
      { concurrency: 1, retry },
    );
    await queue.enqueue({ name: 'process_inbound', id });
    await done.promise;
    done = deferred();
    await enqueueUntil(() => runs === 2, done.promise, () => queue.enqueue({ name: 'process_inbound', id }));
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
  });

  it('gives up after maxAttempts, logs an error, and accepts the id again', async () => {
    const attempts: number[] = [];
    const loggedError = deferred();
    const rerun = deferred();
    silent.error.mockImplementationOnce(() => loggedError.resolve());
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
    expect(silent.error).toHaveBeenCalledWith(
      expect.objectContaining({ job: { name: 'deliver_outbound', id, attempt: 3 } }),
      expect.any(String),
    );
    await enqueueUntil(() => attempts.length > 3, rerun.promise, () => queue.enqueue({ name: 'deliver_outbound', id }));
    // The fourth run is a fresh job (removeOnFail), not a fourth attempt.
    expect(attempts.slice(0, 4)).toEqual([1, 2, 3, 1]);
  });

  it('runs at most `concurrency` handlers at once', async () => {
    const total = 12;
    let active = 0;
    let maxActive = 0;
    let finished = 0;
    const done = deferred();
    for (let i = 0; i < total; i++) await queue.enqueue({ name: 'process_inbound', id: randomUUID() });
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
    expect(await queue.status()).toEqual({ driver: 'bullmq', ok: true });
    await queue.close();
    await expect(queue.enqueue({ name: 'process_inbound', id: randomUUID() })).rejects.toThrow(/closed/);
  });
});

/** A TCP proxy to Redis that a test can cut and restore, to simulate an outage. */
async function redisProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  const port = await listen(0);
  function listen(onPort: number) {
    server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 6379), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => socket.destroy());
        socket.on('close', () => sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
    });
    return new Promise<number>((resolve) =>
      server!.listen(onPort, '127.0.0.1', () => resolve((server!.address() as net.AddressInfo).port)),
    );
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async cut() {
      if (!server?.listening) return;
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server!.close(resolve));
      // Give the clients a moment to see their sockets close; otherwise the next command is written
      // to a dead socket and only fails after ioredis's command timeout (still a rejection, just slow).
      await new Promise((resolve) => setTimeout(resolve, 50));
    },
    restore: () => listen(port),
  };
}

describeRedis('BullMqQueue (Redis outage)', () => {
  let proxy: Awaited<ReturnType<typeof redisProxy>>;
  let queue: BullMqQueue;
  beforeEach(async () => {
    proxy = await redisProxy(new URL(redisUrl!));
    queue = new BullMqQueue({ redisUrl: proxy.url, prefix, queueName: 'outage', logger: silent });
  });
  afterEach(async () => {
    await proxy.cut();
    await queue.close(1_000); // must not hang although Redis is gone
  });

  it('rejects enqueue while Redis is down, then recovers', async () => {
    let waitingFor = { id: randomUUID(), ran: deferred() };
    queue.startWorker(
      handlersFor(async (job) => {
        if (job.id === waitingFor.id) waitingFor.ran.resolve();
      }),
      { concurrency: 1, retry },
    );
    await queue.enqueue({ name: 'process_inbound', id: waitingFor.id });
    await waitingFor.ran.promise;

    await proxy.cut();
    // "not reachable", or a command timeout if the client had not yet noticed the cut.
    await expect(queue.enqueue({ name: 'process_inbound', id: randomUUID() })).rejects.toThrow();
    expect(await queue.status()).toMatchObject({ ok: false });

    await proxy.restore();
    waitingFor = { id: randomUUID(), ran: deferred() };
    // What the recovery sweep does: enqueue the pending row again until it is accepted.
    while (!(await queue.enqueue({ name: 'process_inbound', id: waitingFor.id }).then(() => true, () => false)));
    await waitingFor.ran.promise;
  });
});

describe('BullMqQueue (Redis unreachable)', () => {
  // Port 1 is closed: connections are refused. Needs no Redis, so it always runs.
  let queue: BullMqQueue;
  beforeEach(() => {
    queue = new BullMqQueue({ redisUrl: 'redis://127.0.0.1:1', prefix: 'test-unreachable', logger: silent });
  });
  afterEach(() => queue.close(1_000));

  it('enqueue rejects instead of hanging', async () => {
    await expect(queue.enqueue({ name: 'process_inbound', id: randomUUID() })).rejects.toThrow(/not reachable/);
  });

  it('is what createQueue picks when given a Redis URL', async () => {
    const picked = createQueue({ redisUrl: 'redis://127.0.0.1:1', prefix: 'test-unreachable', logger: silent });
    expect(picked).toBeInstanceOf(BullMqQueue);
    await picked.close();
  });

  it('close does not hang with a worker that never connected', async () => {
    queue.startWorker(handlersFor(async () => {}), { concurrency: 1, retry });
    await queue.close(1_000);
  });

  it('status reports not ok with a detail', async () => {
    const status = await queue.status();
    expect(status).toMatchObject({ driver: 'bullmq', ok: false });
    expect(status.detail).toEqual(expect.any(String));
  });
});
