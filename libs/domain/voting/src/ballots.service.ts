import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient, QueryResultRow } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { Actor, ALL_PROJECT_ROLES, DomainError, ErrorCode, ProjectRole } from '@quire/core';
import { allowedActions, checkPhaseAllows, Participation, Round, RoundsService, userIdOf } from '@quire/domain/nominations';
import { RelayWaker } from '@quire/queue';
import { recordBallotChange, VoteChange } from './ballot-changes';
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
  project_id: string;
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
 * The round, the voter's roles and block, and the candidate (followed through merges) in one
 * query; with $4 it also takes the round's voting lock. Its snapshot may predate the lock, so
 * the writes that follow check the round and the candidate again (see CAST).
 */
const VOTER = `
  WITH RECURSIVE voting_lock AS (
    SELECT CASE WHEN $4::boolean THEN pg_advisory_xact_lock_shared(${ROUND_LOCK_SPACE}, hashtext($1::uuid::text)) END
  ), round AS (
    SELECT r.* FROM rounds r, voting_lock WHERE r.id = $1::uuid
  ), chain AS (
    SELECT c.id, c.merged_into_id, 0 AS hops FROM candidates c, round WHERE c.id = $3 AND c.project_id = round.project_id
    UNION ALL
    SELECT c.id, c.merged_into_id, chain.hops + 1 FROM candidates c JOIN chain ON c.id = chain.merged_into_id WHERE chain.hops < 20
  )
  SELECT round.project_id, round.phase, round.rules, round.votes_per_member, round.min_votes_per_member,
         (SELECT m.roles FROM project_memberships m WHERE m.project_id = round.project_id AND m.user_id = $2) AS roles,
         EXISTS (SELECT 1 FROM project_blocks b WHERE b.project_id = round.project_id AND b.user_id = $2) AS blocked,
         (SELECT chain.id FROM chain WHERE chain.merged_into_id IS NULL LIMIT 1) AS candidate_id,
         EXISTS (SELECT 1 FROM chain JOIN nominations n ON n.candidate_id = chain.id
                  WHERE chain.merged_into_id IS NULL AND n.round_id = $1 AND n.status = 'PUBLISHED') AS nominated
    FROM round`;

/**
 * One vote in one statement, in a snapshot taken after the round's voting lock: the round is
 * still voting and the candidate not merged away (else nothing is written and `open` is 0); the
 * ballot is created at the first vote or takes one more of its budget if one is left (else
 * votes_cast is null); the vote is added unless the member has it already (inserted 0).
 */
const CAST = `
  WITH open AS (
    SELECT 1 FROM rounds r WHERE r.id = $1 AND r.phase = 'VOTING' AND EXISTS (SELECT 1 FROM candidates c WHERE c.id = $5 AND c.merged_into_id IS NULL)
  ), ballot AS (
    INSERT INTO ballots AS b (round_id, user_id, project_id, budget, votes_cast) SELECT $1, $2, $3, $4, 1 FROM open
    ON CONFLICT (round_id, user_id) DO UPDATE SET votes_cast = b.votes_cast + 1, updated_at = now() WHERE b.votes_cast < b.budget
    RETURNING votes_cast, budget
  ), vote AS (
    INSERT INTO votes (round_id, user_id, candidate_id) SELECT $1, $2, $5 FROM ballot ON CONFLICT DO NOTHING RETURNING id
  )
  SELECT (SELECT count(*) FROM open)::int AS open, ballot.votes_cast, ballot.budget, (SELECT count(*) FROM vote)::int AS inserted
    FROM (SELECT 1) AS one LEFT JOIN ballot ON true`;

/**
 * Runs one of the vote path's statements as a named prepared statement on the transaction's
 * connection: PostgreSQL plans it once per connection instead of at every vote (planning these
 * costs more than running them).
 */
async function prepared<T>(tx: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  const client = (await (tx.queryRunner as PostgresQueryRunner).connect()) as PoolClient;
  return (await client.query<T & QueryResultRow>({ name, text, values })).rows;
}

