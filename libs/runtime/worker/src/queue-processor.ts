import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { idempotentProcessor, JobHandlers, QueueName, QUEUES } from '@quire/queue';

/** `@Processor` for a queue of the shared job map, with that queue's concurrency. */
export function ProcessorOf(queue: QueueName): ClassDecorator {
  return Processor(queue, { concurrency: QUEUES[queue].concurrency });
}

/**
 * A processor of queue Q: each job runs once through `idempotentProcessor`, with handlers typed
 * by the shared job map. Failed runs and connection trouble are logged, not thrown.
 */
export abstract class QueueProcessor<Q extends QueueName> extends WorkerHost implements BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly processJob: (job: Job) => Promise<void>;

  protected constructor(dataSource: DataSource, queue: Q, handlers: JobHandlers<Q>) {
    super();
    this.logger = new Logger(`Queue ${queue}`);
    this.processJob = idempotentProcessor(dataSource, queue, handlers);
  }

  process(job: Job): Promise<void> {
    return this.processJob(job);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    this.logger.warn(`Job ${job?.id} (${job?.name}) failed in attempt ${job?.attemptsMade} of ${job?.opts.attempts}: ${error.message}`);
  }

  /** Redis going away and coming back: the worker reconnects by itself. */
  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logger.warn(`Worker: ${error.message}`);
  }

  /** The database closes at application shutdown; a running job must finish and commit first. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }
}
