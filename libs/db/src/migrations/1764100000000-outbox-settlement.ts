import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An outbox row records how its job ended, so the relay only watches rows whose job is still
 * owed: `processed_at` commits with the job's work and receipt, `failed_at` when the job used up
 * its attempts (a dead letter, kept with its last error for an operator). `relay_count` says how
 * often the relay handed the row to BullMQ (the old name `attempts` read like job attempts).
 * The pending index serves the relay's query: rows not yet relayed, earliest due first.
 */
export class OutboxSettlement1764100000000 implements MigrationInterface {
  name = 'OutboxSettlement1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE outbox RENAME COLUMN attempts TO relay_count;
      ALTER TABLE outbox ADD COLUMN processed_at timestamptz, ADD COLUMN failed_at timestamptz;
      CREATE INDEX outbox_unsettled_idx ON outbox (dispatched_at) WHERE processed_at IS NULL AND failed_at IS NULL;
      DROP INDEX outbox_pending_idx;
      CREATE INDEX outbox_pending_idx ON outbox (run_at, id) WHERE dispatched_at IS NULL AND processed_at IS NULL AND failed_at IS NULL;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX outbox_unsettled_idx, outbox_pending_idx;
      CREATE INDEX outbox_pending_idx ON outbox (id) WHERE dispatched_at IS NULL;
      ALTER TABLE outbox DROP COLUMN processed_at, DROP COLUMN failed_at;
      ALTER TABLE outbox RENAME COLUMN relay_count TO attempts;
    `);
  }
}
