import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, DomainError, ErrorCode } from '@quire/core';
import { allowedActions, Participation, Round, RoundsService, userIdOf } from '@quire/domain/nominations';
import { recordBallotChange } from './ballot-changes';
import { holdRoundForVoting } from './round-locks';

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
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rounds: RoundsService,
    private readonly participation: Participation,
  ) {}

  async cast(actor: Actor, roundId: string, candidateId: string): Promise<BallotState> {
    const userId = userIdOf(actor);
    return this.dataSource.transaction(async (tx) => {
      const round = await this.votingRound(tx, actor, roundId);
      const votable = await this.votableCandidate(tx, round, candidateId);
      // Creates the ballot at the first vote; takes one vote of the budget, if one is left.
      const [ballot]: { votes_cast: number; budget: number }[] = await tx.query(
        `INSERT INTO ballots AS b (round_id, user_id, project_id, budget, votes_cast) VALUES ($1, $2, $3, $4, 1)
         ON CONFLICT (round_id, user_id) DO UPDATE SET votes_cast = b.votes_cast + 1, updated_at = now() WHERE b.votes_cast < b.budget
         RETURNING votes_cast, budget`,
        [round.id, userId, round.projectId, round.votesPerMember],
      );
      if (!ballot) {
        if (await this.hasVote(tx, round.id, userId, votable)) throw alreadyVoted();
        throw new DomainError(ErrorCode.LIMIT_EXCEEDED, `You have cast all ${round.votesPerMember} votes of this round; withdraw or move one to vote again`, { limit: round.votesPerMember });
      }
      const inserted: unknown[] = await tx.query(
        `INSERT INTO votes (round_id, user_id, candidate_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id`,
        [round.id, userId, votable],
      );
      if (!inserted.length) throw alreadyVoted();
      await recordBallotChange(tx, { roundId: round.id, userId, minimum: round.minVotesPerMember, castBefore: ballot.votes_cast - 1, castAfter: ballot.votes_cast }, [
        { candidateId: votable, kind: 'CAST', delta: 1 },
      ]);
      return { roundId: round.id, userId, budget: ballot.budget, minimum: round.minVotesPerMember, votesCast: ballot.votes_cast };
    });
  }

  async withdraw(actor: Actor, roundId: string, candidateId: string): Promise<BallotState> {
    const userId = userIdOf(actor);
    return this.dataSource.transaction(async (tx) => {
      const round = await this.votingRound(tx, actor, roundId);
      const ballot = await this.lockedBallot(tx, round.id, userId);
      if (!(await removeVote(tx, round.id, userId, candidateId))) throw noSuchVote();
      const castAfter = ballot.votesCast - 1;
      await tx.query(`UPDATE ballots SET votes_cast = $3, updated_at = now() WHERE round_id = $1 AND user_id = $2`, [round.id, userId, castAfter]);
      await recordBallotChange(tx, { roundId: round.id, userId, minimum: round.minVotesPerMember, castBefore: ballot.votesCast, castAfter }, [
        { candidateId, kind: 'WITHDRAWN', delta: -1 },
      ]);
      return { roundId: round.id, userId, budget: ballot.budget, minimum: round.minVotesPerMember, votesCast: castAfter };
    });
  }

  /** Moves a vote from one candidate to another in one step: the budget never sees a gap. */
  async move(actor: Actor, roundId: string, fromCandidateId: string, toCandidateId: string): Promise<BallotState> {
    const userId = userIdOf(actor);
    return this.dataSource.transaction(async (tx) => {
      const round = await this.votingRound(tx, actor, roundId);
      const votable = await this.votableCandidate(tx, round, toCandidateId);
      if (votable === fromCandidateId) throw DomainError.badInput([{ field: 'toCandidateId', message: 'Move the vote to another candidate' }]);
      const ballot = await this.lockedBallot(tx, round.id, userId);
      if (!(await removeVote(tx, round.id, userId, fromCandidateId))) throw noSuchVote();
      const inserted: unknown[] = await tx.query(
        `INSERT INTO votes (round_id, user_id, candidate_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id`,
        [round.id, userId, votable],
      );
      if (!inserted.length) throw alreadyVoted();
      await recordBallotChange(tx, { roundId: round.id, userId, minimum: round.minVotesPerMember, castBefore: ballot.votesCast, castAfter: ballot.votesCast }, [
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

  /** The round, held for voting, after checking that the phase lets the actor vote. */
  private async votingRound(tx: EntityManager, actor: Actor, roundId: string): Promise<Round> {
    await holdRoundForVoting(tx, roundId);
    const round = await tx.findOne(Round, { where: { id: roundId } });
    if (!round) throw DomainError.notFound('Round', roundId);
    await this.rounds.requireAction(tx, actor, round, 'vote');
    return round;
  }

  /**
   * The candidate a vote for `candidateId` goes to: one with a published nomination in the
   * round. A merged candidate's votes go to the one it was merged into (an open page may still
   * show the old one).
   */
  private async votableCandidate(tx: EntityManager, round: Round, candidateId: string): Promise<string> {
    const rows: { id: string; nominated: boolean }[] = await tx.query(
      `WITH RECURSIVE chain AS (
         SELECT id, merged_into_id, 0 AS hops FROM candidates WHERE id = $1 AND project_id = $2
         UNION ALL
         SELECT c.id, c.merged_into_id, chain.hops + 1 FROM candidates c JOIN chain ON c.id = chain.merged_into_id WHERE chain.hops < 20)
       SELECT id, EXISTS (SELECT 1 FROM nominations n WHERE n.round_id = $3 AND n.candidate_id = chain.id AND n.status = 'PUBLISHED') AS nominated
         FROM chain WHERE merged_into_id IS NULL`,
      [candidateId, round.projectId, round.id],
    );
    if (!rows.length) throw DomainError.notFound('Candidate', candidateId);
    if (!rows[0].nominated) throw DomainError.badInput([{ field: 'candidateId', message: 'This candidate has no published nomination in this round' }]);
    return rows[0].id;
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
