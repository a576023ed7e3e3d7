import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lighter writes per vote. Every vote inserts a row in votes and one in vote_events; each row's
 * foreign-key check against ballots ran a plan that PostgreSQL keeps per connection from the
 * check's first use, when a new round's ballots table is nearly empty: a sequential scan of ballots
 * for every vote from then on (found with auto_explain: a third of the database's time per vote).
 * The keys guarded rows that only the ballot's own writes add, inside the transaction that holds
 * the ballot row (casting, moving, merging), so they now go, and a trigger keeps their cascade:
 * a deleted ballot (its member or project deleted) takes its votes and events with it.
 *
 * votes_candidate_idx goes too: one index write less per vote, and a lookup of one member's vote
 * for a candidate can no longer pick it over the unique key (it did, on a table without
 * statistics yet). Merging, the only reader by candidate, reads the round through the unique key.
 */
export class VotePathKeys1764700000000 implements MigrationInterface {
  name = 'VotePathKeys1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE votes DROP CONSTRAINT votes_round_id_user_id_fkey;
      ALTER TABLE vote_events DROP CONSTRAINT vote_events_round_id_user_id_fkey;
      DROP INDEX votes_candidate_idx;

      CREATE FUNCTION ballots_delete_votes() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM votes v USING deleted_ballots d WHERE v.round_id = d.round_id AND v.user_id = d.user_id;
        DELETE FROM vote_events e USING deleted_ballots d WHERE e.round_id = d.round_id AND e.user_id = d.user_id;
        RETURN NULL;
      END $$;
      CREATE TRIGGER ballots_delete_votes AFTER DELETE ON ballots
        REFERENCING OLD TABLE AS deleted_ballots FOR EACH STATEMENT EXECUTE FUNCTION ballots_delete_votes();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER ballots_delete_votes ON ballots;
      DROP FUNCTION ballots_delete_votes();
      CREATE INDEX votes_candidate_idx ON votes (round_id, candidate_id);
      ALTER TABLE vote_events ADD FOREIGN KEY (round_id, user_id) REFERENCES ballots (round_id, user_id) ON DELETE CASCADE;
      ALTER TABLE votes ADD FOREIGN KEY (round_id, user_id) REFERENCES ballots (round_id, user_id) ON DELETE CASCADE;
    `);
  }
}
