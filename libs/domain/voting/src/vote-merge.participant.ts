import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '@quire/domain/audit';
import { MergeContext, MergeParticipant } from '@quire/domain/nominations';
import { recordBallotChange } from './ballot-changes';
import { holdRoundExclusively } from './round-locks';

/** What a merge did to votes, kept with the merge so that undo restores it. */
export interface VoteMergeRecord {
  /** Votes moved from the source to the target candidate. */
  moved: string[];
  /** Votes on the source of members who also voted for the target: dropped, the vote given back. */
  dropped: { roundId: string; userId: string; createdAt: string }[];
}

interface BallotRules {
  minimum: number;
  votesCast: number;
  budget: number;
}

/**
 * Votes follow a candidate merge: in every round still voting, a vote for the duplicate moves to
 * the candidate it was merged into, and a member who voted for both keeps one vote and gets the
 * other back. Votes of closed rounds stay as they were counted. Undo moves the votes back and
 * restores the dropped ones where the ballot still has room (a member may have spent the vote
 * they got back). Each change is a vote event like any other, so the tallies follow too.
 */
@Injectable()
export class VoteMergeParticipant implements MergeParticipant {
  readonly name = 'votes';

  constructor(private readonly audit: AuditService) {}

  async merge(tx: EntityManager, { projectId, sourceId, targetId }: MergeContext): Promise<VoteMergeRecord> {
    const record: VoteMergeRecord = { moved: [], dropped: [] };
    const rounds = await this.votingRounds(tx, projectId);
    if (!rounds.length) return record;
    // Every voting round, not only those with votes for the source: a vote for it may be on its way.
    await holdRoundExclusively(tx, rounds);
    const votes: { id: string; round_id: string; user_id: string; created_at: string; has_target: boolean }[] = await tx.query(
      `SELECT v.id, v.round_id, v.user_id, v.created_at::text AS created_at,
              EXISTS (SELECT 1 FROM votes t WHERE t.round_id = v.round_id AND t.user_id = v.user_id AND t.candidate_id = $2) AS has_target
         FROM votes v WHERE v.candidate_id = $1 AND v.round_id = ANY($3::uuid[]) ORDER BY v.round_id, v.user_id`,
      [sourceId, targetId, rounds],
    );
    for (const vote of votes) {
      const ballot = await this.lockedBallot(tx, vote.round_id, vote.user_id);
      const change = { roundId: vote.round_id, userId: vote.user_id, minimum: ballot.minimum, castBefore: ballot.votesCast };
      if (vote.has_target) {
        await tx.query(`DELETE FROM votes WHERE id = $1`, [vote.id]);
        await this.setCast(tx, vote.round_id, vote.user_id, ballot.votesCast - 1);
        await recordBallotChange(tx, { ...change, castAfter: ballot.votesCast - 1 }, [{ candidateId: sourceId, kind: 'MERGE_DROPPED', delta: -1 }]);
        record.dropped.push({ roundId: vote.round_id, userId: vote.user_id, createdAt: vote.created_at });
      } else {
        await tx.query(`UPDATE votes SET candidate_id = $2, moved_from_candidate_id = $3 WHERE id = $1`, [vote.id, targetId, sourceId]);
        await recordBallotChange(tx, { ...change, castAfter: ballot.votesCast }, [
          { candidateId: sourceId, kind: 'MERGE_MOVED_OUT', delta: -1 },
          { candidateId: targetId, kind: 'MERGE_MOVED_IN', delta: 1 },
        ]);
        record.moved.push(vote.id);
      }
    }
    return record;
  }

  async undo(tx: EntityManager, merge: MergeContext, saved: unknown): Promise<void> {
    const record = saved as VoteMergeRecord;
    const rounds = await this.votingRounds(tx, merge.projectId);
    await holdRoundExclusively(tx, rounds);
    const open = new Set(rounds);
    let notRestored = 0;
    // Moved votes go back, unless the member withdrew them since or the round closed.
    const moved: { id: string; round_id: string; user_id: string }[] = record.moved.length
      ? await tx.query(`SELECT id, round_id, user_id FROM votes WHERE id = ANY($1::uuid[]) AND candidate_id = $2 AND moved_from_candidate_id = $3 ORDER BY round_id, user_id`, [
          record.moved, merge.targetId, merge.sourceId,
        ])
      : [];
    notRestored += record.moved.length - moved.length;
    for (const vote of moved) {
      if (!open.has(vote.round_id)) {
        notRestored += 1;
        continue;
      }
      const ballot = await this.lockedBallot(tx, vote.round_id, vote.user_id);
      await tx.query(`UPDATE votes SET candidate_id = $2, moved_from_candidate_id = NULL WHERE id = $1`, [vote.id, merge.sourceId]);
      await recordBallotChange(tx, { roundId: vote.round_id, userId: vote.user_id, minimum: ballot.minimum, castBefore: ballot.votesCast, castAfter: ballot.votesCast }, [
        { candidateId: merge.targetId, kind: 'UNDO_MOVED_OUT', delta: -1 },
        { candidateId: merge.sourceId, kind: 'UNDO_MOVED_IN', delta: 1 },
      ]);
    }
    for (const dropped of record.dropped) {
      const ballot = open.has(dropped.roundId) ? await this.lockedBallot(tx, dropped.roundId, dropped.userId) : null;
      if (!ballot || ballot.votesCast >= ballot.budget) {
        notRestored += 1;
        continue;
      }
      const inserted: unknown[] = await tx.query(
        `INSERT INTO votes (round_id, user_id, candidate_id, created_at) VALUES ($1, $2, $3, $4::timestamptz) ON CONFLICT DO NOTHING RETURNING id`,
        [dropped.roundId, dropped.userId, merge.sourceId, dropped.createdAt],
      );
      if (!inserted.length) continue;
      await this.setCast(tx, dropped.roundId, dropped.userId, ballot.votesCast + 1);
      await recordBallotChange(tx, { roundId: dropped.roundId, userId: dropped.userId, minimum: ballot.minimum, castBefore: ballot.votesCast, castAfter: ballot.votesCast + 1 }, [
        { candidateId: merge.sourceId, kind: 'UNDO_RESTORED', delta: 1 },
      ]);
    }
    if (notRestored) {
      await this.audit.record(tx, merge.actor, {
        projectId: merge.projectId, action: 'votes.not_restored_by_undo', entityType: 'candidate', entityId: merge.sourceId, data: { count: notRestored },
      });
    }
  }

  private async votingRounds(tx: EntityManager, projectId: string): Promise<string[]> {
    const rows: { id: string }[] = await tx.query(`SELECT id FROM rounds WHERE project_id = $1 AND phase = 'VOTING' ORDER BY id`, [projectId]);
    return rows.map((r) => r.id);
  }

  private async lockedBallot(tx: EntityManager, roundId: string, userId: string): Promise<BallotRules> {
    const [row]: { votes_cast: number; budget: number; minimum: number }[] = await tx.query(
      `SELECT b.votes_cast, b.budget, r.min_votes_per_member AS minimum FROM ballots b JOIN rounds r ON r.id = b.round_id WHERE b.round_id = $1 AND b.user_id = $2 FOR UPDATE OF b`,
      [roundId, userId],
    );
    return { votesCast: row.votes_cast, budget: row.budget, minimum: row.minimum };
  }

  private async setCast(tx: EntityManager, roundId: string, userId: string, votesCast: number): Promise<void> {
    await tx.query(`UPDATE ballots SET votes_cast = $3, updated_at = now() WHERE round_id = $1 AND user_id = $2`, [roundId, userId, votesCast]);
  }
}
