import { Redis, RedisOptions } from 'ioredis';

/**
 * BullMQ needs `maxRetriesPerRequest: null` on connections that block; we use it everywhere so a
 * Redis restart makes commands wait and retry instead of failing mid-job.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false, ...options });
}

/** Nest injection token for the shared ioredis connection (commands, not subscriptions). */
export const REDIS = Symbol('REDIS');
