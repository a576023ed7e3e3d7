import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient, QueryResultRow } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { Actor, ALL_PROJECT_ROLES, Batcher, DomainError, ErrorCode, ProjectRole } from '@quire/core';
import { allowedActions, checkPhaseAllows, Participation, Round, RoundsService, userIdOf } from '@quire/domain/nominations';
import { JobPayload, RelayWaker } from '@quire/queue';
import { foldRunAt, recordBallotChanges } from './ballot-changes';
import { holdRoundForVoting, ROUND_LOCK_SPACE } from './round-locks';

/** A member's ballot in a round as they see it. */
export interface BallotState {
  roundId: string;
  userId: string;
  budget: number;
  minimum: number;
  votesCast: number;
}

export interface BallotView extends BallotState {
  votes: { candidateId: string; castAt: Date }[];
  /** Whether the member may vote now (the round's phase and their roles). */
  canVote: boolean;
}

interface VoterRow {
  project_id: string | null;
  phase: Round['phase'];
  rules: Round['rules'];
  votes_per_member: number;
  min_votes_per_member: number;
  roles: ProjectRole[] | null;
  blocked: boolean;
  candidate_id: string | null;
  nominated: boolean;
}

/**
 * For each of a batch of (round, voter, candidate) requests, in order: the round, the voter's
 * roles and block, and the candidate (followed through merges). It takes no lock, so what it reads
 * may change before the votes are written: the writes check the round and the candidate again
 * after taking the voting locks (cast_votes; withdrawing and moving take the lock first).
 */
const VOTERS = `
  WITH RECURSIVE request AS (
    SELECT q.* FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS q(round_id, user_id, candidate_id, n)
  ), chain AS (
    SELECT request.n, c.id, c.merged_into_id, 0 AS hops
      FROM request JOIN rounds r ON r.id = request.round_id JOIN candidates c ON c.id = request.candidate_id AND c.project_id = r.project_id
    UNION ALL
    SELECT chain.n, c.id, c.merged_into_id, chain.hops + 1 FROM candidates c JOIN chain ON c.id = chain.merged_into_id WHERE chain.hops < 20
  )
  SELECT r.project_id, r.phase, r.rules, r.votes_per_member, r.min_votes_per_member,
         (SELECT m.roles FROM project_memberships m WHERE m.project_id = r.project_id AND m.user_id = request.user_id) AS roles,
         EXISTS (SELECT 1 FROM project_blocks b WHERE b.project_id = r.project_id AND b.user_id = request.user_id) AS blocked,
         (SELECT chain.id FROM chain WHERE chain.n = request.n AND chain.merged_into_id IS NULL LIMIT 1) AS candidate_id,
         EXISTS (SELECT 1 FROM chain JOIN nominations n ON n.candidate_id = chain.id
                  WHERE chain.n = request.n AND chain.merged_into_id IS NULL AND n.round_id = request.round_id AND n.status = 'PUBLISHED') AS nominated
    FROM request LEFT JOIN rounds r ON r.id = request.round_id
   ORDER BY request.n`;

/**
 * A batch of votes, at most one per ballot, checked already (VOTERS and checkVoter), in one call
 * of the database function cast_votes (migration 1765200000000): it takes the rounds' voting locks
 * (shared), writes each vote where the round is still voting and the candidate not merged away
 * (else `open` is false) and the member has not voted for the candidate already (`had_vote`), its
 * ballot created at the first vote or taking one more of its budget if one is left (else
 * votes_cast is null), records the vote events and adds a fold job per round unless one waits
 * already. One round trip instead of one per statement. A vote that a concurrent transaction added
 * meanwhile is not `inserted`, and its ballot gets back what it took.
 */
const CAST = `SELECT open, had_vote, votes_cast, budget, inserted, job_added
  FROM cast_votes(${ROUND_LOCK_SPACE}, $1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::int[], $6::uuid[], $7, $8, $9::jsonb, $10) ORDER BY n`;

interface CastRow {
  open: boolean;
  had_vote: boolean;
  votes_cast: number | null;
  budget: number | null;
  inserted: boolean;
  job_added: boolean;
}

/** Records ballot changes in the change's transaction: see recordBallotChanges. */
type BallotRecorder = (ballots: Parameters<typeof recordBallotChanges>[1]) => Promise<void>;

