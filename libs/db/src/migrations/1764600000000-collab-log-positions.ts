import { MigrationInterface, QueryRunner } from 'typeorm';

export class CollabLogPositions1764600000000 implements MigrationInterface {
  name = 'CollabLogPositions1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- An append no longer writes the document row: updating last_seq left a dead version of a
      -- wide row per append, and the foreign-key check of every log entry read that row again.
      -- A document's position is now its newest log entry (or its snapshot's): the collab hub
      -- claims the next one through the log's primary key, and appends check and share-lock the
      -- document row themselves (see DocumentStore.append), which keeps compaction from moving
      -- the snapshot past an entry being appended.
      ALTER TABLE collab_updates DROP CONSTRAINT collab_updates_document_name_fkey;
      ALTER TABLE collab_documents DROP COLUMN last_seq;

      -- What ON DELETE CASCADE did: a document's log goes with it.
      CREATE FUNCTION collab_documents_delete_log() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM collab_updates u USING gone WHERE u.document_name = gone.name;
        RETURN NULL;
      END $$;
      CREATE TRIGGER collab_documents_delete_log AFTER DELETE ON collab_documents
        REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION collab_documents_delete_log();
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER collab_documents_delete_log ON collab_documents;
      DROP FUNCTION collab_documents_delete_log();
      ALTER TABLE collab_documents ADD COLUMN last_seq bigint NOT NULL DEFAULT 0;
      UPDATE collab_documents d SET last_seq = greatest(d.snapshot_seq, (SELECT max(u.seq) FROM collab_updates u WHERE u.document_name = d.name));
      ALTER TABLE collab_documents ADD CONSTRAINT collab_documents_check CHECK (snapshot_seq <= last_seq);
      DELETE FROM collab_updates u WHERE NOT EXISTS (SELECT 1 FROM collab_documents d WHERE d.name = u.document_name);
      ALTER TABLE collab_updates ADD CONSTRAINT collab_updates_document_name_fkey FOREIGN KEY (document_name) REFERENCES collab_documents (name) ON DELETE CASCADE;
    `);
  }
}
