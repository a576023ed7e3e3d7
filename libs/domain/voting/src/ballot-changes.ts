import { EntityManager } from 'typeorm';
import { enqueueCoalesced } from '@quire/queue';

export type VoteEventKind =
  | 'CAST' | 'WITHDRAWN' | 'MOVED_OUT' | 'MOVED_IN' | 'MINIMUM_REACHED' | 'BELOW_MINIMUM'
  | 'MERGE_MOVED_OUT' | 'MERGE_MOVED_IN' | 'MERGE_DROPPED' | 'UNDO_MOVED_OUT' | 'UNDO_MOVED_IN' | 'UNDO_RESTORED';

/** One vote added to (+1) or taken off (-1) a candidate on a ballot. */
export interface VoteChange {
  candidateId: string;
  kind: VoteEventKind;
  delta: 1 | -1;
}

export interface BallotChange {
  roundId: string;
  userId: string;
  /** The round's minimum: a ballot's votes count only once it has this many. */
  minimum: number;
  castBefore: number;
  castAfter: number;
}

/**
 * How long a fold job waits before it runs: the changes of that moment share it (a job folds all
 * it finds), where a busy round would otherwise run one job per batch of votes.
 */
const FOLD_GATHER_MS = 100;

/**
 * Records what changes to members' ballots do to the tallies, as vote events, and asks a tally
 * worker to fold them (through the outbox, so in the same transaction): one statement per round
 * for any number of ballots, and a fold job unless one is waiting to run already. The caller
 * holds the round's voting lock (the fold relies on it, see TalliesService.fold) and each ballot's
 * row, and has already written the votes. A ballot below the minimum counts for nobody, so its
 * changes are recorded with delta 0; reaching the minimum makes every vote on it count (+1 each),
 * and falling below takes every one off again (-1 each). Answers whether a fold job was added.
 */
export async function recordBallotChanges(em: EntityManager, ballots: { ballot: BallotChange; changes: VoteChange[] }[], options: { wakeRelay?: boolean } = {}): Promise<boolean> {
  const rows = ballots.flatMap(({ ballot, changes }) => {
    const [before, after] = [ballot.castBefore >= ballot.minimum, ballot.castAfter >= ballot.minimum];
    // Only adding votes reaches the minimum, only taking them off falls below it.
    const counting = before === after ? (after ? 'COUNTS' : 'UNCOUNTED') : after ? 'REACHED' : 'FELL';
    return changes.map((c) => ({ ...c, roundId: ballot.roundId, userId: ballot.userId, counting }));
  });
  if (!rows.length) return false;
  await em.query(
    `WITH change AS (
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::smallint[], $6::text[]) AS c(round_id, user_id, candidate_id, kind, delta, counting)
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
      WHERE x.counting = 'FELL'`,
    [rows.map((r) => r.roundId), rows.map((r) => r.userId), rows.map((r) => r.candidateId), rows.map((r) => r.kind), rows.map((r) => r.delta), rows.map((r) => r.counting)],
  );
  const runAt = new Date(Date.now() + FOLD_GATHER_MS);
  let addedJob = false;
  for (const roundId of new Set(rows.map((row) => row.roundId))) {
    if (await enqueueCoalesced(em, 'tallies', 'fold', { roundId }, roundId, { runAt, wakeRelay: options.wakeRelay })) addedJob = true;
  }
  return addedJob;
}

/** The change to one member's ballot: see recordBallotChanges. */
export function recordBallotChange(em: EntityManager, ballot: BallotChange, changes: VoteChange[], options: { wakeRelay?: boolean } = {}): Promise<boolean> {
  return recordBallotChanges(em, [{ ballot, changes }], options);
}
