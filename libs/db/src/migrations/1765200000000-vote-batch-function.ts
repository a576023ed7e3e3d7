import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A batch of votes in one round trip to the database. Each statement of a vote batch was a round
 * trip of its own (BEGIN, the checks, the cast, the events, the fold job, COMMIT), and on a busy
 * machine a round trip costs more than the statement: the api writes to a socket and waits while
 * PostgreSQL's backend is woken and scheduled (bench:voting: the api's writes to PostgreSQL were a
 * sixth of its CPU, and a batch spent most of its time waiting between statements). As functions,
 * the steps run in one call, each statement still with a snapshot of its own.
 *
 * - `outbox_enqueue`: the outbox insert of libs/queue (`enqueue`, `enqueueCoalesced`), so that
 *   SQL functions enqueue jobs the same way.
 * - `record_vote_events`: the vote events of changes to ballots, with the round's minimum (the
 *   rule of `recordBallotChanges` in libs/domain/voting, which calls it too).
 * - `cast_votes`: the voting lock, the cast, the events and the fold jobs of a batch of votes
 *   (`BallotsService.cast`, which checks voters and phases first and documents the steps).
 */
export class VoteBatchFunction1765200000000 implements MigrationInterface {
  name = 'VoteBatchFunction1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      -- A job into the outbox; with a coalesce key, nothing while a job with that key waits to start.
      -- Answers the new row's id, or null when it coalesced.
      CREATE FUNCTION outbox_enqueue(p_queue text, p_job_name text, p_payload jsonb, p_run_at timestamptz, p_coalesce_key text)
      RETURNS bigint LANGUAGE sql AS $$
        INSERT INTO outbox (queue, job_name, payload, run_at, coalesce_key) VALUES (p_queue, p_job_name, p_payload, p_run_at, p_coalesce_key)
        ON CONFLICT (queue, job_name, coalesce_key) WHERE coalesce_key IS NOT NULL DO NOTHING RETURNING id
      $$;

