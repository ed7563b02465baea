// Redis pub/sub chat bus: one publisher and one subscriber connection per node. Local listeners of a
// topic share one Redis subscription, dropped when the last of them leaves.
import Redis from 'ioredis';
import { consoleChatBusLogger, deliver, type ChatBusLogger } from './in-process';
import type { ChatBus, ChatEvent, ChatListener } from './types';

/** Bounds every command, so publish/subscribe reject instead of hanging while Redis is down. */
const COMMAND_TIMEOUT_MS = 5_000;

interface Channel {
  listeners: Set<ChatListener>;
  /** Settles when Redis has confirmed (or refused) the SUBSCRIBE. */
  subscribed: Promise<unknown>;
}

export class RedisChatBus implements ChatBus {
  readonly driver = 'redis' as const;
  private readonly prefix: string;
  private readonly logger: ChatBusLogger;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly channels = new Map<string, Channel>();
  private closed = false;

  get live(): boolean {
    return !this.closed && this.publisher.status === 'ready' && this.subscriber.status === 'ready';
  }

  constructor(opts: { redisUrl: string; prefix: string; logger?: ChatBusLogger }) {
    this.prefix = opts.prefix;
    this.logger = opts.logger ?? consoleChatBusLogger;
    // ioredis arms a disconnectTimeout timer on disconnect even when the socket is already gone; keep it short.
    const options = { commandTimeout: COMMAND_TIMEOUT_MS, disconnectTimeout: 200 };
    this.publisher = new Redis(opts.redisUrl, options);
    this.subscriber = new Redis(opts.redisUrl, options);
    for (const connection of [this.publisher, this.subscriber]) {
      // ioredis reconnects by itself (and resubscribes); without a listener it prints every error.
      connection.on('error', (err) => this.logger.error({ err }, 'chat bus Redis connection error'));
    }
    this.subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message));
  }

  async publish(topic: string, event: ChatEvent): Promise<void> {
    if (this.closed) throw new Error('chat bus is closed');
    await this.publisher.publish(this.channelName(topic), JSON.stringify(event));
  }

  async subscribe(topic: string, listener: ChatListener): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('chat bus is closed');
    const name = this.channelName(topic);
    let channel = this.channels.get(name);
    if (!channel) {
      channel = { listeners: new Set(), subscribed: this.subscriber.subscribe(name) };
      this.channels.set(name, channel);
    }
    // Wrap so subscribing the same function twice gives two independent subscriptions.
    const entry: ChatListener = (event) => listener(event);
    channel.listeners.add(entry);
    try {
      await channel.subscribed;
    } catch (err) {
      // Not awaited: the UNSUBSCRIBE would wait as long as the SUBSCRIBE did. It is queued after the
      // SUBSCRIBE, so Redis ends up unsubscribed even if that one is still sent later.
      this.remove(name, channel, entry).catch(() => undefined);
      throw err;
    }
    let unsubscribed = false;
    return async () => {
      if (unsubscribed) return;
      unsubscribed = true;
      await this.remove(name, channel, entry);
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channels.clear();
    await Promise.all([this.publisher, this.subscriber].map(closeConnection));
  }

  private channelName(topic: string): string {
    return `${this.prefix}:chat:${topic}`;
  }

  private async remove(name: string, channel: Channel, entry: ChatListener): Promise<void> {
    channel.listeners.delete(entry);
    if (channel.listeners.size > 0 || this.channels.get(name) !== channel) return;
    this.channels.delete(name);
    await this.subscriber.unsubscribe(name);
  }

  private onMessage(name: string, message: string): void {
    const channel = this.channels.get(name);
    if (!channel) return;
    let event: ChatEvent;
    try {
      event = JSON.parse(message) as ChatEvent;
    } catch (err) {
      this.logger.error({ err, channel: name }, 'chat bus message is not JSON; ignored');
      return;
    }
    deliver(channel.listeners, event, this.logger);
  }
}

/** QUIT when connected; otherwise a QUIT would wait in the offline queue, so just stop reconnecting. */
async function closeConnection(connection: Redis): Promise<void> {
  if (connection.status === 'ready') await connection.quit().catch(() => connection.disconnect());
  else connection.disconnect();
}
