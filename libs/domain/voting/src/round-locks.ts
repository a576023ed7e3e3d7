import { EntityManager } from 'typeorm';

/**
 * Every change to votes in a round holds the round's voting lock shared; closing the round,
 * merging candidates and folding tallies hold it exclusively. So results are frozen, votes moved
 * by a merge and events folded with no vote change in flight: one that started before commits
 * first, one that starts after sees the closed round, the merged candidate or the folded tally.
 * Advisory locks, not row locks: a vote never locks the round's row, which every vote would
 * otherwise queue on.
 */
export const ROUND_LOCK_SPACE = "hashtext('quire-round-votes')";

export async function holdRoundForVoting(em: EntityManager, roundId: string): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock_shared(${ROUND_LOCK_SPACE}, hashtext($1::uuid::text))`, [roundId]);
}

export async function holdRoundExclusively(em: EntityManager, roundIds: readonly string[]): Promise<void> {
  // In a fixed order, so two holders of several rounds cannot deadlock.
  for (const roundId of [...roundIds].sort()) await em.query(`SELECT pg_advisory_xact_lock(${ROUND_LOCK_SPACE}, hashtext($1::uuid::text))`, [roundId]);
}

/**
 * Waits until every vote change in flight in the round has committed, and holds nothing after:
 * the lock is taken exclusively and given back in one statement (as a session lock, which unlike
 * the transaction's can be given back before the transaction ends). Changes that start later run
 * alongside the caller. Answers a position in vote_events' id sequence, taken while the lock was
 * held: every event of the round below it has committed, every later one will be above it.
 */
export async function awaitVoteChangesSettled(em: EntityManager, roundId: string): Promise<string> {
  const key = `${ROUND_LOCK_SPACE}, hashtext($1::uuid::text)`;
  // OFFSET 0 keeps each subquery apart, so they run inside out: the wait, the position, the give-back.
  const [{ settled }]: { settled: string }[] = await em.query(
    `SELECT pg_advisory_unlock(${key}), settled.position AS settled
       FROM (SELECT nextval('vote_events_id_seq') AS position FROM (SELECT pg_advisory_lock(${key}) OFFSET 0) AS waited OFFSET 0) AS settled`,
    [roundId],
  );
  return settled;
}
