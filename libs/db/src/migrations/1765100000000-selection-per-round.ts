import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A book's N portraits may be selected over several rounds: each closed round may have one
 * confirmed selection, which fills places the earlier ones left (the selection service checks
 * that they fit, under a lock on the project).
 */
export class SelectionPerRound1765100000000 implements MigrationInterface {
  name = 'SelectionPerRound1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX selections_confirmed_key;
      CREATE UNIQUE INDEX selections_confirmed_key ON selections (round_id) WHERE status = 'CONFIRMED';
      CREATE INDEX selections_confirmed_project_idx ON selections (project_id) WHERE status = 'CONFIRMED';
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX selections_confirmed_project_idx;
      DROP INDEX selections_confirmed_key;
      CREATE UNIQUE INDEX selections_confirmed_key ON selections (project_id) WHERE status = 'CONFIRMED';
    `);
  }
}
