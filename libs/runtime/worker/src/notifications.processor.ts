import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotificationsService } from '@quire/domain/notifications';
import { ProcessorOf, QueueProcessor } from './queue-processor';

/** Writes in-app notifications in the job's transaction, so each request notifies once. */
@ProcessorOf('notifications')
export class NotificationsProcessor extends QueueProcessor<'notifications'> {
  constructor(@InjectDataSource() dataSource: DataSource, notifications: NotificationsService) {
    super(dataSource, 'notifications', {
      notify: async (request, { em }) => {
        await notifications.deliver(em, request);
      },
    });
  }
}
