import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { Actor, DomainError, ErrorCode } from '@quire/core';
import { AuditService } from '@quire/domain/audit';
import { enqueue } from '@quire/queue';
import { Candidate, CandidateMerge, Comment, Endorsement, Follow, MergeRecord, Nomination, NominationStatus } from './entities';
import { MergeContext, MergeParticipant } from './hooks';
import { Participation, userIdOf } from './participation';

const LIVE: NominationStatus[] = ['SUBMITTED', 'PUBLISHED', 'HIDDEN'];

/**
 * An editor merges duplicate candidate `source` into `target`: nominations, endorsements,
 * comments and follows move over, a person who backed both keeps one, `source` stays as a
 * redirect, and what moved is recorded so that the merge can be undone exactly.
 */
@Injectable()
export class MergeService {
  private readonly participants: MergeParticipant[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly participation: Participation,
    private readonly audit: AuditService,
  ) {}

  /** Another context's records follow every merge and undo from now on (see MergeParticipant). */
  addParticipant(participant: MergeParticipant): void {
    this.participants.push(participant);
  }

  async merge(actor: Actor, sourceId: string, targetId: string): Promise<CandidateMerge> {
    if (sourceId === targetId) throw DomainError.badInput([{ field: 'targetId', message: 'Merge a candidate into another one' }]);
    return this.dataSource.transaction(async (tx) => {
      // Lock both in a fixed order so two merges of the same pair cannot deadlock.
      const [first, second] = [sourceId, targetId].sort();
      const locked = new Map<string, Candidate>();
      for (const id of [first, second]) {
        const candidate = await tx.findOne(Candidate, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!candidate) throw DomainError.notFound('Candidate', id);
        locked.set(id, candidate);
      }
      const source = locked.get(sourceId) as Candidate;
      const target = locked.get(targetId) as Candidate;
      if (source.projectId !== target.projectId) throw DomainError.notFound('Candidate', targetId);
      await this.participation.requireModerator(tx, actor, source.projectId);
      if (source.mergedIntoId || target.mergedIntoId) throw new DomainError(ErrorCode.CONFLICT, 'One of these candidates has been merged already');

      const moved: MergeRecord = { nominations: [], mergedNominations: [], endorsements: [], droppedEndorsements: [], comments: [], follows: [], droppedFollows: [] };
      const targetNominations = await tx.find(Nomination, { where: { candidateId: target.id, status: In(LIVE) } });
      for (const nomination of await tx.find(Nomination, { where: { candidateId: source.id } })) {
        const twin = targetNominations.find((t) => t.roundId === nomination.roundId && t.nominatorId === nomination.nominatorId);
        if (twin && LIVE.includes(nomination.status)) {
          moved.mergedNominations.push({ id: nomination.id, into: twin.id, previousStatus: nomination.status });
          await tx.update(Nomination, { id: nomination.id }, { status: 'MERGED', mergedIntoNominationId: twin.id, candidateId: target.id, movedFromCandidateId: source.id });
        } else {
          moved.nominations.push(nomination.id);
          await tx.update(Nomination, { id: nomination.id }, { candidateId: target.id, movedFromCandidateId: source.id });
        }
      }
      await this.moveOnePerPerson(tx, Endorsement, source, target, moved.endorsements, moved.droppedEndorsements);
      await this.moveOnePerPerson(tx, Follow, source, target, moved.follows, moved.droppedFollows);
      const comments = await tx.find(Comment, { where: { candidateId: source.id } });
      moved.comments = comments.map((c) => c.id);
      if (comments.length) await tx.update(Comment, { id: In(moved.comments) }, { candidateId: target.id, movedFromCandidateId: source.id });
      const context: MergeContext = { actor, projectId: source.projectId, sourceId: source.id, targetId: target.id };
      moved.participants = {};
      for (const participant of this.participants) moved.participants[participant.name] = await participant.merge(tx, context);

      await tx.update(Candidate, { id: source.id }, { mergedIntoId: target.id });
      const record = await tx.save(tx.create(CandidateMerge, { projectId: source.projectId, sourceId: source.id, targetId: target.id, mergedById: userIdOf(actor), moved, undoneAt: null, undoneById: null }));
      await this.audit.record(tx, actor, { projectId: source.projectId, action: 'candidate.merged', entityType: 'candidate', entityId: source.id, data: { into: target.id, mergeId: record.id } });
      await this.notifyNominators(tx, source, target, [...moved.nominations, ...moved.mergedNominations.map((m) => m.id)]);
      return record;
    });
  }

