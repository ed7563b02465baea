// Picks the queue driver: BullMQ when Redis is configured, otherwise the in-process default.
import { BullMqQueue } from './bullmq';
import { InProcessQueue, type QueueLogger } from './in-process';
import type { JobQueue } from './types';

export type * from './types';
export type { QueueLogger } from './in-process';
export { BullMqQueue } from './bullmq';
export { InProcessQueue } from './in-process';

export function createQueue(opts: { redisUrl?: string; prefix: string; logger?: QueueLogger; stallTimeoutMs?: number }): JobQueue {
  return opts.redisUrl
    ? new BullMqQueue({ redisUrl: opts.redisUrl, prefix: opts.prefix, logger: opts.logger, stallTimeoutMs: opts.stallTimeoutMs })
    : new InProcessQueue({ logger: opts.logger });
}
