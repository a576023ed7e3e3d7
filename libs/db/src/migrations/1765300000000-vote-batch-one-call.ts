import { MigrationInterface, QueryRunner } from 'typeorm';
import { VoteBatchFunction1765200000000 } from './1765200000000-vote-batch-function';

/**
 * A batch of votes in one round trip instead of two. The voters were checked in a query of their
 * own before `cast_votes` (the api waited for its answer, checked the phase rules in code, then
 * called the function): under load the api's event loop is busy answering other requests when an
 * answer arrives, so each round trip cost about as much as the statements themselves
 * (bench:voting: 1.4 ms from sending the check to reading its answer, of which 0.2 ms the query).
 *
 * - `vote_voters`: the check, as a function that withdrawing and moving call too: per request the
 *   round, the voter's roles (all of them for an installation administrator) and block, the
 *   candidate followed through merges, whether it has a published nomination in the round, and
 *   `may_vote`, all of these together with the round's rules letting one of the roles vote in its
 *   phase. The api still checks each row in code (`checkVoter`) for the error it answers; the two
 *   must agree, which a test holds them to.
 * - `cast_votes`: now takes the requests as asked (round, member, whether an installation
 *   administrator, candidate), checks them with `vote_voters` after taking the voting locks, and
 *   writes the votes that may be cast. It answers the check's row with each request's outcome.
 * - The cast and `record_vote_events` keep their plans (one generic plan per connection) with
 *   sequential scans switched off for the call. Planned at every call (EXECUTE), as they were so
 *   that a plan made while `votes` was nearly empty would not read the whole table at every batch
 *   later, planning took 0.46 ms of the call's 2.2 ms; with sequential scans off, a plan made at
 *   any size reads votes by key.
 */
export class VoteBatchOneCall1765300000000 implements MigrationInterface {
  name = 'VoteBatchOneCall1765300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP FUNCTION cast_votes;

      -- As in migration 1765200000000, with its plan kept (see cast_votes below).
      CREATE OR REPLACE FUNCTION record_vote_events(
        p_round_ids uuid[], p_user_ids uuid[], p_candidate_ids uuid[], p_kinds text[], p_deltas smallint[],
        p_minimums int[], p_cast_before int[], p_cast_after int[]
      ) RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $fn$
      BEGIN
          WITH change AS (
            SELECT c.round_id, c.user_id, c.candidate_id, c.kind, c.delta,
                   -- Only adding votes reaches the minimum, only taking them off falls below it.
                   CASE WHEN (c.cast_before >= c.minimum) = (c.cast_after >= c.minimum) THEN (CASE WHEN c.cast_after >= c.minimum THEN 'COUNTS' ELSE 'UNCOUNTED' END)
                        WHEN c.cast_after >= c.minimum THEN 'REACHED' ELSE 'FELL' END AS counting
              FROM unnest(p_round_ids, p_user_ids, p_candidate_ids, p_kinds, p_deltas, p_minimums, p_cast_before, p_cast_after) AS c(round_id, user_id, candidate_id, kind, delta, minimum, cast_before, cast_after)
          ), crossing AS (
            SELECT DISTINCT round_id, user_id, counting FROM change WHERE counting IN ('REACHED', 'FELL')
          )
          INSERT INTO vote_events (round_id, user_id, candidate_id, kind, delta)
          SELECT round_id, user_id, candidate_id, kind, CASE counting WHEN 'COUNTS' THEN delta WHEN 'UNCOUNTED' THEN 0 ELSE -1 END
            FROM change WHERE counting <> 'REACHED'
          UNION ALL
          SELECT v.round_id, v.user_id, v.candidate_id, COALESCE(c.kind, 'MINIMUM_REACHED'), 1
            FROM crossing x JOIN votes v ON v.round_id = x.round_id AND v.user_id = x.user_id
            LEFT JOIN change c ON c.round_id = v.round_id AND c.user_id = v.user_id AND c.candidate_id = v.candidate_id
           WHERE x.counting = 'REACHED'
          UNION ALL
          SELECT v.round_id, v.user_id, v.candidate_id, 'BELOW_MINIMUM', -1
            FROM crossing x JOIN votes v ON v.round_id = x.round_id AND v.user_id = x.user_id
           WHERE x.counting = 'FELL';
      END
      $fn$;

      CREATE TYPE vote_voter AS (
        n bigint, round_id uuid, user_id uuid, project_id uuid, phase text, rules jsonb, votes_per_member int, min_votes_per_member int,
        roles text[], blocked boolean, candidate_id uuid, nominated boolean, may_vote boolean
      );

