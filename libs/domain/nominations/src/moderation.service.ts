import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { Actor, DomainError, ErrorCode } from '@quire/core';
import { AuditService } from '@quire/domain/audit';
import { ProjectsService } from '@quire/domain/projects';
import { Comment, Nomination, ProjectBlock, Report, ReportTarget } from './entities';
import { NominationsService } from './nominations.service';
import { Participation, userIdOf } from './participation';

export type ModerationDecision = 'HIDE' | 'KEEP';

export interface ModerationItem {
  targetType: ReportTarget;
  targetId: string;
  projectId: string;
  status: string;
  text: string;
  authorId: string;
  candidateId: string;
  openReports: number;
  reasons: string[];
}

const REASON_MAX = 1000;

/** Reports by members, hiding at the project's threshold, moderators' decisions and blocks. */
@Injectable()
export class ModerationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly participation: Participation,
    private readonly nominations: NominationsService,
    private readonly projects: ProjectsService,
    private readonly audit: AuditService,
  ) {}

  async report(actor: Actor, targetType: ReportTarget, targetId: string, reason: string): Promise<Report> {
    const text = reason.trim();
    if (!text || text.length > REASON_MAX) throw DomainError.badInput([{ field: 'reason', message: `Say why in 1-${REASON_MAX} characters` }]);
    return this.dataSource.transaction(async (tx) => {
      const target = await this.lockedTarget(tx, targetType, targetId);
      await this.participation.activeRoles(tx, actor, target.projectId).catch((e: unknown) => {
        throw e instanceof DomainError && e.code === ErrorCode.FORBIDDEN ? DomainError.notFound(targetType.toLowerCase(), targetId) : e;
      });
      const inserted: { id: string }[] = await tx.query(
        `INSERT INTO reports (project_id, target_type, target_id, reporter_id, reason) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id`,
        [target.projectId, targetType, targetId, userIdOf(actor), text],
      );
      if (!inserted.length) throw new DomainError(ErrorCode.CONFLICT, 'You reported this already');
      await this.audit.record(tx, actor, { projectId: target.projectId, action: 'report.filed', entityType: targetType.toLowerCase(), entityId: targetId });
      const project = await this.projects.findByIdUnchecked(target.projectId, tx);
      const open = await tx.count(Report, { where: { targetType, targetId, resolvedAt: IsNull() } });
      if (project && open >= project.reportThreshold && isShown(target)) {
        await this.setShown(tx, { kind: 'system', reason: 'report threshold' }, targetType, target, false, 'REPORTED');
      }
      return tx.findOneByOrFail(Report, { id: inserted[0].id });
    });
  }

  /** A moderator hides or keeps a reported (or any) nomination or comment; open reports are resolved. */
  async decide(actor: Actor, targetType: ReportTarget, targetId: string, decision: ModerationDecision, reason?: string | null): Promise<void> {
    if (reason && reason.length > REASON_MAX) throw DomainError.badInput([{ field: 'reason', message: `At most ${REASON_MAX} characters` }]);
    await this.dataSource.transaction(async (tx) => {
      const target = await this.lockedTarget(tx, targetType, targetId);
      await this.participation.requireModerator(tx, actor, target.projectId);
      const show = decision === 'KEEP';
      if (show !== isShown(target)) await this.setShown(tx, actor, targetType, target, show, reason?.trim() || 'MODERATOR');
      await tx.update(Report, { targetType, targetId, resolvedAt: IsNull() }, { resolvedAt: new Date(), resolution: show ? 'KEPT' : 'HIDDEN' });
      await this.audit.record(tx, actor, { projectId: target.projectId, action: 'moderation.decided', entityType: targetType.toLowerCase(), entityId: targetId, data: { decision } });
    });
  }

  /** What moderators should look at: items with open reports, and hidden items, most reported first. */
  async queue(actor: Actor, projectId: string): Promise<ModerationItem[]> {
    await this.participation.requireModerator(this.dataSource.manager, actor, projectId);
    const rows: { target_type: ReportTarget; target_id: string; open_reports: number; reasons: string[] }[] = await this.dataSource.query(
      `SELECT target_type, target_id, count(*) FILTER (WHERE resolved_at IS NULL)::int AS open_reports,
              array_agg(reason ORDER BY created_at) FILTER (WHERE resolved_at IS NULL) AS reasons
         FROM reports WHERE project_id = $1 GROUP BY target_type, target_id
        HAVING count(*) FILTER (WHERE resolved_at IS NULL) > 0
       UNION ALL
       SELECT 'NOMINATION', id, 0, '{}' FROM nominations n WHERE project_id = $1 AND status = 'HIDDEN'
          AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.target_id = n.id AND r.resolved_at IS NULL)
       UNION ALL
       SELECT 'COMMENT', id, 0, '{}' FROM comments c WHERE project_id = $1 AND status = 'HIDDEN'
          AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.target_id = c.id AND r.resolved_at IS NULL)
       ORDER BY 3 DESC, 2`,
      [projectId],
    );
    const items: ModerationItem[] = [];
    for (const row of rows) {
      const target = await this.findTarget(this.dataSource.manager, row.target_type, row.target_id);
      if (!target) continue;
      items.push({
        targetType: row.target_type, targetId: row.target_id, projectId, status: target.status, openReports: row.open_reports, reasons: row.reasons ?? [],
        text: target instanceof Nomination ? target.motivation : target.body,
        authorId: target instanceof Nomination ? target.nominatorId : target.authorId,
        candidateId: target.candidateId,
      });
    }
    return items;
  }

  async block(actor: Actor, projectId: string, userId: string, reason: string): Promise<void> {
    const text = reason.trim();
    if (!text || text.length > REASON_MAX) throw DomainError.badInput([{ field: 'reason', message: `Say why in 1-${REASON_MAX} characters` }]);
    await this.dataSource.transaction(async (tx) => {
      await this.participation.requireModerator(tx, actor, projectId);
      if (actor.kind === 'user' && actor.userId === userId) throw DomainError.badInput([{ field: 'userId', message: 'You cannot block yourself' }]);
      const roles = await this.participation.requireReader(tx, { kind: 'user', userId, installationAdmin: false }, projectId).catch(() => {
        throw DomainError.notFound('Member', userId);
      });
      if (this.participation.isModerator(roles)) throw DomainError.forbidden('Editors and admins cannot be blocked; change their roles first');
      const inserted = await tx.query(`INSERT INTO project_blocks (project_id, user_id, blocked_by_id, reason) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING user_id`, [projectId, userId, userIdOf(actor), text]);
      if (!inserted.length) throw new DomainError(ErrorCode.CONFLICT, 'This member is blocked already');
      await this.audit.record(tx, actor, { projectId, action: 'member.blocked', entityType: 'user', entityId: userId, data: { reason: text } });
    });
  }

  async unblock(actor: Actor, projectId: string, userId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await this.participation.requireModerator(tx, actor, projectId);
      const result = await tx.delete(ProjectBlock, { projectId, userId });
      if (!result.affected) throw DomainError.notFound('Block of member', userId);
      await this.audit.record(tx, actor, { projectId, action: 'member.unblocked', entityType: 'user', entityId: userId });
    });
  }

  async blocked(actor: Actor, projectId: string): Promise<ProjectBlock[]> {
    await this.participation.requireModerator(this.dataSource.manager, actor, projectId);
    return this.dataSource.getRepository(ProjectBlock).find({ where: { projectId }, order: { createdAt: 'DESC' } });
  }

  private async setShown(tx: EntityManager, actor: Actor, targetType: ReportTarget, target: Nomination | Comment, show: boolean, reason: string): Promise<void> {
    if (target instanceof Nomination) {
      await this.nominations.move(tx, actor, target, show ? ['HIDDEN'] : ['SUBMITTED', 'PUBLISHED'], show ? 'PUBLISHED' : 'HIDDEN', show ? 'nomination.unhidden' : 'nomination.hidden', show ? undefined : reason);
      return;
    }
    target.status = show ? 'VISIBLE' : 'HIDDEN';
    target.hiddenReason = show ? null : reason;
    await tx.save(target);
    await this.audit.record(tx, actor, { projectId: target.projectId, action: show ? 'comment.unhidden' : 'comment.hidden', entityType: targetType.toLowerCase(), entityId: target.id, data: show ? {} : { reason } });
  }

  private async lockedTarget(tx: EntityManager, targetType: ReportTarget, targetId: string): Promise<Nomination | Comment> {
    const target = await this.findTarget(tx, targetType, targetId, true);
    if (!target) throw DomainError.notFound(targetType.toLowerCase(), targetId);
    return target;
  }

  private findTarget(em: EntityManager, targetType: ReportTarget, targetId: string, lock = false): Promise<Nomination | Comment | null> {
    const options = { where: { id: targetId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) };
    return targetType === 'NOMINATION' ? em.findOne(Nomination, options) : em.findOne(Comment, options);
  }
}

function isShown(target: Nomination | Comment): boolean {
  return target instanceof Nomination ? target.status === 'PUBLISHED' || target.status === 'SUBMITTED' : target.status === 'VISIBLE';
}
