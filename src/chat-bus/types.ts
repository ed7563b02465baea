// Fan-out of live chat events to the sockets that are open on any node. In-process by default;
// Redis pub/sub when REDIS_URL is set, so API nodes scale out. Delivery here is best effort:
// every event is also stored, and a socket that missed one replays it from the database.

export type ChatEvent = Record<string, unknown>;
export type ChatListener = (event: ChatEvent) => void;

export interface ChatBus {
  readonly driver: 'in-process' | 'redis';
  /** Whether an event published now reaches the subscribers (false while Redis is unreachable). */
  readonly live: boolean;
  /** Sends an event to every subscriber of the topic on every node. */
  publish(topic: string, event: ChatEvent): Promise<void>;
  /** Resolves once the subscription is live (so nothing published after it resolves is missed). Returns the unsubscribe function. */
  subscribe(topic: string, listener: ChatListener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
