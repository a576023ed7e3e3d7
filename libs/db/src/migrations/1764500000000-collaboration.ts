import { MigrationInterface, QueryRunner } from 'typeorm';

export class Collaboration1764500000000 implements MigrationInterface {
  name = 'Collaboration1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- One portrait per selected candidate: its team and its place in the workflow
      -- UNASSIGNED -> DRAFTING -> SUBMITTED -> IN_REVIEW -> CHANGES_REQUESTED -> ... -> APPROVED -> FINAL.
      -- The selection of N (voting) may have created the minimal table already (one UNASSIGNED row
      -- per selected candidate); this migration adds the team and the workflow either way.
      CREATE TABLE IF NOT EXISTS portraits (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        candidate_id uuid NOT NULL UNIQUE REFERENCES candidates (id) ON DELETE RESTRICT,
        status text NOT NULL DEFAULT 'UNASSIGNED',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      ALTER TABLE portraits
        ADD COLUMN lead_author_id uuid REFERENCES users (id) ON DELETE SET NULL,
        ADD COLUMN editor_id uuid REFERENCES users (id) ON DELETE SET NULL,
        ADD COLUMN status_changed_at timestamptz NOT NULL DEFAULT now(),
        ADD CONSTRAINT portraits_status_check
          CHECK (status IN ('UNASSIGNED', 'DRAFTING', 'SUBMITTED', 'IN_REVIEW', 'CHANGES_REQUESTED', 'APPROVED', 'FINAL')),
        -- Past UNASSIGNED a portrait has a lead author.
        ADD CONSTRAINT portraits_lead_check CHECK (status = 'UNASSIGNED' OR lead_author_id IS NOT NULL);
      CREATE INDEX IF NOT EXISTS portraits_project_idx ON portraits (project_id, status);
      CREATE INDEX portraits_lead_author_idx ON portraits (lead_author_id) WHERE lead_author_id IS NOT NULL;

      CREATE TABLE portrait_co_authors (
        portrait_id uuid NOT NULL REFERENCES portraits (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (portrait_id, user_id)
      );
      CREATE INDEX portrait_co_authors_user_idx ON portrait_co_authors (user_id);

      -- A Yjs document (one per portrait, named 'portrait:<id>'). Its content is the snapshot (the
      -- update log folded up to snapshot_seq) plus the log entries after it. last_seq is the
      -- newest log entry: appending locks this row, so per document the sequence has no gaps and
      -- commits in order, and an instance that missed a message can catch up from the log.
      CREATE TABLE collab_documents (
        name text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 200),
        last_seq bigint NOT NULL DEFAULT 0,
        snapshot bytea,
        snapshot_seq bigint NOT NULL DEFAULT 0 CHECK (snapshot_seq <= last_seq),
        -- Derived from the content after changes (debounced), for progress, search and export.
        plain_text text NOT NULL DEFAULT '',
        word_count integer NOT NULL DEFAULT 0,
        headings jsonb NOT NULL DEFAULT '[]',
        derived_seq bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      -- The update log: every update is appended here before any other client receives it.
      CREATE TABLE collab_updates (
        document_name text NOT NULL REFERENCES collab_documents (name) ON DELETE CASCADE,
        seq bigint NOT NULL,
        update bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (document_name, seq)
      );

      -- Named versions: the document's full state at log position seq, with a label.
      CREATE TABLE collab_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        document_name text NOT NULL REFERENCES collab_documents (name) ON DELETE CASCADE,
        kind text NOT NULL,
        label text NOT NULL DEFAULT '',
        seq bigint NOT NULL,
        state bytea NOT NULL,
        created_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX collab_versions_document_idx ON collab_versions (document_name, created_at DESC, id DESC);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE collab_versions, collab_updates, collab_documents, portrait_co_authors;
      ALTER TABLE portraits
        DROP CONSTRAINT portraits_lead_check, DROP CONSTRAINT portraits_status_check,
        DROP COLUMN status_changed_at, DROP COLUMN editor_id, DROP COLUMN lead_author_id;
    `);
  }
}
