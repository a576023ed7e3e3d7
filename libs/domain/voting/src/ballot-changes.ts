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

/** When a fold job asked for now runs. */
export const foldRunAt = (): Date => new Date(Date.now() + FOLD_GATHER_MS);

/**
 * Records what changes to members' ballots do to the tallies, as vote events, and asks a tally
 * worker to fold them (through the outbox, so in the same transaction): one statement for any
 * number of ballots, and a fold job per round unless one is waiting to run already. The caller
 * holds the round's voting lock (the fold relies on it, see TalliesService.fold) and each ballot's
 * row, and has already written the votes. The rule of the round's minimum is the database
 * function `record_vote_events` (a vote batch records its events with it too, see cast_votes):
 * a ballot below the minimum counts for nobody; reaching it makes every vote on the ballot count,
 * falling below takes every one off again. Answers whether a fold job was added.
 */
export async function recordBallotChanges(em: EntityManager, ballots: { ballot: BallotChange; changes: VoteChange[] }[], options: { wakeRelay?: boolean } = {}): Promise<boolean> {
  const rows = ballots.flatMap(({ ballot, changes }) => changes.map((change) => ({ ...ballot, ...change })));
  if (!rows.length) return false;
  await em.query(`SELECT record_vote_events($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::smallint[], $6::int[], $7::int[], $8::int[])`, [
    rows.map((r) => r.roundId), rows.map((r) => r.userId), rows.map((r) => r.candidateId), rows.map((r) => r.kind), rows.map((r) => r.delta),
    rows.map((r) => r.minimum), rows.map((r) => r.castBefore), rows.map((r) => r.castAfter),
  ]);
  const runAt = foldRunAt();
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
