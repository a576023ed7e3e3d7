import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        display_name text NOT NULL,
        locale text NOT NULL DEFAULT 'nl' CHECK (locale IN ('nl', 'en')),
        password_hash text,
        installation_admin boolean NOT NULL DEFAULT false,
        oidc_issuer text,
        oidc_subject text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX users_email_key ON users (lower(email));
      CREATE UNIQUE INDEX users_oidc_key ON users (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL;

      CREATE TABLE projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL UNIQUE,
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        language text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
        target_portrait_count integer NOT NULL DEFAULT 100 CHECK (target_portrait_count > 0),
        word_limit_min integer NOT NULL DEFAULT 600 CHECK (word_limit_min >= 0),
        word_limit_max integer NOT NULL DEFAULT 1200 CHECK (word_limit_max >= word_limit_min),
        self_sign_up boolean NOT NULL DEFAULT false,
        allowed_email_domains text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE project_memberships (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        roles text[] NOT NULL CHECK (roles <@ ARRAY['MEMBER', 'AUTHOR', 'EDITOR', 'ADMIN']::text[] AND cardinality(roles) > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, user_id)
      );
      CREATE INDEX project_memberships_user_idx ON project_memberships (user_id);

      -- Tokens are stored only as SHA-256 hashes: a leaked table opens no session.
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('WEB', 'API')),
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX sessions_user_idx ON sessions (user_id);

      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        email text NOT NULL,
        roles text[] NOT NULL CHECK (roles <@ ARRAY['MEMBER', 'AUTHOR', 'EDITOR', 'ADMIN']::text[] AND cardinality(roles) > 0),
        locale text NOT NULL DEFAULT 'nl' CHECK (locale IN ('nl', 'en')),
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        invited_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        accepted_at timestamptz,
        accepted_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX invitations_project_idx ON invitations (project_id, created_at DESC);

      CREATE TABLE password_resets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL UNIQUE,
        project_id uuid REFERENCES projects (id) ON DELETE CASCADE,
        actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
        actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'system', 'anonymous')),
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}',
        request_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX audit_events_project_idx ON audit_events (project_id, seq DESC);

      -- Append-only: history cannot be edited, only added to.
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only';
      END $$;
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

      -- Transactional outbox: jobs are written with the change that causes them and relayed to BullMQ.
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        queue text NOT NULL,
        job_name text NOT NULL,
        payload jsonb NOT NULL,
        run_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      );
      CREATE INDEX outbox_pending_idx ON outbox (id) WHERE dispatched_at IS NULL;

      -- One row per processed outbox job: a retried or re-delivered job does its work once.
      CREATE TABLE processed_jobs (
        queue text NOT NULL,
        job_id text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (queue, job_id)
      );
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE processed_jobs, outbox;
      DROP TRIGGER audit_events_no_truncate ON audit_events;
      DROP TRIGGER audit_events_no_update ON audit_events;
      DROP FUNCTION audit_events_append_only();
      DROP TABLE audit_events, password_resets, invitations, sessions, project_memberships, projects, users;
    `);
  }
}
