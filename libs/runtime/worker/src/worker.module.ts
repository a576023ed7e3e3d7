import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Logger, Module } from '@nestjs/common';
import { join } from 'node:path';
import { NominationsModule } from '@quire/domain/nominations';
import { Mailer, NotificationsModule } from '@quire/domain/notifications';
import { VotingModule } from '@quire/domain/voting';
import { QUEUE_NAMES, workerConnection } from '@quire/queue';
import { InfraModule, RuntimeOptions } from '@quire/runtime/infra';
import { EmailProcessor, MAILER } from './email.processor';
import { NotificationsProcessor } from './notifications.processor';
import { CollabProcessor } from './collab.processor';
import { OutboxRelayService } from './outbox-relay.service';
import { RoundScheduler, RoundsProcessor } from './rounds.processor';
import { TalliesProcessor } from './tallies.processor';

@Module({})
export class WorkerModule {
  /** `infra: false` when the api's InfraModule is already in the same process (the launcher). */
  static forRoot(options: RuntimeOptions, { infra = true }: { infra?: boolean } = {}): DynamicModule {
    const { config } = options;
    const logger = new Logger('Mail');
    return {
      module: WorkerModule,
      imports: [
        ...(infra ? [InfraModule.forRoot(options)] : []),
        // Workers take their connection from here; the relay, the main producer, has its own.
        BullModule.forRoot({ connection: workerConnection(options.redisUrl), prefix: config.redisPrefix }),
        // Every queue of the job map: registering a queue is what gives its processor a worker, and
        // lets a scheduler inject the queue it adds to.
        BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name }))),
        NominationsModule,
        NotificationsModule,
        VotingModule,
      ],
      providers: [
        {
          provide: MAILER,
          useFactory: () => new Mailer({ smtpUrl: config.mail.smtpUrl, from: config.mail.from, outboxDir: join(config.dataDir, 'mail'), log: (line) => logger.log(line) }),
        },
        EmailProcessor,
        RoundScheduler,
        RoundsProcessor,
        NotificationsProcessor,
        CollabProcessor,
        TalliesProcessor,
        OutboxRelayService,
      ],
    };
  }
}
