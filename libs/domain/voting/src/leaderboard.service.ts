import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, DomainError } from '@quire/core';
import { Participation, Round, RoundPhase, RoundsService } from '@quire/domain/nominations';

/** A candidate's place: competition ranking, so candidates with equal votes share a rank. */
export interface Standing {
  candidateId: string;
  name: string;
  votes: number;
  rank: number;
}

/** The leaderboard of a round at one revision, as published to everyone watching. */
export interface LeaderboardSnapshot {
  roundId: string;
  projectId: string;
  phase: RoundPhase;
  /** Whether the phase shows tallies to members (editors always see them). */
  talliesVisible: boolean;
  /** The frozen results of a closed round, not a live tally. */
  final: boolean;
  /** Goes up with every published change; 0 for one read outside publishing. */
  revision: number;
  totalVotes: number;
  /** Members who cast a vote, and those whose votes count (they reached the minimum). */
  voters: number;
  countedVoters: number;
  standings: Standing[];
  updatedAt: string;
}

export interface LeaderboardAccess {
  round: Round;
  /** Editors and admins see tallies whatever the phase's rule. */
  moderator: boolean;
}

const LIVE_STANDINGS = `
  SELECT c.id AS "candidateId", c.name, COALESCE(t.votes, 0)::int AS votes, rank() OVER (ORDER BY COALESCE(t.votes, 0) DESC)::int AS rank
    FROM candidates c LEFT JOIN tallies t ON t.round_id = $1 AND t.candidate_id = c.id
   WHERE c.project_id = $2 AND c.merged_into_id IS NULL
     AND (t.votes <> 0 OR EXISTS (SELECT 1 FROM nominations n WHERE n.round_id = $1 AND n.candidate_id = c.id AND n.status = 'PUBLISHED'))
   ORDER BY votes DESC, lower(c.name), c.id`;

const FINAL_STANDINGS = `
  SELECT e.candidate_id AS "candidateId", c.name, e.votes, e.rank
    FROM round_result_entries e JOIN candidates c ON c.id = e.candidate_id
   WHERE e.round_id = $1
   ORDER BY e.rank, lower(c.name), c.id`;

/** The live leaderboard of a voting round, or the frozen results of a closed one. */
@Injectable()
export class LeaderboardService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rounds: RoundsService,
    private readonly participation: Participation,
  ) {}

  /** A participant of the round's project may watch its leaderboard (counts only where visible). */
  async access(actor: Actor, roundId: string): Promise<LeaderboardAccess> {
    const round = await this.rounds.get(actor, roundId);
    const roles = await this.participation.requireReader(this.dataSource.manager, actor, round.projectId);
    return { round, moderator: this.participation.isModerator(roles) };
  }

  async leaderboard(actor: Actor, roundId: string): Promise<{ snapshot: LeaderboardSnapshot; moderator: boolean }> {
    const { round, moderator } = await this.access(actor, roundId);
    const [row]: { revision: string }[] = await this.dataSource.query(`SELECT revision FROM leaderboards WHERE round_id = $1`, [roundId]);
    return { snapshot: await this.snapshot(this.dataSource.manager, round, Number(row?.revision ?? 0)), moderator };
  }

  async snapshot(em: EntityManager, round: Round, revision: number): Promise<LeaderboardSnapshot> {
    const [result]: { total_votes: number; voters: number; counted_voters: number }[] = await em.query(
      `SELECT total_votes, voters, counted_voters FROM round_results WHERE round_id = $1`,
      [round.id],
    );
    const standings: Standing[] = await em.query(result ? FINAL_STANDINGS : LIVE_STANDINGS, result ? [round.id] : [round.id, round.projectId]);
    let totals = result ? { voters: result.voters, countedVoters: result.counted_voters } : undefined;
    if (!totals) {
      const [row]: { voters: number; counted: number }[] = await em.query(
        `SELECT count(*) FILTER (WHERE votes_cast > 0)::int AS voters, count(*) FILTER (WHERE votes_cast > 0 AND votes_cast >= $2)::int AS counted FROM ballots WHERE round_id = $1`,
        [round.id, round.minVotesPerMember],
      );
      totals = { voters: row.voters, countedVoters: row.counted };
    }
    return {
      roundId: round.id, projectId: round.projectId, phase: round.phase, talliesVisible: round.rules[round.phase].talliesVisible, final: !!result, revision,
      totalVotes: result ? result.total_votes : standings.reduce((sum, s) => sum + s.votes, 0), ...totals, standings, updatedAt: new Date().toISOString(),
    };
  }
}

/** Whether a viewer sees the counts: the phase shows them, or the viewer is an editor or admin. */
export function talliesVisibleTo(snapshot: Pick<LeaderboardSnapshot, 'talliesVisible'>, moderator: boolean): boolean {
  return snapshot.talliesVisible || moderator;
}

export function assertVisible(snapshot: Pick<LeaderboardSnapshot, 'talliesVisible' | 'phase'>, moderator: boolean): void {
  if (!talliesVisibleTo(snapshot, moderator)) throw DomainError.forbidden(`Tallies are not shown while the round is ${snapshot.phase.toLowerCase()}`);
}