/** A vote waiting for its batch. */
interface CastRequest {
  actor: Actor;
  roundId: string;
  candidateId: string;
}

/**
 * Runs a statement of the vote path as a named prepared statement on the connection of `em` (a
 * transaction's, or one of the pool's for the call): PostgreSQL plans it once per connection
 * instead of at every batch. Only for statements whose tables keep their size while a round
 * votes, as the plan is kept.
 */
async function prepared<T>(em: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  const runner = (em.queryRunner ?? em.connection.createQueryRunner()) as PostgresQueryRunner;
  try {
    const client = (await runner.connect()) as PoolClient;
    return (await client.query<T & QueryResultRow>({ name, text, values })).rows;
  } finally {
    if (!em.queryRunner) await runner.release();
  }
}

/** Deletes a member's vote for a candidate; false when there was none. */
async function removeVote(tx: EntityManager, roundId: string, userId: string, candidateId: string): Promise<boolean> {
  // TypeORM answers a DELETE with [rows, affected count].
  const [, deleted]: [unknown[], number] = await tx.query(`DELETE FROM votes WHERE round_id = $1 AND user_id = $2 AND candidate_id = $3`, [roundId, userId, candidateId]);
  return deleted > 0;
}

/** The checks of BallotsService.voters for one request, from its row of VOTERS; throws why not. */
function checkVoter(actor: Actor, roundId: string, candidateId: string | null, row: VoterRow): { round: Round; votable: string } {
  if (actor.kind !== 'user') throw DomainError.unauthenticated();
  if (!row.project_id) throw DomainError.notFound('Round', roundId);
  const round = Object.assign(new Round(), {
    id: roundId, projectId: row.project_id, phase: row.phase, rules: row.rules, votesPerMember: row.votes_per_member, minVotesPerMember: row.min_votes_per_member,
  });
  const roles = actor.installationAdmin ? [...ALL_PROJECT_ROLES] : (row.roles ?? []);
  if (!roles.length) throw DomainError.forbidden(`This needs the role ${ALL_PROJECT_ROLES.join(' or ')} in this project`);
  if (row.blocked) throw new DomainError(ErrorCode.BLOCKED, 'A moderator has blocked you from taking part in this project');
  checkPhaseAllows(round, 'vote', roles);
  if (candidateId === null) return { round, votable: '' };
  if (!row.candidate_id) throw DomainError.notFound('Candidate', candidateId);
  if (!row.nominated) throw DomainError.badInput([{ field: 'candidateId', message: 'This candidate has no published nomination in this round' }]);
  return { round, votable: row.candidate_id };
}

const alreadyVoted = (): DomainError => new DomainError(ErrorCode.CONFLICT, 'You voted for this candidate already');
const noSuchVote = (): DomainError => DomainError.notFound('Your vote for this candidate');

/**
 * Casting, withdrawing and moving votes. Every change takes the member's ballot row first, so one
 * member's concurrent requests run one after another and the budget (a CHECK on the row) holds;
 * the change, its vote events and the job that folds them commit together.
 */