/** Deletes a member's vote for a candidate; false when there was none. */
async function removeVote(tx: EntityManager, roundId: string, userId: string, candidateId: string): Promise<boolean> {
  // TypeORM answers a DELETE with [rows, affected count].
  const [, deleted]: [unknown[], number] = await tx.query(`DELETE FROM votes WHERE round_id = $1 AND user_id = $2 AND candidate_id = $3`, [roundId, userId, candidateId]);
  return deleted > 0;
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

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rounds: RoundsService,
    private readonly participation: Participation,
  ) {
    this.relay = new RelayWaker((sql, parameters) => this.dataSource.query(sql, parameters));
  }

  async cast(actor: Actor, roundId: string, candidateId: string): Promise<BallotState> {
    const userId = userIdOf(actor);
    return this.changeBallot(async (tx) => {
      const { round, votable } = await this.voter(tx, actor, roundId, candidateId, { lockedAlready: false });
      const [ballot] = await prepared<{ open: number; votes_cast: number | null; budget: number | null; inserted: number }>(tx, 'quire_vote_cast', CAST, [
        round.id, userId, round.projectId, round.votesPerMember, votable,
      ]);
      if (!ballot.open) throw new DomainError(ErrorCode.CONFLICT, 'The round or the candidate changed while you voted; look again and vote');
      if (ballot.votes_cast === null) {
        if (await this.hasVote(tx, round.id, userId, votable)) throw alreadyVoted();
        throw new DomainError(ErrorCode.LIMIT_EXCEEDED, `You have cast all ${round.votesPerMember} votes of this round; withdraw or move one to vote again`, { limit: round.votesPerMember });
      }
      if (!ballot.inserted) throw alreadyVoted();
      await this.record(tx, { roundId: round.id, userId, minimum: round.minVotesPerMember, castBefore: ballot.votes_cast - 1, castAfter: ballot.votes_cast }, [
        { candidateId: votable, kind: 'CAST', delta: 1 },
      ]);
      return { roundId: round.id, userId, budget: ballot.budget as number, minimum: round.minVotesPerMember, votesCast: ballot.votes_cast };
    });
  }

  async withdraw(actor: Actor, roundId: string, candidateId: string): Promise<BallotState> {
    const userId = userIdOf(actor);
    return this.changeBallot(async (tx) => {
      await holdRoundForVoting(tx, roundId);
      const { round } = await this.voter(tx, actor, roundId, null, { lockedAlready: true });
      const ballot = await this.lockedBallot(tx, round.id, userId);
      if (!(await removeVote(tx, round.id, userId, candidateId))) throw noSuchVote();
      const castAfter = ballot.votesCast - 1;
      await tx.query(`UPDATE ballots SET votes_cast = $3, updated_at = now() WHERE round_id = $1 AND user_id = $2`, [round.id, userId, castAfter]);
      await this.record(tx, { roundId: round.id, userId, minimum: round.minVotesPerMember, castBefore: ballot.votesCast, castAfter }, [
        { candidateId, kind: 'WITHDRAWN', delta: -1 },
      ]);
      return { roundId: round.id, userId, budget: ballot.budget, minimum: round.minVotesPerMember, votesCast: castAfter };
    });
  }

  /** Moves a vote from one candidate to another in one step: the budget never sees a gap. */
  async move(actor: Actor, roundId: string, fromCandidateId: string, toCandidateId: string): Promise<BallotState> {
    const userId = userIdOf(actor);
    return this.changeBallot(async (tx) => {
      await holdRoundForVoting(tx, roundId);
      const { round, votable } = await this.voter(tx, actor, roundId, toCandidateId, { lockedAlready: true });
      if (votable === fromCandidateId) throw DomainError.badInput([{ field: 'toCandidateId', message: 'Move the vote to another candidate' }]);
      const ballot = await this.lockedBallot(tx, round.id, userId);
      if (!(await removeVote(tx, round.id, userId, fromCandidateId))) throw noSuchVote();
      const inserted: unknown[] = await tx.query(
        `INSERT INTO votes (round_id, user_id, candidate_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id`,
        [round.id, userId, votable],
      );
      if (!inserted.length) throw alreadyVoted();
      await this.record(tx, { roundId: round.id, userId, minimum: round.minVotesPerMember, castBefore: ballot.votesCast, castAfter: ballot.votesCast }, [
        { candidateId: fromCandidateId, kind: 'MOVED_OUT', delta: -1 },
        { candidateId: votable, kind: 'MOVED_IN', delta: 1 },
      ]);
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

  /** Runs one ballot change in a transaction, then wakes the relay for its tally job. */
  private async changeBallot<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    this.relay.poke();
    return result;
  }

  private record(tx: EntityManager, ballot: Parameters<typeof recordBallotChange>[1], changes: VoteChange[]): Promise<void> {
    return recordBallotChange(tx, ballot, changes, { wakeRelay: false });
  }

  /**
   * The voter's round and the candidate a vote for `candidateId` goes to, checked in one query
   * (a vote is the busiest request there is): the same checks as Participation.activeRoles and
   * RoundsService.requireAction (a role in the project, not blocked, the phase lets the role
   * vote), and a candidate with a published nomination in the round. A merged candidate's vote
   * goes to the one it was merged into (an open page may still show the old one). Unless the
   * caller holds the round's voting lock already, the query takes it.
   */
  private async voter(tx: EntityManager, actor: Actor, roundId: string, candidateId: string | null, { lockedAlready }: { lockedAlready: boolean }): Promise<{ round: Round; votable: string }> {
    if (actor.kind !== 'user') throw DomainError.unauthenticated();
    const [row] = await prepared<VoterRow>(tx, 'quire_vote_voter', VOTER, [roundId, actor.userId, candidateId, !lockedAlready]);
    if (!row) throw DomainError.notFound('Round', roundId);
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

  private async lockedBallot(tx: EntityManager, roundId: string, userId: string): Promise<{ budget: number; votesCast: number }> {
    const [row]: { budget: number; votes_cast: number }[] = await tx.query(`SELECT budget, votes_cast FROM ballots WHERE round_id = $1 AND user_id = $2 FOR UPDATE`, [roundId, userId]);
    if (!row) throw noSuchVote();
    return { budget: row.budget, votesCast: row.votes_cast };
  }

  private async hasVote(tx: EntityManager, roundId: string, userId: string, candidateId: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(`SELECT 1 FROM votes WHERE round_id = $1 AND user_id = $2 AND candidate_id = $3`, [roundId, userId, candidateId]);
    return rows.length > 0;
  }
}
