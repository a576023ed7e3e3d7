import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import pino, { Logger } from 'pino';
import { QUIRE_CONFIG } from '@quire/config';
import { PUB_SUB } from '@quire/core';
import { dataSourceOptions } from '@quire/db';
import { createRedis, REDIS } from '@quire/queue';
import { RuntimeOptions } from './runtime-options';

export const RUNTIME_OPTIONS = Symbol('RUNTIME_OPTIONS');
/** The process's pino logger (Nest's logger writes through a child of it). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * Connections every process shares: configuration, PostgreSQL (TypeORM), Redis, GraphQL pub/sub
 * over Redis, and structured JSON logs.
 */
@Global()
@Module({})
export class InfraModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
  ) {}

  static forRoot(options: RuntimeOptions): DynamicModule {
    const { config } = options;
    const root: Logger = pino({ level: config.logLevel });
    return {
      module: InfraModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: { logger: root },
          // Nest's logger only: the api logs its requests itself (see logRequests in @quire/runtime/api).
          forRoutes: [],
        }),
        TypeOrmModule.forRoot({ ...dataSourceOptions(options.databaseUrl), autoLoadEntities: true }),
      ],
      providers: [
        { provide: RUNTIME_OPTIONS, useValue: options },
        { provide: ROOT_LOGGER, useValue: root },
        { provide: QUIRE_CONFIG, useValue: config },
        { provide: REDIS, useFactory: () => createRedis(options.redisUrl) },
        {
          provide: PUB_SUB,
          useFactory: () =>
            new RedisPubSub({
              publisher: createRedis(options.redisUrl),
              subscriber: createRedis(options.redisUrl),
              connectionListener: () => undefined,
            }),
        },
      ],
      exports: [RUNTIME_OPTIONS, ROOT_LOGGER, QUIRE_CONFIG, REDIS, PUB_SUB],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pubSub.close();
    this.redis.disconnect();
  }
}
