import { EntityManager } from 'typeorm';
import { enqueue } from '@quire/queue';

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
 * Records what a change to one member's ballot does to the tallies, as vote events, and asks a
 * tally worker to fold them (through the outbox, so in the same transaction). The caller holds
 * the ballot's row and has already written the votes. A ballot below the minimum counts for
 * nobody, so its changes are recorded with delta 0; reaching the minimum makes every vote on it
 * count (+1 each), and falling below takes every one off again (-1 each).
 */
export async function recordBallotChange(em: EntityManager, ballot: BallotChange, changes: VoteChange[], options: { wakeRelay?: boolean } = {}): Promise<void> {
  const counts = (cast: number): boolean => cast >= ballot.minimum;
  const [before, after] = [counts(ballot.castBefore), counts(ballot.castAfter)];
  const ids = changes.map((c) => c.candidateId);
  const kinds = changes.map((c) => c.kind);
  if (before === after) {
    await em.query(
      `INSERT INTO vote_events (round_id, user_id, candidate_id, kind, delta)
       SELECT $1, $2, c.candidate_id, c.kind, c.delta FROM unnest($3::uuid[], $4::text[], $5::smallint[]) AS c(candidate_id, kind, delta)`,
      [ballot.roundId, ballot.userId, ids, kinds, changes.map((c) => (after ? c.delta : 0))],
    );
  } else if (after) {
    // Only adding votes reaches the minimum: every vote now on the ballot starts to count.
    await em.query(
      `INSERT INTO vote_events (round_id, user_id, candidate_id, kind, delta)
       SELECT v.round_id, v.user_id, v.candidate_id, COALESCE(c.kind, 'MINIMUM_REACHED'), 1
         FROM votes v LEFT JOIN unnest($3::uuid[], $4::text[]) AS c(candidate_id, kind) ON c.candidate_id = v.candidate_id
        WHERE v.round_id = $1 AND v.user_id = $2`,
      [ballot.roundId, ballot.userId, ids, kinds],
    );
  } else {
    // Only taking votes off falls below it: those stop counting, and so does every vote left.
    await em.query(
      `INSERT INTO vote_events (round_id, user_id, candidate_id, kind, delta)
       SELECT $1, $2, c.candidate_id, c.kind, -1 FROM unnest($3::uuid[], $4::text[]) AS c(candidate_id, kind)
       UNION ALL
       SELECT v.round_id, v.user_id, v.candidate_id, 'BELOW_MINIMUM', -1 FROM votes v WHERE v.round_id = $1 AND v.user_id = $2`,
      [ballot.roundId, ballot.userId, ids, kinds],
    );
  }
  await enqueue(em, 'tallies', 'fold', { roundId: ballot.roundId }, { wakeRelay: options.wakeRelay });
}
