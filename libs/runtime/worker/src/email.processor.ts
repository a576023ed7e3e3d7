import { Inject } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { Mailer, renderMail } from '@quire/domain/notifications';
import { JobPayload, runOnce } from '@quire/queue';

export const MAILER = Symbol('MAILER');

/**
 * Sends e-mail. The receipt and the send share a transaction: a failed send rolls the receipt
 * back and BullMQ retries; a job delivered twice finds the receipt and sends nothing.
 */
@Processor('email')
export class EmailProcessor extends WorkerHost {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MAILER) private readonly mailer: Mailer,
  ) {
    super();
  }

  async process(job: Job<JobPayload<'email', 'send'>>): Promise<void> {
    const jobId = job.id ?? `${job.name}-${job.timestamp}`;
    await runOnce(this.dataSource, 'email', jobId, async () => {
      await this.mailer.send(renderMail(job.data), jobId);
    });
  }
}
