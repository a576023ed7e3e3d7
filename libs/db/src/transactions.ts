import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` in one transaction, or joins the caller's. Domain services take an optional
 * manager so that a change, its audit event and its outbox rows commit together.
 */
export function inTransaction<T>(dataSource: DataSource, manager: EntityManager | undefined, work: (em: EntityManager) => Promise<T>): Promise<T> {
  if (manager?.queryRunner?.isTransactionActive) return work(manager);
  return dataSource.transaction(work);
}
