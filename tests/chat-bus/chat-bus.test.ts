import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { createChatBus } from '../../src/chat-bus';
import { InProcessChatBus } from '../../src/chat-bus/in-process';
import { RedisChatBus } from '../../src/chat-bus/redis';
import type { ChatBus, ChatEvent } from '../../src/chat-bus/types';
import { describeIf, REQUIRES } from '../helpers/requires';

const redisUrl = process.env.REDIS_URL;
/** Unique per test file run, so parallel jest workers never hear each other. */
const prefix = `test-chat-${process.pid}-${randomUUID().slice(0, 8)}`;

/** Collects events and lets a test wait for the n-th one. */
function collector() {
  const events: ChatEvent[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const listener = (event: ChatEvent) => {
    events.push(event);
    for (const w of waiters) if (events.length >= w.n) w.resolve();
  };
  const waitFor = (n: number) =>
    new Promise<void>((resolve) => (events.length >= n ? resolve() : waiters.push({ n, resolve })));
  return { events, listener, waitFor };
}

/**
 * The behaviour both drivers share. `publisher` and `subscriber` are the same bus in-process and
 * two buses (two nodes) on Redis. Non-delivery is checked by publishing a later marker event on the
 * same topic and seeing it arrive alone, since Redis delivers a channel's messages in order.
 */
function sharedBehaviour(make: () => { publisher: ChatBus; subscriber: ChatBus; close(): Promise<void> }) {
  let publisher: ChatBus;
  let subscriber: ChatBus;
  let close: () => Promise<void>;
  beforeEach(() => ({ publisher, subscriber, close } = make()));
  afterEach(() => close());

  it('delivers to every subscriber of the topic', async () => {
    const a = collector();
    const b = collector();
    await subscriber.subscribe('conversation:1', a.listener);
    await subscriber.subscribe('conversation:1', b.listener);
    await publisher.publish('conversation:1', { type: 'message', text: 'hello' });
    await Promise.all([a.waitFor(1), b.waitFor(1)]);
    expect(a.events).toEqual([{ type: 'message', text: 'hello' }]);
    expect(b.events).toEqual([{ type: 'message', text: 'hello' }]);
  });

  it('stops delivering after unsubscribe, to that listener only', async () => {
    const gone = collector();
    const stays = collector();
    const unsubscribe = await subscriber.subscribe('t', gone.listener);
    await subscriber.subscribe('t', stays.listener);
    await unsubscribe();
    await publisher.publish('t', { n: 1 });
    await stays.waitFor(1);
    expect(gone.events).toEqual([]);
  });

  it('stops delivering when the last listener of a topic leaves', async () => {
    const gone = collector();
    const unsubscribe = await subscriber.subscribe('t', gone.listener);
    await unsubscribe();
    await publisher.publish('t', { n: 1 });
    const marker = collector();
    await subscriber.subscribe('t', marker.listener);
    await publisher.publish('t', { n: 2 });
    await marker.waitFor(1);
    expect(marker.events).toEqual([{ n: 2 }]);
    expect(gone.events).toEqual([]);
  });

  it('keeps topics apart', async () => {
    const one = collector();
    const two = collector();
    await subscriber.subscribe('one', one.listener);
    await subscriber.subscribe('two', two.listener);
    await publisher.publish('one', { to: 'one' });
    await publisher.publish('two', { to: 'two' });
    await Promise.all([one.waitFor(1), two.waitFor(1)]);
    await publisher.publish('one', { to: 'one', marker: true });
    await one.waitFor(2);
    expect(one.events).toEqual([{ to: 'one' }, { to: 'one', marker: true }]);
    expect(two.events).toEqual([{ to: 'two' }]);
  });

  it('a throwing listener does not stop the others', async () => {
    const after = collector();
    await subscriber.subscribe('t', () => {
      throw new Error('listener bug');
    });
    await subscriber.subscribe('t', after.listener);
    await publisher.publish('t', { ok: true });
    await after.waitFor(1);
    expect(after.events).toEqual([{ ok: true }]);
    expect(silent.error).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), expect.any(String));
  });
}

const silent = { error: jest.fn() };

describe('InProcessChatBus', () => {
  sharedBehaviour(() => {
    const bus = new InProcessChatBus({ logger: silent });
    return { publisher: bus, subscriber: bus, close: () => bus.close() };
  });

  it('is what createChatBus picks without a Redis URL', async () => {
    const bus = createChatBus({ prefix });
    expect(bus).toBeInstanceOf(InProcessChatBus);
    await bus.close();
  });

  it('rejects publish after close', async () => {
    const bus = new InProcessChatBus();
    await bus.close();
    await expect(bus.publish('t', {})).rejects.toThrow(/closed/);
  });
});

describeIf(REQUIRES.redis, 'RedisChatBus (real Redis, two nodes)', () => {
  sharedBehaviour(() => {
    const nodeA = new RedisChatBus({ redisUrl: redisUrl!, prefix, logger: silent });
    const nodeB = new RedisChatBus({ redisUrl: redisUrl!, prefix, logger: silent });
    const close = async () => void (await Promise.all([nodeA.close(), nodeB.close()]));
    return { publisher: nodeA, subscriber: nodeB, close };
  });

  it('is what createChatBus picks with a Redis URL', async () => {
    const bus = createChatBus({ redisUrl: redisUrl!, prefix });
    expect(bus).toBeInstanceOf(RedisChatBus);
    await bus.close();
  });

  it('holds one Redis subscription per topic, dropped when the last local listener leaves', async () => {
    const bus = new RedisChatBus({ redisUrl: redisUrl!, prefix, logger: silent });
    const probe = new Redis(redisUrl!);
    const channel = `${prefix}:chat:shared`;
    const subscribers = async () => ((await probe.pubsub('NUMSUB', channel)) as [string, number])[1];
    try {
      const first = await bus.subscribe('shared', () => {});
      const second = await bus.subscribe('shared', () => {});
      expect(await subscribers()).toBe(1);
      await first();
      expect(await subscribers()).toBe(1);
      await second();
      expect(await subscribers()).toBe(0);
    } finally {
      await Promise.all([bus.close(), probe.quit()]);
    }
  });

  it('does not deliver across prefixes', async () => {
    const other = new RedisChatBus({ redisUrl: redisUrl!, prefix: `${prefix}-other`, logger: silent });
    const bus = new RedisChatBus({ redisUrl: redisUrl!, prefix, logger: silent });
    try {
      const heard = collector();
      const own = collector();
      await other.subscribe('t', heard.listener);
      await bus.subscribe('t', own.listener);
      await bus.publish('t', { n: 1 });
      await own.waitFor(1);
      await other.publish('t', { marker: true });
      await heard.waitFor(1);
      expect(heard.events).toEqual([{ marker: true }]);
    } finally {
      await Promise.all([other.close(), bus.close()]);
    }
  });
});