@Injectable()
export class BallotsService {
  private readonly relay: RelayWaker;
  private readonly casts = new Batcher<CastRequest, BallotState>((requests) => this.castBatch(requests), {
    maxBatch: 200,
    // One batch at a time per process: two side by side each carried half the votes and waited on
    // each other's ballot rows (bench:voting: the database's CPU per vote 0.88 ms, against 0.55).
    concurrency: 1,
    keyOf: (request) => `${request.roundId}:${request.actor.kind === 'user' ? request.actor.userId : ''}`,
  });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rounds: RoundsService,
    private readonly participation: Participation,
  ) {
    this.relay = new RelayWaker((sql, parameters) => this.dataSource.query(sql, parameters));
  }

  /**
   * Casts one vote. Votes are written in batches (see Batcher): the votes that arrive while a
   * batch is written go together in the next, checked in one query and written in one call (see
   * CAST), so a busy round costs the database two round trips and a commit per batch rather than
   * per vote. Each vote still gets its own answer or error; a member's votes never share a batch,
   * so one ballot changes once per batch.
   */
  cast(actor: Actor, roundId: string, candidateId: string): Promise<BallotState> {
    return this.casts.submit({ actor, roundId, candidateId });
  }

  async withdraw(actor: Actor, roundId: string, candidateId: string): Promise<BallotState> {
    const userId = userIdOf(actor);
    return this.changeBallot(async (tx, record) => {
      await holdRoundForVoting(tx, roundId);
      const { round } = await this.voter(tx, actor, roundId, null);
      const ballot = await this.lockedBallot(tx, round.id, userId);
      if (!(await removeVote(tx, round.id, userId, candidateId))) throw noSuchVote();
      const castAfter = ballot.votesCast - 1;
      await tx.query(`UPDATE ballots SET votes_cast = $3, updated_at = now() WHERE round_id = $1 AND user_id = $2`, [round.id, userId, castAfter]);
      await record([{ ballot: { roundId: round.id, userId, minimum: round.minVotesPerMember, castBefore: ballot.votesCast, castAfter }, changes: [{ candidateId, kind: 'WITHDRAWN', delta: -1 }] }]);
      return { roundId: round.id, userId, budget: ballot.budget, minimum: round.minVotesPerMember, votesCast: castAfter };
    });
  }

  /** Moves a vote from one candidate to another in one step: the budget never sees a gap. */
  async move(actor: Actor, roundId: string, fromCandidateId: string, toCandidateId: string): Promise<BallotState> {
    const userId = userIdOf(actor);
    return this.changeBallot(async (tx, record) => {
      await holdRoundForVoting(tx, roundId);
      const { round, votable } = await this.voter(tx, actor, roundId, toCandidateId);
      if (votable === fromCandidateId) throw DomainError.badInput([{ field: 'toCandidateId', message: 'Move the vote to another candidate' }]);
      const ballot = await this.lockedBallot(tx, round.id, userId);
      if (!(await removeVote(tx, round.id, userId, fromCandidateId))) throw noSuchVote();
      const inserted: unknown[] = await tx.query(
        `INSERT INTO votes (round_id, user_id, candidate_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id`,
        [round.id, userId, votable],
      );
      if (!inserted.length) throw alreadyVoted();
      await record([{
        ballot: { roundId: round.id, userId, minimum: round.minVotesPerMember, castBefore: ballot.votesCast, castAfter: ballot.votesCast },
        changes: [{ candidateId: fromCandidateId, kind: 'MOVED_OUT', delta: -1 }, { candidateId: votable, kind: 'MOVED_IN', delta: 1 }],
      }]);
      return { roundId: round.id, userId, budget: ballot.budget, minimum: round.minVotesPerMember, votesCast: ballot.votesCast };
    });
  }

  /** The actor's ballot in a round they take part in (an empty one before their first vote). */
  async ballotOf(actor: Actor, roundId: string): Promise<BallotView> {
    const userId = userIdOf(actor);
    const round = await this.rounds.get(actor, roundId);
    const em = this.dataSource.manager;
    const [row]: { budget: number; votes_cast: number }[] = await em.query(`SELECT budget, votes_cast FROM ballots WHERE round_id = $1 AND user_id = $2`, [roundId, userId]);
    const votes: { candidate_id: string; created_at: Date }[] = row
      ? await em.query(`SELECT candidate_id, created_at FROM votes WHERE round_id = $1 AND user_id = $2 ORDER BY created_at, candidate_id`, [roundId, userId])
      : [];
    const roles = await this.participation.activeRoles(em, actor, round.projectId).catch(() => []);
    return {
      roundId, userId, budget: row?.budget ?? round.votesPerMember, minimum: round.minVotesPerMember, votesCast: row?.votes_cast ?? 0,
      votes: votes.map((v) => ({ candidateId: v.candidate_id, castAt: v.created_at })),
      canVote: allowedActions(round, roles).includes('vote'),
    };
  }

  /**
   * Runs ballot changes in a transaction; `record` records what they do to the tallies
   * (recordBallotChanges). After the commit the relay is woken for the fold job, unless the
   * changes joined a fold job that was waiting already.
   */
  private async changeBallot<T>(work: (tx: EntityManager, record: BallotRecorder) => Promise<T>): Promise<T> {
    let addedJob = false;
    const result = await this.dataSource.transaction((tx) =>
      work(tx, async (ballots) => {
        if (await recordBallotChanges(tx, ballots, { wakeRelay: false })) addedJob = true;
      }),
    );
    if (addedJob) this.relay.poke();
    return result;
  }

  /**
   * A batch of votes, answered in order: the voters checked in one query, then the votes cast in
   * one call (CAST), which commits on its own. Should the call fail as a whole, each vote is tried
   * again alone, so one vote's failure never becomes another's.
   */
  private async castBatch(requests: CastRequest[]): Promise<(BallotState | Error)[]> {
    try {
      return await this.castVotes(requests);
    } catch (error) {
      if (requests.length === 1) throw error;
      return Promise.all(requests.map((request) => this.castBatch([request]).then(([result]) => result, (failure: Error) => failure)));
    }
  }

  private async castVotes(requests: CastRequest[]): Promise<(BallotState | Error)[]> {
    const checked = await this.voters(this.dataSource.manager, requests);
    const accepted = requests.flatMap((request, i) => {
      const voter = checked[i];
      return voter instanceof Error ? [] : [{ i, userId: userIdOf(request.actor), ...voter }];
    });
    const answers: (BallotState | Error)[] = [...checked] as (BallotState | Error)[];
    if (!accepted.length) return answers;
    const foldJobs = [...new Set(accepted.map((a) => a.round.id))].map((roundId) => ({ key: roundId, payload: { roundId } satisfies JobPayload<'tallies', 'fold'> }));
    const rows = await this.dataSource.query<CastRow[]>(CAST, [
      accepted.map((a) => a.round.id), accepted.map((a) => a.userId), accepted.map((a) => a.round.projectId), accepted.map((a) => a.round.votesPerMember),
      accepted.map((a) => a.round.minVotesPerMember), accepted.map((a) => a.votable), 'tallies', 'fold', JSON.stringify(foldJobs), foldRunAt(),
    ]);
    accepted.forEach(({ i, userId, round }, k) => {
      const row = rows[k];
      if (!row.open) answers[i] = new DomainError(ErrorCode.CONFLICT, 'The round or the candidate changed while you voted; look again and vote');
      else if (row.had_vote || (row.votes_cast !== null && !row.inserted)) answers[i] = alreadyVoted();
      else if (row.votes_cast === null || row.budget === null) {
        answers[i] = new DomainError(ErrorCode.LIMIT_EXCEEDED, `You have cast all ${round.votesPerMember} votes of this round; withdraw or move one to vote again`, { limit: round.votesPerMember });
      } else answers[i] = { roundId: round.id, userId, budget: row.budget, minimum: round.minVotesPerMember, votesCast: row.votes_cast };
    });
    if (rows.some((row) => row.job_added)) this.relay.poke();
    return answers;
  }

  /**
   * For each request, the voter's round and the candidate a vote for it goes to, or why not;
   * checked for the whole batch in one query (votes are the busiest requests there are): the same
   * checks as Participation.activeRoles and RoundsService.requireAction (a role in the project,
   * not blocked, the phase lets the role vote), and a candidate with a published nomination in
   * the round. A merged candidate's vote goes to the one it was merged into (an open page may
   * still show the old one). The query takes the rounds' voting locks (shared).
   */
  private async voters(tx: EntityManager, requests: { actor: Actor; roundId: string; candidateId: string | null }[]): Promise<({ round: Round; votable: string } | DomainError)[]> {
    const rows = await prepared<VoterRow>(tx, 'quire_vote_voters', VOTERS, [
      requests.map((r) => r.roundId), requests.map((r) => (r.actor.kind === 'user' ? r.actor.userId : null)), requests.map((r) => r.candidateId),
    ]);
    return requests.map(({ actor, roundId, candidateId }, i) => {
      try {
        return checkVoter(actor, roundId, candidateId, rows[i]);
      } catch (error) {
        if (error instanceof DomainError) return error;
        throw error;
      }
    });
  }

  private async voter(tx: EntityManager, actor: Actor, roundId: string, candidateId: string | null): Promise<{ round: Round; votable: string }> {
    const [checked] = await this.voters(tx, [{ actor, roundId, candidateId }]);
    if (checked instanceof Error) throw checked;
    return checked;
  }

  private async lockedBallot(tx: EntityManager, roundId: string, userId: string): Promise<{ budget: number; votesCast: number }> {
    const [row]: { budget: number; votes_cast: number }[] = await tx.query(`SELECT budget, votes_cast FROM ballots WHERE round_id = $1 AND user_id = $2 FOR UPDATE`, [roundId, userId]);
    if (!row) throw noSuchVote();
    return { budget: row.budget, votesCast: row.votes_cast };
  }

}
