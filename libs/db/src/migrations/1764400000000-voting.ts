import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Voting: ballots with a budget, votes, the vote event log that workers fold into live tallies,
 * recounts, the frozen results of a closed round, and the selection of N. (The portraits table
 * the selection fills comes from the collaboration migration, which creates it if missing.)
 */
export class Voting1764400000000 implements MigrationInterface {
  name = 'Voting1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- One per member per round. votes_cast is a counter updated in the same transaction as the
      -- votes, and the row is the lock that serialises one member's concurrent votes, so the CHECK
      -- holds the budget even against fifty simultaneous requests. The budget is the round's at
      -- the first vote; the round's budget cannot change while voting is open.
      --
      -- Vote transactions hold a shared advisory lock on their round, which closing the round and
      -- merging candidates take exclusively (after locking the round or candidate rows). So the
      -- vote tables have no foreign keys to rounds or candidates: a key check share-locks the
      -- referenced row, which would deadlock against those, and would make the round's row hot.
      -- Rows go with their project (ON DELETE CASCADE through project_id and ballots).
      CREATE TABLE ballots (
        round_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        budget integer NOT NULL CHECK (budget > 0),
        votes_cast integer NOT NULL DEFAULT 0 CHECK (votes_cast >= 0 AND votes_cast <= budget),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (round_id, user_id)
      );

      -- One vote per member per candidate per round; withdrawing deletes it.
      CREATE TABLE votes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        round_id uuid NOT NULL,
        user_id uuid NOT NULL,
        candidate_id uuid NOT NULL,
        -- Where a merge moved this vote from, so that the merge can be undone.
        moved_from_candidate_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (round_id, user_id) REFERENCES ballots (round_id, user_id) ON DELETE CASCADE,
        UNIQUE (round_id, user_id, candidate_id)
      );
      CREATE INDEX votes_candidate_idx ON votes (round_id, candidate_id);

      -- Every change to a ballot, as what it does to each candidate's tally (delta -1, 0 or +1;
      -- 0 while the ballot has fewer votes than the round's minimum). Written with the change;
      -- a tally job folds unfolded events into tallies and sets folded_at in the same
      -- transaction, so each event counts exactly once whatever the jobs do.
      CREATE TABLE vote_events (
        id bigserial PRIMARY KEY,
        round_id uuid NOT NULL,
        user_id uuid NOT NULL,
        candidate_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN (
          'CAST', 'WITHDRAWN', 'MOVED_OUT', 'MOVED_IN', 'MINIMUM_REACHED', 'BELOW_MINIMUM',
          'MERGE_MOVED_OUT', 'MERGE_MOVED_IN', 'MERGE_DROPPED', 'UNDO_MOVED_OUT', 'UNDO_MOVED_IN', 'UNDO_RESTORED')),
        delta smallint NOT NULL CHECK (delta BETWEEN -1 AND 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        folded_at timestamptz,
        -- The ballot's row is locked by the transaction that writes the event: checking this key costs no lock.
        FOREIGN KEY (round_id, user_id) REFERENCES ballots (round_id, user_id) ON DELETE CASCADE
      );
      CREATE INDEX vote_events_unfolded_idx ON vote_events (round_id, id) WHERE folded_at IS NULL;
      CREATE INDEX vote_events_round_idx ON vote_events (round_id, id);

      -- Live tallies: the folded sum of vote_events per candidate.
      CREATE TABLE tallies (
        round_id uuid NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
        candidate_id uuid NOT NULL REFERENCES candidates (id),
        votes integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (round_id, candidate_id)
      );

      -- The leaderboard's published revision per round: publishers take this row in turn, so a
      -- higher revision always carries standings at least as new.
      CREATE TABLE leaderboards (
        round_id uuid PRIMARY KEY REFERENCES rounds (id) ON DELETE CASCADE,
        revision bigint NOT NULL DEFAULT 0,
        standings_hash text NOT NULL DEFAULT '',
        published_at timestamptz NOT NULL DEFAULT now()
      );

      -- A recount from the votes compared with the live tally; a disagreement stays on record.
      CREATE TABLE recounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        round_id uuid NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        requested_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DONE')),
        agreed boolean,
        total_votes integer,
        pending_events integer,
        differences jsonb NOT NULL DEFAULT '[]',
        finished_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (status = 'PENDING' OR agreed IS NOT NULL)
      );
      CREATE INDEX recounts_round_idx ON recounts (round_id, created_at DESC);

      -- Closing a round freezes its results here, counted from the votes.
      CREATE TABLE round_results (
        round_id uuid PRIMARY KEY REFERENCES rounds (id) ON DELETE CASCADE,
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        total_votes integer NOT NULL,
        voters integer NOT NULL,
        counted_voters integer NOT NULL,
        live_tally_agreed boolean NOT NULL,
        differences jsonb NOT NULL DEFAULT '[]',
        frozen_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE round_result_entries (
        round_id uuid NOT NULL REFERENCES round_results (round_id) ON DELETE CASCADE,
        candidate_id uuid NOT NULL REFERENCES candidates (id),
        rank integer NOT NULL CHECK (rank > 0),
        votes integer NOT NULL CHECK (votes >= 0),
        PRIMARY KEY (round_id, candidate_id)
      );
      CREATE INDEX round_result_entries_rank_idx ON round_result_entries (round_id, rank);

      -- A proposal of the balance assistant for the final N, and (once) the confirmed one.
      CREATE TABLE selections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        round_id uuid NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
        size integer NOT NULL CHECK (size > 0),
        seed text NOT NULL,
        quotas jsonb NOT NULL DEFAULT '[]',
        pinned uuid[] NOT NULL DEFAULT '{}',
        excluded uuid[] NOT NULL DEFAULT '{}',
        outcome text NOT NULL CHECK (outcome IN ('OPTIMAL', 'INFEASIBLE')),
        selected uuid[] NOT NULL DEFAULT '{}',
        total_votes integer,
        quota_report jsonb NOT NULL DEFAULT '[]',
        solve_seconds double precision NOT NULL,
        status text NOT NULL DEFAULT 'PROPOSED' CHECK (status IN ('PROPOSED', 'CONFIRMED')),
        created_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        confirmed_at timestamptz,
        confirmed_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (status = 'PROPOSED' OR outcome = 'OPTIMAL')
      );
      CREATE INDEX selections_round_idx ON selections (round_id, created_at DESC);
      -- One confirmed selection per project: it made the portraits.
      CREATE UNIQUE INDEX selections_confirmed_key ON selections (project_id) WHERE status = 'CONFIRMED';
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE selections, round_result_entries, round_results, recounts, leaderboards, tallies, vote_events, votes, ballots`);
  }
}