      -- Vote events for changes to ballots (one row per vote changed, with the ballot's votes before
      -- and after and the round's minimum). A ballot below the minimum counts for nobody, so its
      -- changes are recorded with delta 0; reaching the minimum makes every vote on it count (+1
      -- each), falling below takes every one off again (-1 each). The votes are written already.
      CREATE FUNCTION record_vote_events(
        p_round_ids uuid[], p_user_ids uuid[], p_candidate_ids uuid[], p_kinds text[], p_deltas smallint[],
        p_minimums int[], p_cast_before int[], p_cast_after int[]
      ) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        -- Planned at every call (EXECUTE), for the votes table as it is then: a plan kept from a
        -- round's first votes would read the whole table at every call.
        EXECUTE $sql$
          WITH change AS (
            SELECT c.round_id, c.user_id, c.candidate_id, c.kind, c.delta,
                   -- Only adding votes reaches the minimum, only taking them off falls below it.
                   CASE WHEN (c.cast_before >= c.minimum) = (c.cast_after >= c.minimum) THEN (CASE WHEN c.cast_after >= c.minimum THEN 'COUNTS' ELSE 'UNCOUNTED' END)
                        WHEN c.cast_after >= c.minimum THEN 'REACHED' ELSE 'FELL' END AS counting
              FROM unnest($1, $2, $3, $4, $5, $6, $7, $8) AS c(round_id, user_id, candidate_id, kind, delta, minimum, cast_before, cast_after)
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
           WHERE x.counting = 'FELL'
        $sql$ USING p_round_ids, p_user_ids, p_candidate_ids, p_kinds, p_deltas, p_minimums, p_cast_before, p_cast_after;
      END
      $fn$;

      -- A batch of votes, at most one per ballot, checked by the caller (voter, roles, phase rules,
      -- candidate). Answers each request in order (n), and whether a fold job was added.
      CREATE FUNCTION cast_votes(
        p_lock_space int, p_round_ids uuid[], p_user_ids uuid[], p_project_ids uuid[], p_budgets int[], p_minimums int[], p_candidate_ids uuid[],
        p_fold_queue text, p_fold_job text, p_fold_jobs jsonb, p_fold_run_at timestamptz
      ) RETURNS TABLE (n bigint, open boolean, had_vote boolean, votes_cast int, budget int, inserted boolean, job_added boolean)
      LANGUAGE plpgsql AS $fn$
      DECLARE
        v_open boolean[];
        v_had_vote boolean[];
        v_votes_cast int[];
        v_budget int[];
        v_inserted boolean[];
        v_job_added boolean := false;
      BEGIN
        -- The voting lock of every round in the batch, shared, in a fixed order (closing a round,
        -- merging candidates and folding tallies take it exclusively: they wait for this batch).
        PERFORM pg_advisory_xact_lock_shared(p_lock_space, hashtext(r.id::text)) FROM (SELECT DISTINCT id FROM unnest(p_round_ids) AS id ORDER BY id) r;

        -- The cast, in a snapshot taken after the locks: per vote, a lookup by unique key for an
        -- existing vote, the round still voting and the candidate not merged away (else not open);
        -- the ballot is created at the first vote or takes one more of its budget if one is left
        -- (else votes_cast is null; a CHECK on the row holds the budget under any concurrency).
        -- Ballots are taken in key order, so batches running at once cannot deadlock. Planned at
        -- every call (EXECUTE) for the tables as they are then, as a plan kept from a round's
        -- first votes would read all of votes at every batch.
        EXECUTE $sql$
          WITH request AS (
            SELECT q.* FROM unnest($1, $2, $3, $4, $5) WITH ORDINALITY AS q(round_id, user_id, project_id, budget, candidate_id, n)
          ), checked AS (
            -- Each check is a lookup on a unique key per request: a join or EXISTS lets the planner
            -- answer a whole batch with one scan of votes or candidates, which grows with the round.
            SELECT request.*,
                   (SELECT true FROM votes v WHERE v.round_id = request.round_id AND v.user_id = request.user_id AND v.candidate_id = request.candidate_id) IS NOT NULL AS had_vote,
                   (SELECT true FROM rounds r WHERE r.id = request.round_id AND r.phase = 'VOTING') IS NOT NULL
                     AND (SELECT true FROM candidates c WHERE c.id = request.candidate_id AND c.merged_into_id IS NULL) IS NOT NULL AS open
              FROM request
          ), ballot AS (
            INSERT INTO ballots AS b (round_id, user_id, project_id, budget, votes_cast)
            SELECT c.round_id, c.user_id, c.project_id, c.budget, 1 FROM checked c WHERE c.open AND NOT c.had_vote ORDER BY c.round_id, c.user_id
            ON CONFLICT (round_id, user_id) DO UPDATE SET votes_cast = b.votes_cast + 1, updated_at = now() WHERE b.votes_cast < b.budget
            RETURNING b.round_id, b.user_id, b.votes_cast, b.budget
          ), vote AS (
            INSERT INTO votes (round_id, user_id, candidate_id)
            SELECT c.round_id, c.user_id, c.candidate_id FROM checked c JOIN ballot USING (round_id, user_id)
            ON CONFLICT DO NOTHING RETURNING votes.round_id, votes.user_id
          )
          SELECT array_agg(c.open ORDER BY c.n), array_agg(c.had_vote ORDER BY c.n), array_agg(ballot.votes_cast ORDER BY c.n),
                 array_agg(ballot.budget ORDER BY c.n), array_agg(vote.user_id IS NOT NULL ORDER BY c.n)
            FROM checked c LEFT JOIN ballot USING (round_id, user_id) LEFT JOIN vote USING (round_id, user_id)
        $sql$ INTO v_open, v_had_vote, v_votes_cast, v_budget, v_inserted USING p_round_ids, p_user_ids, p_project_ids, p_budgets, p_candidate_ids;

        -- A vote that a concurrent transaction added after the cast's snapshot was not inserted
        -- although its ballot took one: give it back.
        IF EXISTS (SELECT 1 FROM unnest(v_votes_cast, v_inserted) AS r(votes_cast, inserted) WHERE r.votes_cast IS NOT NULL AND NOT r.inserted) THEN
          UPDATE ballots b SET votes_cast = b.votes_cast - 1
            FROM unnest(p_round_ids, p_user_ids, v_votes_cast, v_inserted) AS r(round_id, user_id, votes_cast, inserted)
           WHERE r.votes_cast IS NOT NULL AND NOT r.inserted AND b.round_id = r.round_id AND b.user_id = r.user_id;
        END IF;

        -- The events of the votes cast (a new statement: it sees them), and a fold job per round.
        PERFORM record_vote_events(array_agg(r.round_id), array_agg(r.user_id), array_agg(r.candidate_id), array_agg('CAST'::text), array_agg(1::smallint),
                                   array_agg(r.minimum), array_agg(r.votes_cast - 1), array_agg(r.votes_cast))
           FROM unnest(p_round_ids, p_user_ids, p_candidate_ids, p_minimums, v_votes_cast, v_inserted) AS r(round_id, user_id, candidate_id, minimum, votes_cast, inserted)
          WHERE r.inserted
         HAVING count(*) > 0;
        SELECT coalesce(bool_or(outbox_enqueue(p_fold_queue, p_fold_job, job.payload, p_fold_run_at, job.key) IS NOT NULL), false) INTO v_job_added
          FROM jsonb_to_recordset(p_fold_jobs) AS job(key text, payload jsonb)
         WHERE job.key IN (SELECT r.round_id::text FROM unnest(p_round_ids, v_inserted) AS r(round_id, inserted) WHERE r.inserted);

        RETURN QUERY SELECT r.n, r.open, r.had_vote, r.votes_cast, r.budget, r.inserted, v_job_added
          FROM unnest(v_open, v_had_vote, v_votes_cast, v_budget, v_inserted) WITH ORDINALITY AS r(open, had_vote, votes_cast, budget, inserted, n);
      END
      $fn$;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION cast_votes; DROP FUNCTION record_vote_events; DROP FUNCTION outbox_enqueue;`);
  }
}
