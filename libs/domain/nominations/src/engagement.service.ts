import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor, DomainError, ErrorCode } from '@quire/core';
import { AuditService } from '@quire/domain/audit';
import { enqueue } from '@quire/queue';
import { Candidate, Comment, Endorsement, Follow, Nomination } from './entities';
import { NominationsService } from './nominations.service';
import { Participation, userIdOf } from './participation';
import { RoundsService } from './rounds.service';

export const COMMENT_MAX_LENGTH = 5000;

/** Endorsing, commenting on and following a candidate. */
@Injectable()
export class EngagementService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rounds: RoundsService,
    private readonly nominations: NominationsService,
    private readonly participation: Participation,
    private readonly audit: AuditService,
  ) {}

  /** One endorsement per member per candidate: "I want this person in the book too". */
  async endorse(actor: Actor, candidateId: string): Promise<Endorsement> {
    return this.dataSource.transaction(async (tx) => {
      const candidate = await this.publishedCandidate(tx, actor, candidateId);
      const round = await this.rounds.currentRoundFor(tx, candidate.id);
      await this.rounds.requireAction(tx, actor, round, 'endorse');
      const userId = userIdOf(actor);
      const inserted: { id: string }[] = await tx.query(
        `INSERT INTO endorsements (project_id, candidate_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id`,
        [candidate.projectId, candidate.id, userId],
      );
      if (!inserted.length) throw new DomainError(ErrorCode.CONFLICT, 'You endorsed this candidate already');
      await this.audit.record(tx, actor, { projectId: candidate.projectId, action: 'candidate.endorsed', entityType: 'candidate', entityId: candidate.id });
      return tx.findOneByOrFail(Endorsement, { id: inserted[0].id });
    });
  }

  async withdrawEndorsement(actor: Actor, candidateId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const candidate = await this.publishedCandidate(tx, actor, candidateId);
      const round = await this.rounds.currentRoundFor(tx, candidate.id);
      await this.rounds.requireAction(tx, actor, round, 'endorse');
      const result = await tx.delete(Endorsement, { candidateId: candidate.id, userId: userIdOf(actor) });
      if (!result.affected) throw DomainError.notFound('Your endorsement of this candidate');
      await this.audit.record(tx, actor, { projectId: candidate.projectId, action: 'candidate.endorsement_withdrawn', entityType: 'candidate', entityId: candidate.id });
    });
  }

  /** A comment on a candidate, or a reply to one; followers are notified. */
  async comment(actor: Actor, candidateId: string, body: string, parentId?: string | null): Promise<Comment> {
    const text = body.trim();
    if (!text || text.length > COMMENT_MAX_LENGTH) throw DomainError.badInput([{ field: 'body', message: `Write 1-${COMMENT_MAX_LENGTH} characters` }]);
    return this.dataSource.transaction(async (tx) => {
      const candidate = await this.publishedCandidate(tx, actor, candidateId);
      const round = await this.rounds.currentRoundFor(tx, candidate.id);
      await this.rounds.requireAction(tx, actor, round, 'comment');
      if (parentId) {
        const parent = await tx.findOne(Comment, { where: { id: parentId } });
        if (!parent || parent.candidateId !== candidate.id || parent.status !== 'VISIBLE') {
          throw DomainError.badInput([{ field: 'parentId', message: 'Reply to a visible comment on this candidate' }]);
        }
      }
      const authorId = userIdOf(actor);
      const comment = await tx.save(tx.create(Comment, { projectId: candidate.projectId, candidateId: candidate.id, parentId: parentId ?? null, authorId, body: text, status: 'VISIBLE', hiddenReason: null, movedFromCandidateId: null }));
      await this.audit.record(tx, actor, { projectId: candidate.projectId, action: 'comment.added', entityType: 'comment', entityId: comment.id, data: { candidateId: candidate.id } });
      const followers = (await tx.find(Follow, { where: { candidateId: candidate.id } })).map((f) => f.userId).filter((id) => id !== authorId);
      if (followers.length) {
        await enqueue(tx, 'notifications', 'notify', { projectId: candidate.projectId, userIds: followers, kind: 'COMMENT_ADDED', data: { candidateId: candidate.id, candidateName: candidate.name, commentId: comment.id } });
      }
      return comment;
    });
  }

  async follow(actor: Actor, candidateId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const candidate = await this.publishedCandidate(tx, actor, candidateId);
      await this.participation.activeRoles(tx, actor, candidate.projectId);
      await tx.query(`INSERT INTO follows (project_id, candidate_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [candidate.projectId, candidate.id, userIdOf(actor)]);
    });
  }

  async unfollow(actor: Actor, candidateId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const candidate = await this.publishedCandidate(tx, actor, candidateId);
      await this.participation.requireReader(tx, actor, candidate.projectId);
      await tx.delete(Follow, { candidateId: candidate.id, userId: userIdOf(actor) });
    });
  }

  /** Comments the actor may see, oldest first (moderators also see hidden ones). */
  async comments(actor: Actor, candidateId: string): Promise<Comment[]> {
    const candidate = await this.dataSource.getRepository(Candidate).findOne({ where: { id: candidateId } });
    if (!candidate) throw DomainError.notFound('Candidate', candidateId);
    const roles = await this.participation.requireReader(this.dataSource.manager, actor, candidate.projectId);
    const statuses = this.participation.isModerator(roles) ? ['VISIBLE', 'HIDDEN'] : ['VISIBLE'];
    return this.dataSource.getRepository(Comment).find({ where: { candidateId: candidate.id, status: In(statuses) }, order: { createdAt: 'ASC' } });
  }

  /** Counts and the viewer's own state for many candidates at once (DataLoader batches). */
  async stateOf(actor: Actor, candidateIds: readonly string[]): Promise<{ endorsements: number; endorsedByMe: boolean; followedByMe: boolean; comments: number }[]> {
    const me = actor.kind === 'user' ? actor.userId : null;
    const rows: { id: string; endorsements: number; endorsed_by_me: boolean; followed_by_me: boolean; comments: number }[] = await this.dataSource.query(
      `SELECT c.id,
         (SELECT count(*)::int FROM endorsements e WHERE e.candidate_id = c.id) AS endorsements,
         EXISTS (SELECT 1 FROM endorsements e WHERE e.candidate_id = c.id AND e.user_id = $2) AS endorsed_by_me,
         EXISTS (SELECT 1 FROM follows f WHERE f.candidate_id = c.id AND f.user_id = $2) AS followed_by_me,
         (SELECT count(*)::int FROM comments m WHERE m.candidate_id = c.id AND m.status = 'VISIBLE') AS comments
       FROM candidates c WHERE c.id = ANY($1)`,
      [candidateIds, me],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return candidateIds.map((id) => {
      const r = byId.get(id);
      return { endorsements: r?.endorsements ?? 0, endorsedByMe: r?.endorsed_by_me ?? false, followedByMe: r?.followed_by_me ?? false, comments: r?.comments ?? 0 };
    });
  }

  /** A live candidate with at least one published nomination: only those can be endorsed or discussed. */
  private async publishedCandidate(tx: EntityManager, actor: Actor, candidateId: string): Promise<Candidate> {
    const known = await tx.findOne(Candidate, { where: { id: candidateId } });
    if (!known) throw DomainError.notFound('Candidate', candidateId);
    await this.participation.requireReader(tx, actor, known.projectId).catch(() => {
      throw DomainError.notFound('Candidate', candidateId);
    });
    const candidate = await this.nominations.liveCandidate(tx, known.projectId, candidateId);
    if (!(await tx.exists(Nomination, { where: { candidateId: candidate.id, status: 'PUBLISHED' } }))) throw DomainError.notFound('Candidate', candidateId);
    return candidate;
  }
}
