import { randomUUID } from 'node:crypto';
import net from 'node:net';
import Redis from 'ioredis';
import { createQueue } from '../../src/queue';
import { BullMqQueue } from '../../src/queue/bullmq';
import { describeIf, REQUIRES } from '../helpers/requires';
import { deferred, describeQueueContract, handlersFor } from './queue-contract';

const redisUrl = process.env.REDIS_URL;

const retry = { maxAttempts: 3, backoffMs: 10 };
const silent = { warn: jest.fn(), error: jest.fn() };
/** Unique per test file run, so parallel jest workers and earlier runs never collide. */
const prefix = `test-bullmq-${process.pid}-${randomUUID().slice(0, 8)}`;

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

describeQueueContract(
  'bullmq',
  async () => {
    const logger = { warn: jest.fn(), error: jest.fn() };
    const queue = new BullMqQueue({ redisUrl: redisUrl!, prefix, queueName: randomUUID().slice(0, 8), logger });
    return {
      queue,
      logger,
      retry,
      enqueueAgain: (job, ran, running) => enqueueUntil(ran, running, () => queue.enqueue(job)),
      cleanup: () => queue.close(5_000),
    };
  },
  { requires: REQUIRES.redis },
);

describeIf(REQUIRES.redis, 'BullMqQueue (real Redis)', () => {
  let queue: BullMqQueue;

  beforeEach(() => {
    queue = new BullMqQueue({ redisUrl: redisUrl!, prefix, queueName: randomUUID().slice(0, 8), logger: silent });
  });
  afterEach(() => queue.close(5_000));

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

describeIf(REQUIRES.redis, 'BullMqQueue (Redis outage)', () => {
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
