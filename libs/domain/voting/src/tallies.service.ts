import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, DomainError, systemActor } from '@quire/core';
import { AuditService } from '@quire/domain/audit';
import { Participation, Round, userIdOf } from '@quire/domain/nominations';
import { enqueue } from '@quire/queue';
import { Recount, TallyDifference } from './entities';
import { awaitVoteChangesSettled } from './round-locks';

/** The live tally set against a count from the votes, at one moment. */
export interface TallyComparison {
  /** Votes that count, counted from the votes themselves. */
  totalVotes: number;
  /** Vote events not folded yet: how far the live tally lags, which is not a disagreement. */
  pendingEvents: number;
  /** Candidates whose live tally (with the pending events) differs from the recount. */
  differences: TallyDifference[];
  recount: Map<string, number>;
}

/**
 * Folds the round's events from past its mark (`$2`, locked: see MARK) through a settled position
 * (`$3`) into the tallies, and moves the mark, in one statement. So a job run twice, retried after
 * a failure, or run before an older one leaves the tallies as they would be had each event been
 * added once, in any order. Tallies are upserted in candidate order, so two folds at once cannot
 * deadlock.
 */
const FOLD = `
  WITH taken AS (
    SELECT candidate_id, delta FROM vote_events WHERE round_id = $1 AND id > $2 AND id <= $3
  ), sums AS (
    SELECT candidate_id, sum(delta)::int AS delta FROM taken GROUP BY candidate_id HAVING sum(delta) <> 0
  ), folded AS (
    INSERT INTO tallies AS t (round_id, candidate_id, votes)
    SELECT $1, candidate_id, delta FROM sums ORDER BY candidate_id
    ON CONFLICT (round_id, candidate_id) DO UPDATE SET votes = t.votes + excluded.votes, updated_at = now()
    RETURNING 1
  ), marked AS (
    UPDATE tally_marks SET folded_through = $3 WHERE round_id = $1
  )
  SELECT (SELECT count(*) FROM taken)::int AS events, (SELECT count(*) FROM folded)::int AS changed`;

/** The round's mark, created at the first fold, locked until the fold commits: folds of a round take turns. */
const MARK = `
  INSERT INTO tally_marks AS m (round_id) VALUES ($1)
  ON CONFLICT (round_id) DO UPDATE SET folded_through = m.folded_through
  RETURNING m.folded_through`;

/** A round's events not folded yet (a query over vote_events aliased `e`, in a round `$1`). */
const UNFOLDED = `e.round_id = $1 AND e.id > COALESCE((SELECT folded_through FROM tally_marks WHERE round_id = $1), 0)`;

/**
 * In one statement, so one snapshot: what counts according to the votes (ballots that reached the
 * round's minimum), and the live tally plus the events still to be folded into it. A vote and its
 * events commit together, and a fold moves events into the tally atomically, so the two agree at
 * every moment unless something is wrong.
 */
const COMPARE = `
  WITH counted AS (
    SELECT v.candidate_id, count(*)::int AS votes
      FROM votes v JOIN ballots b ON b.round_id = v.round_id AND b.user_id = v.user_id
     WHERE v.round_id = $1 AND b.votes_cast >= (SELECT min_votes_per_member FROM rounds WHERE id = $1)
     GROUP BY v.candidate_id
  ), live AS (
    SELECT candidate_id, sum(votes)::int AS votes FROM (
      SELECT candidate_id, votes FROM tallies WHERE round_id = $1
      UNION ALL
      SELECT e.candidate_id, e.delta FROM vote_events e WHERE ${UNFOLDED}
    ) x GROUP BY candidate_id
  )
  SELECT
    (SELECT count(*) FROM vote_events e WHERE ${UNFOLDED})::int AS pending,
    COALESCE((SELECT json_agg(json_build_object('candidateId', candidate_id, 'votes', votes)) FROM counted), '[]') AS counted,
    COALESCE((SELECT json_agg(json_build_object('candidateId', COALESCE(c.candidate_id, l.candidate_id), 'live', COALESCE(l.votes, 0), 'recount', COALESCE(c.votes, 0))
                              ORDER BY COALESCE(c.candidate_id, l.candidate_id))
                FROM counted c FULL JOIN live l ON l.candidate_id = c.candidate_id
               WHERE COALESCE(c.votes, 0) <> COALESCE(l.votes, 0)), '[]') AS differences`;

