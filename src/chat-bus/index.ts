// Picks the chat bus driver: Redis pub/sub when Redis is configured, otherwise in-process.
import { InProcessChatBus, type ChatBusLogger } from './in-process';
import { RedisChatBus } from './redis';
import type { ChatBus } from './types';

export type * from './types';
export type { ChatBusLogger } from './in-process';
export { InProcessChatBus } from './in-process';
export { RedisChatBus } from './redis';

export function createChatBus(opts: { redisUrl?: string; prefix: string; logger?: ChatBusLogger }): ChatBus {
  return opts.redisUrl
    ? new RedisChatBus({ redisUrl: opts.redisUrl, prefix: opts.prefix, logger: opts.logger })
    : new InProcessChatBus({ logger: opts.logger });
}
