import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Jobs that coalesce (see `enqueueCoalesced` in libs/queue): a job that does all pending work of
 * its kind, such as folding every unfolded vote event of a round, carries a key while it waits to
 * start; another one with the same key is not added meanwhile. The processor clears the key when
 * the job starts.
 */
export class OutboxCoalescing1765000000000 implements MigrationInterface {
  name = 'OutboxCoalescing1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE outbox ADD COLUMN coalesce_key text;
      CREATE UNIQUE INDEX outbox_coalesce_key ON outbox (queue, job_name, coalesce_key) WHERE coalesce_key IS NOT NULL;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX outbox_coalesce_key; ALTER TABLE outbox DROP COLUMN coalesce_key;`);
  }
}
