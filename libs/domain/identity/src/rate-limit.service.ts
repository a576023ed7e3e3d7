import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { QUIRE_CONFIG, QuireConfig } from '@quire/config';
import { DomainError, ErrorCode } from '@quire/core';
import { REDIS } from '@quire/queue';

/**
 * Limits sign-in and sign-up attempts per e-mail address and per client address, in Redis so
 * that every api instance shares the count.
 */
@Injectable()
export class AuthRateLimiter {
  private readonly perAccount: RateLimiterRedis;
  private readonly perClient: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, @Inject(QUIRE_CONFIG) config: QuireConfig) {
    const { points, windowSeconds } = config.signInRateLimit;
    this.perAccount = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${config.redisPrefix}:rl:account`, points, duration: windowSeconds });
    this.perClient = new RateLimiterRedis({ storeClient: redis, keyPrefix: `${config.redisPrefix}:rl:client`, points: points * 5, duration: windowSeconds });
  }

  async consume(account: string, clientAddress: string | undefined): Promise<void> {
    try {
      await Promise.all([this.perAccount.consume(account), clientAddress ? this.perClient.consume(clientAddress) : Promise.resolve()]);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        const retryAfterSeconds = Math.ceil(rejection.msBeforeNext / 1000);
        throw new DomainError(ErrorCode.RATE_LIMITED, `Too many attempts; try again in ${retryAfterSeconds} seconds`, { retryAfterSeconds });
      }
      throw rejection;
    }
  }

  /** A successful sign-in clears the account's count, so a person who mistyped is not punished. */
  async reset(account: string): Promise<void> {
    await this.perAccount.delete(account);
  }
}