@Injectable()
export class TalliesService {
  private readonly logger = new Logger('Tallies');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly participation: Participation,
    private readonly audit: AuditService,
  ) {}

  /**
   * Folds the round's unfolded vote events into its tallies; returns how many tallies changed.
   * Fold jobs coalesce (recordBallotChanges): a vote change that found this job waiting added none
   * and may still be committing, so the fold first waits for every vote change in flight, and folds
   * through the position where they had all committed. It does not hold the round's voting lock while it folds: votes cast meanwhile have a
   * fold job of their own (this one freed its key when it started), and holding it stopped every
   * vote of the round for as long as a fold took (bench:voting: 7.5 ms a fold).
   */
  async fold(em: EntityManager, roundId: string): Promise<{ events: number; changed: number }> {
    const settled = await awaitVoteChangesSettled(em, roundId);
    const [{ folded_through: mark }]: { folded_through: string }[] = await em.query(MARK, [roundId]);
    // A fold that took a later position committed first: nothing is left for this one.
    if (BigInt(mark) >= BigInt(settled)) return { events: 0, changed: 0 };
    const [row]: { events: number; changed: number }[] = await em.query(FOLD, [roundId, mark, settled]);
    return row;
  }

  async compare(em: EntityManager, roundId: string): Promise<TallyComparison> {
    const [row]: { pending: number; counted: { candidateId: string; votes: number }[]; differences: TallyDifference[] }[] = await em.query(COMPARE, [roundId]);
    const recount = new Map(row.counted.map((c) => [c.candidateId, c.votes]));
    return { totalVotes: [...recount.values()].reduce((sum, n) => sum + n, 0), pendingEvents: row.pending, differences: row.differences, recount };
  }

  /** Editors ask for a recount; a tally worker runs it and records the outcome. */
  async requestRecount(actor: Actor, roundId: string): Promise<Recount> {
    return this.dataSource.transaction(async (tx) => {
      const round = await tx.findOne(Round, { where: { id: roundId } });
      if (!round) throw DomainError.notFound('Round', roundId);
      await this.participation.requireModerator(tx, actor, round.projectId);
      const recount = await tx.save(tx.create(Recount, { roundId, projectId: round.projectId, requestedById: userIdOf(actor), status: 'PENDING', differences: [] }));
      await this.audit.record(tx, actor, { projectId: round.projectId, action: 'round.recount_requested', entityType: 'round', entityId: roundId, data: { recountId: recount.id } });
      await enqueue(tx, 'tallies', 'recount', { roundId, recountId: recount.id });
      return recount;
    });
  }

  /** The recount job: compares and records. A disagreement goes on record, into the audit log and the logs. */
  async runRecount(em: EntityManager, roundId: string, recountId: string): Promise<TallyComparison> {
    const comparison = await this.compare(em, roundId);
    const agreed = comparison.differences.length === 0;
    await em.update(Recount, { id: recountId }, {
      status: 'DONE', agreed, totalVotes: comparison.totalVotes, pendingEvents: comparison.pendingEvents, differences: comparison.differences, finishedAt: new Date(),
    });
    if (!agreed) {
      const [round]: { project_id: string }[] = await em.query(`SELECT project_id FROM rounds WHERE id = $1`, [roundId]);
      await this.audit.record(em, systemActor('recount'), {
        projectId: round?.project_id ?? null, action: 'round.recount_disagreed', entityType: 'round', entityId: roundId,
        data: { recountId, differences: comparison.differences.slice(0, 100) },
      });
      this.logger.warn(`Recount ${recountId} of round ${roundId}: the live tally differs for ${comparison.differences.length} candidate(s)`);
    }
    return comparison;
  }

  async recounts(actor: Actor, roundId: string): Promise<Recount[]> {
    const round = await this.dataSource.getRepository(Round).findOne({ where: { id: roundId } });
    if (!round) throw DomainError.notFound('Round', roundId);
    await this.participation.requireModerator(this.dataSource.manager, actor, round.projectId);
    return this.dataSource.getRepository(Recount).find({ where: { roundId }, order: { createdAt: 'DESC' }, take: 50 });
  }

  async recount(actor: Actor, recountId: string): Promise<Recount> {
    const recount = await this.dataSource.getRepository(Recount).findOne({ where: { id: recountId } });
    if (!recount) throw DomainError.notFound('Recount', recountId);
    await this.participation.requireModerator(this.dataSource.manager, actor, recount.projectId).catch(() => {
      throw DomainError.notFound('Recount', recountId);
    });
    return recount;
  }
}