  /** Reverses a merge: everything it moved goes back, and what it dropped is restored. */
  async undo(actor: Actor, mergeId: string): Promise<CandidateMerge> {
    return this.dataSource.transaction(async (tx) => {
      const record = await tx.findOne(CandidateMerge, { where: { id: mergeId }, lock: { mode: 'pessimistic_write' } });
      if (!record) throw DomainError.notFound('Merge', mergeId);
      await this.participation.requireModerator(tx, actor, record.projectId);
      if (record.undoneAt) throw DomainError.invalidTransition('merge', 'UNDONE', 'be undone again');
      const source = await tx.findOneOrFail(Candidate, { where: { id: record.sourceId }, lock: { mode: 'pessimistic_write' } });
      if (await tx.exists(Candidate, { where: { mergedIntoId: source.id } })) {
        throw new DomainError(ErrorCode.CONFLICT, 'Another candidate was merged into this one since; undo that merge first');
      }
      const { moved } = record;
      if (moved.nominations.length) await tx.update(Nomination, { id: In(moved.nominations) }, { candidateId: source.id, movedFromCandidateId: null });
      for (const m of moved.mergedNominations) {
        await tx.update(Nomination, { id: m.id }, { candidateId: source.id, movedFromCandidateId: null, status: m.previousStatus, mergedIntoNominationId: null });
      }
      await this.restoreOnePerPerson(tx, Endorsement, record, moved.endorsements, moved.droppedEndorsements);
      await this.restoreOnePerPerson(tx, Follow, record, moved.follows, moved.droppedFollows);
      if (moved.comments.length) await tx.update(Comment, { id: In(moved.comments) }, { candidateId: source.id, movedFromCandidateId: null });
      const context: MergeContext = { actor, projectId: record.projectId, sourceId: record.sourceId, targetId: record.targetId };
      for (const participant of this.participants) {
        // A merge made before the participant existed has nothing of it to undo.
        if (moved.participants && Object.hasOwn(moved.participants, participant.name)) await participant.undo(tx, context, moved.participants[participant.name]);
      }
      await tx.update(Candidate, { id: source.id }, { mergedIntoId: null });
      record.undoneAt = new Date();
      record.undoneById = userIdOf(actor);
      const saved = await tx.save(record);
      await this.audit.record(tx, actor, { projectId: record.projectId, action: 'candidate.merge_undone', entityType: 'candidate', entityId: source.id, data: { mergeId: record.id } });
      return saved;
    });
  }

  async mergesOf(actor: Actor, candidateId: string): Promise<CandidateMerge[]> {
    const candidate = await this.dataSource.getRepository(Candidate).findOne({ where: { id: candidateId } });
    if (!candidate) throw DomainError.notFound('Candidate', candidateId);
    await this.participation.requireReader(this.dataSource.manager, actor, candidate.projectId);
    return this.dataSource.getRepository(CandidateMerge).find({ where: [{ sourceId: candidateId, undoneAt: IsNull() }, { targetId: candidateId, undoneAt: IsNull() }], order: { createdAt: 'DESC' } });
  }

  /** Moves rows keyed by (candidate, person); where the person has one on the target already, drops the source's. */
  private async moveOnePerPerson(tx: EntityManager, entity: typeof Endorsement | typeof Follow, source: Candidate, target: Candidate, movedIds: string[], dropped: { userId: string; createdAt: string }[]): Promise<void> {
    const table = tx.getRepository(entity).metadata.tableName;
    const onTarget = new Set((await tx.find(entity, { where: { candidateId: target.id } })).map((r) => r.userId));
    // created_at as text keeps its microseconds, so an undo restores the row exactly.
    const rows: { id: string; user_id: string; created_at: string }[] = await tx.query(`SELECT id, user_id, created_at::text AS created_at FROM ${table} WHERE candidate_id = $1`, [source.id]);
    for (const row of rows) {
      if (onTarget.has(row.user_id)) {
        dropped.push({ userId: row.user_id, createdAt: row.created_at });
        await tx.delete(entity, { id: row.id });
      } else {
        movedIds.push(row.id);
        await tx.update(entity, { id: row.id }, { candidateId: target.id, movedFromCandidateId: source.id });
      }
    }
  }

  private async restoreOnePerPerson(tx: EntityManager, entity: typeof Endorsement | typeof Follow, record: CandidateMerge, movedIds: string[], dropped: { userId: string; createdAt: string }[]): Promise<void> {
    if (movedIds.length) await tx.update(entity, { id: In(movedIds) }, { candidateId: record.sourceId, movedFromCandidateId: null });
    const table = tx.getRepository(entity).metadata.tableName;
    for (const d of dropped) {
      await tx.query(`INSERT INTO ${table} (project_id, candidate_id, user_id, created_at) VALUES ($1, $2, $3, $4::timestamptz)`, [record.projectId, record.sourceId, d.userId, d.createdAt]);
    }
  }

  private async notifyNominators(tx: EntityManager, source: Candidate, target: Candidate, nominationIds: string[]): Promise<void> {
    if (!nominationIds.length) return;
    const nominators = await tx.find(Nomination, { select: { nominatorId: true }, where: { id: In(nominationIds) } });
    const userIds = [...new Set(nominators.map((n) => n.nominatorId))];
    await enqueue(tx, 'notifications', 'notify', {
      projectId: source.projectId, userIds, kind: 'CANDIDATE_MERGED',
      data: { candidateId: target.id, candidateName: target.name, mergedCandidateId: source.id, mergedCandidateName: source.name },
    });
  }
}
