// Single-process chat bus: a map of topic to listeners.
import type { ChatBus, ChatEvent, ChatListener } from './types';

export interface ChatBusLogger {
  error(obj: object, msg: string): void;
}

export const consoleChatBusLogger: ChatBusLogger = { error: (obj, msg) => console.error(msg, obj) };

/** Calls every listener with the event; one that throws is logged and does not stop the others. */
export function deliver(listeners: Iterable<ChatListener>, event: ChatEvent, logger: ChatBusLogger): void {
  for (const listener of [...listeners]) {
    try {
      listener(event);
    } catch (err) {
      logger.error({ err }, 'chat bus listener threw');
    }
  }
}

export class InProcessChatBus implements ChatBus {
  readonly driver = 'in-process' as const;
  private readonly topics = new Map<string, Set<ChatListener>>();
  private readonly logger: ChatBusLogger;
  private closed = false;

  get live(): boolean {
    return !this.closed;
  }

  constructor(opts: { logger?: ChatBusLogger } = {}) {
    this.logger = opts.logger ?? consoleChatBusLogger;
  }

  async publish(topic: string, event: ChatEvent): Promise<void> {
    if (this.closed) throw new Error('chat bus is closed');
    const listeners = this.topics.get(topic);
    // A JSON round trip gives listeners what the Redis driver would (no shared object, no Dates).
    if (listeners) deliver(listeners, JSON.parse(JSON.stringify(event)) as ChatEvent, this.logger);
  }

  async subscribe(topic: string, listener: ChatListener): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('chat bus is closed');
    let listeners = this.topics.get(topic);
    if (!listeners) this.topics.set(topic, (listeners = new Set()));
    // Wrap so subscribing the same function twice gives two independent subscriptions.
    const entry: ChatListener = (event) => listener(event);
    listeners.add(entry);
    return async () => {
      listeners.delete(entry);
      if (listeners.size === 0 && this.topics.get(topic) === listeners) this.topics.delete(topic);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.topics.clear();
  }
}
