import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, Batcher, DomainError, ErrorCode } from '@quire/core';
import { HeldConnection } from '@quire/db';
import { allowedActions, Participation, Round, RoundsService, userIdOf } from '@quire/domain/nominations';
import { JobPayload, RelayWaker } from '@quire/queue';
import { foldRunAt, recordBallotChanges } from './ballot-changes';
import { holdRoundForVoting, ROUND_LOCK_SPACE } from './round-locks';
import { checkedVoter, checkVoter, requestParameters, VoterRow, VOTERS } from './voters';

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

/**
 * A batch of votes, at most one per ballot, in one call of the database function cast_votes
 * (migration 1765300000000), which commits on its own: it takes the rounds' voting locks (shared),
 * checks the requests as VOTERS does (its row is answered for checkVoter), writes each vote that
 * may be cast in a round still voting (else `open` is false) unless the member voted for the
 * candidate already (`had_vote`), its ballot created at the first vote or taking one more of its
 * budget if one is left (else votes_cast is null), records the vote events and adds a fold job per
 * round unless one waits already. A vote that a concurrent transaction added meanwhile is not
 * `inserted`, and its ballot gets back what it took.
 */
const CAST = `SELECT * FROM cast_votes(${ROUND_LOCK_SPACE}, $1::uuid[], $2::uuid[], $3::boolean[], $4::uuid[], $5::text[], $6, $7, $8::jsonb, $9) ORDER BY n`;

interface CastRow extends VoterRow {
  open: boolean;
  had_vote: boolean | null;
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
  private readonly logger = new Logger('Ballots');
  private readonly relay: RelayWaker;
  /** The connection vote batches run on, one batch at a time (see HeldConnection). */
  private readonly castConnection: HeldConnection;
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
    this.castConnection = new HeldConnection(dataSource);
  }

  /**
   * Casts one vote. Votes are written in batches (see Batcher): the votes that arrive while a
   * batch is written go together in the next, checked and written in one call (see CAST), so a
   * busy round costs the database one round trip and a commit per batch rather than
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
   * A batch of votes, answered in order, in one call (CAST) that commits on its own. Should the
   * call fail as a whole, each vote is tried again alone, on a new connection, so one vote's
   * failure never becomes another's, and a lost connection costs no vote. (A call whose commit
   * went through but whose answer was lost is answered as a vote cast already.)
   */
  private async castBatch(requests: CastRequest[], alone = false): Promise<(BallotState | Error)[]> {
    try {
      return await this.castVotes(requests);
    } catch (error) {
      if (alone) throw error;
      // One after another: the batch's connection runs one call at a time.
      const answers: (BallotState | Error)[] = [];
      for (const request of requests) answers.push(await this.castBatch([request], true).then(([result]) => result, (failure: Error) => failure));
      return answers;
    }
  }

  private castVotes(requests: CastRequest[]): Promise<(BallotState | Error)[]> {
    return this.castConnection.run((client) => this.castVotesOn(client, requests));
  }

  private async castVotesOn(client: PoolClient, requests: CastRequest[]): Promise<(BallotState | Error)[]> {
    const foldJobs = [...new Set(requests.map((r) => r.roundId))].map((roundId) => ({ key: roundId, payload: { roundId } satisfies JobPayload<'tallies', 'fold'> }));
    const { rows } = await client.query<CastRow>(CAST, [...requestParameters(requests), 'tallies', 'fold', JSON.stringify(foldJobs), foldRunAt()]);
    const answers = requests.map(({ actor, roundId, candidateId }, i): BallotState | Error => {
      const row = rows[i];
      const voter = checkedVoter(actor, roundId, candidateId, row);
      if (row.inserted && row.votes_cast !== null && row.budget !== null) {
        // Cast on the database's verdict, which checkVoter's must match (test/voting/voters.spec.ts):
        // the answer says what was written either way.
        if (voter instanceof Error) this.logger.error(`cast_votes cast a vote that checkVoter refuses (round ${roundId}): ${voter.message}`);
        return { roundId, userId: userIdOf(actor), budget: row.budget, minimum: row.min_votes_per_member, votesCast: row.votes_cast };
      }
      if (voter instanceof Error) return voter;
      if (!row.open) return new DomainError(ErrorCode.CONFLICT, 'The round or the candidate changed while you voted; look again and vote');
      if (row.had_vote || row.votes_cast !== null) return alreadyVoted();
      return new DomainError(ErrorCode.LIMIT_EXCEEDED, `You have cast all ${row.votes_per_member} votes of this round; withdraw or move one to vote again`, { limit: row.votes_per_member });
    });
    if (rows.some((row) => row.job_added)) this.relay.poke();
    return answers;
  }

  /**
   * The voter's round and the candidate a vote for it goes to (followed through merges: an open page
   * may still show a merged one), or why not: the checks cast_votes makes for each vote (VOTERS).
   * The caller holds the round's voting lock (holdRoundForVoting).
   */
  private async voter(tx: EntityManager, actor: Actor, roundId: string, candidateId: string | null): Promise<{ round: Round; votable: string }> {
    const [row]: VoterRow[] = await tx.query(VOTERS, requestParameters([{ actor, roundId, candidateId }]));
    return checkVoter(actor, roundId, candidateId, row);
  }

  private async lockedBallot(tx: EntityManager, roundId: string, userId: string): Promise<{ budget: number; votesCast: number }> {
    const [row]: { budget: number; votes_cast: number }[] = await tx.query(`SELECT budget, votes_cast FROM ballots WHERE round_id = $1 AND user_id = $2 FOR UPDATE`, [roundId, userId]);
    if (!row) throw noSuchVote();
    return { budget: row.budget, votesCast: row.votes_cast };
  }

}
