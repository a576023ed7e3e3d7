import { Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Mailer, renderMail } from '@quire/domain/notifications';
import { outboxIdOf } from '@quire/queue';
import { ProcessorOf, QueueProcessor } from './queue-processor';

export const MAILER = Symbol('MAILER');

/**
 * Sends e-mail. The receipt commits after the send: a failed send rolls it back and BullMQ
 * retries; a job delivered twice finds the receipt and sends nothing. Only a crash between the
 * server's acceptance and the commit can send a message twice; it then carries the same
 * Message-ID, by which mail servers and clients drop the copy. The secret links are removed from
 * the outbox row when the mail has gone (BullMQ drops its copy of a completed job within a day).
 */
@ProcessorOf('email')
export class EmailProcessor extends QueueProcessor<'email'> {
  constructor(@InjectDataSource() dataSource: DataSource, @Inject(MAILER) mailer: Mailer) {
    super(dataSource, 'email', {
      send: async (message, { jobId, em }) => {
        await mailer.send(renderMail(message), jobId);
        // The links carry single-use secrets; once sent, the outbox keeps no copy of them.
        const outboxId = outboxIdOf(jobId);
        if (outboxId) await em.query(`UPDATE outbox SET payload = payload - 'acceptUrl' - 'resetUrl' WHERE id = $1`, [outboxId]);
      },
    });
  }
}
