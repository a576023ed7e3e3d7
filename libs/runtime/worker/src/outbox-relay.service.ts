import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { OutboxRelay, REDIS } from '@quire/queue';
import { RUNTIME_OPTIONS, RuntimeOptions } from '@quire/runtime/infra';

/** Runs the outbox relay for the life of the worker. Several workers may run it at once. */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private readonly relay: OutboxRelay;

  constructor(@InjectDataSource() dataSource: DataSource, @Inject(REDIS) redis: Redis, @Inject(RUNTIME_OPTIONS) options: RuntimeOptions) {
    this.relay = new OutboxRelay({
      dataSource,
      databaseUrl: options.databaseUrl,
      redis,
      prefix: options.config.redisPrefix,
      onError: (error) => this.logger.warn(`Relay pass failed, will retry: ${error instanceof Error ? error.message : String(error)}`),
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.relay.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.relay.stop();
  }
}
