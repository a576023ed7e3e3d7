import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DocumentStore, sqlOfManager } from '@quire/collab-core';
import { ProcessorOf, QueueProcessor } from './queue-processor';

/** Folds a document's update log into its snapshot, in the job's transaction. */
@ProcessorOf('collab')
export class CollabProcessor extends QueueProcessor<'collab'> {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource, 'collab', {
      compact: async ({ documentName }, { em }) => {
        await new DocumentStore(sqlOfManager(em)).compact(documentName);
      },
    });
  }
}
