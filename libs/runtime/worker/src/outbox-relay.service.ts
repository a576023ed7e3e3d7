import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxRelay } from '@quire/queue';
import { RUNTIME_OPTIONS, RuntimeOptions } from '@quire/runtime/infra';

/** Runs the outbox relay for the life of the worker. Several workers may run it at once. */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private readonly relay: OutboxRelay;

  constructor(@InjectDataSource() dataSource: DataSource, @Inject(RUNTIME_OPTIONS) options: RuntimeOptions) {
    this.relay = new OutboxRelay({
      dataSource,
      databaseUrl: options.databaseUrl,
      redisUrl: options.redisUrl,
      prefix: options.config.redisPrefix,
      reassertAfterSeconds: options.config.outbox.reassertAfterSeconds,
      onError: (error) => this.logger.warn(`Relay pass failed, will retry: ${error instanceof Error ? error.message : String(error)}`),
    });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  /** Before the database closes (at application shutdown), so the pass in progress can commit. */
  beforeApplicationShutdown(): Promise<void> {
    return this.relay.stop();
  }
}
