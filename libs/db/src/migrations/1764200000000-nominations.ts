import { MigrationInterface, QueryRunner } from 'typeorm';

export class Nominations1764200000000 implements MigrationInterface {
  name = 'Nominations1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      CREATE EXTENSION IF NOT EXISTS unaccent;

      ALTER TABLE projects ADD COLUMN report_threshold integer NOT NULL DEFAULT 3 CHECK (report_threshold > 0);

      -- A nomination round. Phases move DRAFT -> NOMINATING -> VOTING -> CLOSED at the scheduled
      -- times (delayed jobs) or by an editor. rules: per phase, which roles may nominate, endorse,
      -- comment and vote, and whether tallies are visible.
      CREATE TABLE rounds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        phase text NOT NULL DEFAULT 'DRAFT' CHECK (phase IN ('DRAFT', 'NOMINATING', 'VOTING', 'CLOSED')),
        nominating_opens_at timestamptz,
        voting_opens_at timestamptz,
        closes_at timestamptz,
        rules jsonb NOT NULL,
        premoderation boolean NOT NULL DEFAULT false,
        max_nominations_per_member integer NOT NULL DEFAULT 5 CHECK (max_nominations_per_member > 0),
        motivation_min_length integer NOT NULL DEFAULT 50 CHECK (motivation_min_length >= 0),
        motivation_max_length integer NOT NULL DEFAULT 3000 CHECK (motivation_max_length >= motivation_min_length),
        votes_per_member integer NOT NULL DEFAULT 10 CHECK (votes_per_member > 0),
        min_votes_per_member integer NOT NULL DEFAULT 0 CHECK (min_votes_per_member >= 0 AND min_votes_per_member <= votes_per_member),
        phase_changed_at timestamptz NOT NULL DEFAULT now(),
        created_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (nominating_opens_at IS NULL OR voting_opens_at IS NULL OR nominating_opens_at < voting_opens_at),
        CHECK (voting_opens_at IS NULL OR closes_at IS NULL OR voting_opens_at < closes_at)
      );
      CREATE INDEX rounds_project_idx ON rounds (project_id, created_at DESC);
      CREATE INDEX rounds_open_idx ON rounds (phase) WHERE phase <> 'CLOSED';

      -- A person who may be portrayed. match_key and surname_key are normalised forms of the
      -- name and its variants (Dutch particles, initials, spelling variants) for duplicate search.
      CREATE TABLE candidates (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        name text NOT NULL,
        name_variants text[] NOT NULL DEFAULT '{}',
        birth_year integer CHECK (birth_year BETWEEN 1000 AND 2100),
        death_year integer CHECK (death_year BETWEEN 1000 AND 2100),
        offices text[] NOT NULL DEFAULT '{}',
        organisation text NOT NULL DEFAULT '',
        government_layer text NOT NULL DEFAULT 'OTHER' CHECK (government_layer IN ('NATIONAL', 'PROVINCIAL', 'MUNICIPAL', 'WATER_BOARD', 'OVERSEAS', 'OTHER')),
        period_start integer CHECK (period_start BETWEEN 1000 AND 2100),
        period_end integer CHECK (period_end BETWEEN 1000 AND 2100),
        gender text NOT NULL DEFAULT 'UNKNOWN' CHECK (gender IN ('FEMALE', 'MALE', 'NONBINARY', 'UNKNOWN')),
        region text NOT NULL DEFAULT '',
        wikidata_id text CHECK (wikidata_id ~ '^Q[1-9][0-9]*$'),
        bio text NOT NULL DEFAULT '',
        status text NOT NULL DEFAULT 'NOMINATED' CHECK (status IN ('NOMINATED', 'SHORTLISTED', 'SELECTED', 'NOT_SELECTED')),
        merged_into_id uuid REFERENCES candidates (id),
        match_key text NOT NULL,
        surname_key text NOT NULL,
        created_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (birth_year IS NULL OR death_year IS NULL OR birth_year <= death_year),
        CHECK (period_start IS NULL OR period_end IS NULL OR period_start <= period_end),
        CHECK (merged_into_id IS NULL OR merged_into_id <> id)
      );
      CREATE INDEX candidates_project_idx ON candidates (project_id, created_at DESC) WHERE merged_into_id IS NULL;
      CREATE INDEX candidates_match_trgm ON candidates USING gin (match_key gin_trgm_ops) WHERE merged_into_id IS NULL;
      CREATE INDEX candidates_surname_idx ON candidates (project_id, surname_key) WHERE merged_into_id IS NULL;
      CREATE UNIQUE INDEX candidates_wikidata_key ON candidates (project_id, wikidata_id) WHERE wikidata_id IS NOT NULL AND merged_into_id IS NULL;

      CREATE TABLE nominations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        round_id uuid NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
        candidate_id uuid NOT NULL REFERENCES candidates (id),
        nominator_id uuid NOT NULL REFERENCES users (id),
        motivation text NOT NULL,
        status text NOT NULL DEFAULT 'SUBMITTED' CHECK (status IN ('SUBMITTED', 'PUBLISHED', 'HIDDEN', 'MERGED', 'WITHDRAWN')),
        hidden_reason text,
        -- Where a merge moved this nomination from, so that the merge can be undone.
        moved_from_candidate_id uuid REFERENCES candidates (id),
        merged_into_nomination_id uuid REFERENCES nominations (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX nominations_round_idx ON nominations (round_id, created_at DESC);
      CREATE INDEX nominations_candidate_idx ON nominations (candidate_id);
      CREATE INDEX nominations_nominator_idx ON nominations (round_id, nominator_id);

      CREATE TABLE nomination_sources (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        nomination_id uuid NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('URL', 'LITERATURE', 'ARCHIVE')),
        reference text NOT NULL,
        url text,
        position integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX nomination_sources_nomination_idx ON nomination_sources (nomination_id, position);

      CREATE TABLE endorsements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        candidate_id uuid NOT NULL REFERENCES candidates (id),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        moved_from_candidate_id uuid REFERENCES candidates (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (candidate_id, user_id)
      );

      CREATE TABLE comments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        candidate_id uuid NOT NULL REFERENCES candidates (id),
        parent_id uuid REFERENCES comments (id),
        author_id uuid NOT NULL REFERENCES users (id),
        body text NOT NULL,
        status text NOT NULL DEFAULT 'VISIBLE' CHECK (status IN ('VISIBLE', 'HIDDEN')),
        hidden_reason text,
        moved_from_candidate_id uuid REFERENCES candidates (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX comments_candidate_idx ON comments (candidate_id, created_at);

      CREATE TABLE follows (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        candidate_id uuid NOT NULL REFERENCES candidates (id),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        moved_from_candidate_id uuid REFERENCES candidates (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (candidate_id, user_id)
      );

      -- Members' reports of a nomination or comment; at the project's threshold the target is hidden.
      CREATE TABLE reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        target_type text NOT NULL CHECK (target_type IN ('NOMINATION', 'COMMENT')),
        target_id uuid NOT NULL,
        reporter_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        reason text NOT NULL,
        resolved_at timestamptz,
        resolution text CHECK (resolution IN ('HIDDEN', 'KEPT')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (target_type, target_id, reporter_id)
      );
      CREATE INDEX reports_open_idx ON reports (project_id, created_at) WHERE resolved_at IS NULL;

      CREATE TABLE project_blocks (
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        blocked_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        reason text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (project_id, user_id)
      );

      -- Every merge of candidate source into target, with what it moved, so it can be undone.
      CREATE TABLE candidate_merges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        source_id uuid NOT NULL REFERENCES candidates (id),
        target_id uuid NOT NULL REFERENCES candidates (id),
        merged_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        moved jsonb NOT NULL,
        undone_at timestamptz,
        undone_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX candidate_merges_source_idx ON candidate_merges (source_id) WHERE undone_at IS NULL;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TABLE candidate_merges, project_blocks, reports, follows, comments, endorsements, nomination_sources, nominations, candidates, rounds;
      ALTER TABLE projects DROP COLUMN report_threshold;
    `);
  }
}