      -- Per request (round, user, installation administrator or not, candidate), in order (n): see
      -- the migration's comment. Takes no lock: what it reads may change unless the caller holds the
      -- rounds' voting locks. Static SQL with one generic plan per connection (its tables keep their
      -- size while a round votes): left to choose, PostgreSQL planned it at every call (0.6 ms of
      -- the database's CPU per call, against 0.14 with the kept plan).
      CREATE FUNCTION vote_voters(p_round_ids uuid[], p_user_ids uuid[], p_admins boolean[], p_candidate_ids uuid[], p_all_roles text[])
      RETURNS SETOF vote_voter LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $fn$
      BEGIN
        RETURN QUERY
          WITH RECURSIVE request AS (
            SELECT q.* FROM unnest(p_round_ids, p_user_ids, p_admins, p_candidate_ids) WITH ORDINALITY AS q(round_id, user_id, admin, candidate_id, n)
          ), chain AS (
            SELECT request.n, c.id, c.merged_into_id, 0 AS hops
              FROM request JOIN rounds r ON r.id = request.round_id JOIN candidates c ON c.id = request.candidate_id AND c.project_id = r.project_id
            UNION ALL
            SELECT chain.n, c.id, c.merged_into_id, chain.hops + 1 FROM candidates c JOIN chain ON c.id = chain.merged_into_id WHERE chain.hops < 20
          ), voter AS (
            SELECT request.n, request.round_id, request.user_id, request.candidate_id AS asked_candidate_id, r.project_id, r.phase, r.rules, r.votes_per_member, r.min_votes_per_member,
                   CASE WHEN request.admin THEN p_all_roles
                        ELSE (SELECT m.roles FROM project_memberships m WHERE m.project_id = r.project_id AND m.user_id = request.user_id) END AS roles,
                   EXISTS (SELECT 1 FROM project_blocks b WHERE b.project_id = r.project_id AND b.user_id = request.user_id) AS blocked,
                   (SELECT chain.id FROM chain WHERE chain.n = request.n AND chain.merged_into_id IS NULL LIMIT 1) AS candidate_id,
                   EXISTS (SELECT 1 FROM chain JOIN nominations nom ON nom.candidate_id = chain.id
                            WHERE chain.n = request.n AND chain.merged_into_id IS NULL AND nom.round_id = request.round_id AND nom.status = 'PUBLISHED') AS nominated
              FROM request LEFT JOIN rounds r ON r.id = request.round_id
          )
          SELECT voter.n, voter.round_id, voter.user_id, voter.project_id, voter.phase, voter.rules, voter.votes_per_member, voter.min_votes_per_member,
                 voter.roles, voter.blocked, voter.candidate_id, voter.nominated,
                 coalesce(voter.user_id IS NOT NULL AND voter.project_id IS NOT NULL AND cardinality(voter.roles) > 0 AND NOT voter.blocked
                          AND (voter.rules -> voter.phase -> 'vote') ?| voter.roles
                          AND (voter.asked_candidate_id IS NULL OR (voter.candidate_id IS NOT NULL AND voter.nominated)), false)
            FROM voter ORDER BY voter.n;
      END
      $fn$;

      -- A batch of votes, at most one per ballot. Answers each request in order (n): the check's row
      -- (vote_voters), whether the round was voting and the vote allowed (open), and the outcome.
      CREATE FUNCTION cast_votes(
        p_lock_space int, p_round_ids uuid[], p_user_ids uuid[], p_admins boolean[], p_candidate_ids uuid[], p_all_roles text[],
        p_fold_queue text, p_fold_job text, p_fold_jobs jsonb, p_fold_run_at timestamptz
      ) RETURNS TABLE (
        n bigint, project_id uuid, phase text, rules jsonb, votes_per_member int, min_votes_per_member int, roles text[], blocked boolean,
        candidate_id uuid, nominated boolean, open boolean, had_vote boolean, votes_cast int, budget int, inserted boolean, job_added boolean
      ) LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $fn$
      DECLARE
        v_voters vote_voter[];
        v_had_vote boolean[];
        v_votes_cast int[];
        v_budget int[];
        v_inserted boolean[];
        v_job_added boolean := false;
      BEGIN
        -- The voting lock of every round in the batch, shared, in a fixed order (closing a round,
        -- merging candidates and folding tallies take it exclusively: they wait for this batch).
        -- Checked after it, the round's phase and the candidates cannot change until the commit.
        PERFORM pg_advisory_xact_lock_shared(p_lock_space, hashtext(r.id::text)) FROM (SELECT DISTINCT id FROM unnest(p_round_ids) AS id ORDER BY id) r;
        SELECT array_agg(v ORDER BY v.n) INTO v_voters FROM vote_voters(p_round_ids, p_user_ids, p_admins, p_candidate_ids, p_all_roles) v;

        -- The cast, for the requests that may vote in a round that is voting (each asks for a candidate): per vote, a lookup by
        -- unique key for an existing vote; the ballot is created at the first vote or takes one more
        -- of its budget if one is left (else votes_cast is null; a CHECK on the row holds the budget
        -- under any concurrency). Ballots are taken in key order, so batches running at once cannot
        -- deadlock.
          WITH request AS (
            SELECT q.* FROM unnest(v_voters) AS q WHERE q.may_vote AND q.phase = 'VOTING'
          ), checked AS (
            -- A lookup on a unique key per request: a join or EXISTS lets the planner answer a whole
            -- batch with one scan of votes, which grows with the round.
            SELECT request.*,
                   (SELECT true FROM votes v WHERE v.round_id = request.round_id AND v.user_id = request.user_id AND v.candidate_id = request.candidate_id) IS NOT NULL AS had_vote
              FROM request
          ), ballot AS (
            INSERT INTO ballots AS b (round_id, user_id, project_id, budget, votes_cast)
            SELECT c.round_id, c.user_id, c.project_id, c.votes_per_member, 1 FROM checked c WHERE NOT c.had_vote ORDER BY c.round_id, c.user_id
            ON CONFLICT (round_id, user_id) DO UPDATE SET votes_cast = b.votes_cast + 1, updated_at = now() WHERE b.votes_cast < b.budget
            RETURNING b.round_id, b.user_id, b.votes_cast, b.budget
          ), vote AS (
            INSERT INTO votes (round_id, user_id, candidate_id)
            SELECT c.round_id, c.user_id, c.candidate_id FROM checked c JOIN ballot USING (round_id, user_id)
            ON CONFLICT DO NOTHING RETURNING votes.round_id, votes.user_id
          )
          SELECT array_agg(c.had_vote ORDER BY q.n), array_agg(ballot.votes_cast ORDER BY q.n),
                 array_agg(ballot.budget ORDER BY q.n), array_agg(vote.user_id IS NOT NULL ORDER BY q.n)
            INTO v_had_vote, v_votes_cast, v_budget, v_inserted
            FROM unnest(v_voters) AS q LEFT JOIN checked c USING (n) LEFT JOIN ballot ON ballot.round_id = c.round_id AND ballot.user_id = c.user_id
                 LEFT JOIN vote ON vote.round_id = c.round_id AND vote.user_id = c.user_id;

        -- A vote that a concurrent transaction added after the cast's snapshot was not inserted
        -- although its ballot took one: give it back.
        IF EXISTS (SELECT 1 FROM unnest(v_votes_cast, v_inserted) AS r(votes_cast, inserted) WHERE r.votes_cast IS NOT NULL AND NOT r.inserted) THEN
          UPDATE ballots b SET votes_cast = b.votes_cast - 1
            FROM unnest(p_round_ids, p_user_ids, v_votes_cast, v_inserted) AS r(round_id, user_id, votes_cast, inserted)
           WHERE r.votes_cast IS NOT NULL AND NOT r.inserted AND b.round_id = r.round_id AND b.user_id = r.user_id;
        END IF;

        -- The events of the votes cast (a new statement: it sees them), and a fold job per round.
        PERFORM record_vote_events(array_agg(v.round_id), array_agg(v.user_id), array_agg(v.candidate_id), array_agg('CAST'::text), array_agg(1::smallint),
                                   array_agg(v.min_votes_per_member), array_agg(r.votes_cast - 1), array_agg(r.votes_cast))
           FROM unnest(v_voters) AS v JOIN unnest(v_votes_cast, v_inserted) WITH ORDINALITY AS r(votes_cast, inserted, n) USING (n)
          WHERE r.inserted
         HAVING count(*) > 0;
        SELECT coalesce(bool_or(outbox_enqueue(p_fold_queue, p_fold_job, job.payload, p_fold_run_at, job.key) IS NOT NULL), false) INTO v_job_added
          FROM jsonb_to_recordset(p_fold_jobs) AS job(key text, payload jsonb)
         WHERE job.key IN (SELECT r.round_id::text FROM unnest(p_round_ids, v_inserted) AS r(round_id, inserted) WHERE r.inserted);

        RETURN QUERY SELECT v.n, v.project_id, v.phase, v.rules, v.votes_per_member, v.min_votes_per_member, v.roles, v.blocked, v.candidate_id, v.nominated,
                            v.may_vote AND v.phase = 'VOTING', r.had_vote, r.votes_cast, r.budget, coalesce(r.inserted, false), v_job_added
          FROM unnest(v_voters) AS v JOIN unnest(v_had_vote, v_votes_cast, v_budget, v_inserted) WITH ORDINALITY AS r(had_vote, votes_cast, budget, inserted, n) USING (n)
         ORDER BY v.n;
      END
      $fn$;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION cast_votes; DROP FUNCTION vote_voters; DROP TYPE vote_voter; DROP FUNCTION record_vote_events; DROP FUNCTION outbox_enqueue;`);
    await new VoteBatchFunction1765200000000().up(db);
  }
}
