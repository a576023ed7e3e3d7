import { Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Mailer, renderMail } from '@quire/domain/notifications';
import { ProcessorOf, QueueProcessor } from './queue-processor';

export const MAILER = Symbol('MAILER');

/**
 * Sends e-mail. The receipt commits after the send: a failed send rolls it back and BullMQ
 * retries; a job delivered twice finds the receipt and sends nothing. Only a crash between the
 * server's acceptance and the commit can send a message twice; it then carries the same
 * Message-ID, by which mail servers and clients drop the copy.
 */
@ProcessorOf('email')
export class EmailProcessor extends QueueProcessor<'email'> {
  constructor(@InjectDataSource() dataSource: DataSource, @Inject(MAILER) mailer: Mailer) {
    super(dataSource, 'email', {
      send: (message, { jobId }) => mailer.send(renderMail(message), jobId),
    });
  }
}
