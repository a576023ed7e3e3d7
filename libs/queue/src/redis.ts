import type { ConnectionOptions } from 'bullmq';
import { Redis, RedisOptions } from 'ioredis';

/**
 * Reconnects every 200 ms at first and at least every 2 s, forever: a restarted Redis is found
 * again within seconds (ioredis and BullMQ defaults wait up to 20 s, or give up).
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(attempt * 200, 2000);
}

/**
 * BullMQ needs `maxRetriesPerRequest: null` on connections that block; we use it everywhere so a
 * Redis restart makes commands wait and retry instead of failing mid-job.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false, retryStrategy: reconnectDelay, ...options });
}

/**
 * For BullMQ workers: options rather than a shared instance, so each worker owns (and closes)
 * its connections. Commands wait out a Redis restart; the blocking fetch reconnects by itself.
 */
export function workerConnection(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy: reconnectDelay };
}

/**
 * For producers that hold a database transaction while they talk to Redis (the outbox relay):
 * while Redis is down a command fails at once instead of queueing until it is back.
 */
export function createFailFastRedis(url: string): Redis {
  return createRedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
}

/** Nest injection token for the shared ioredis connection (commands, not subscriptions). */
export const REDIS = Symbol('REDIS');
