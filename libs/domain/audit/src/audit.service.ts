import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, checkPageSize, decodeCursor, encodeCursor, Page, PageArgs } from '@quire/core';
import { AuditEvent } from './audit-event.entity';

export interface AuditEntry {
  projectId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  data?: Record<string, unknown>;
}

export interface AuditFilter {
  action?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  actorId?: string | null;
}

/** Keys never written to the audit log, whatever a caller passes in `data`. */
const SECRET_KEYS = /password|token|secret|hash/i;

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records `entry` in the caller's transaction, so the change and its audit line commit together. */
  async record(em: EntityManager, actor: Actor, entry: AuditEntry): Promise<void> {
    await em.insert(AuditEvent, {
      projectId: entry.projectId,
      actorId: actor.kind === 'user' ? actor.userId : null,
      actorKind: actor.kind,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      data: redact(entry.data ?? {}) as object,
      requestId: actor.requestId ?? null,
    });
  }

  /** Newest first. Permission checks are the caller's (the projects context). */
  async list(projectId: string, filter: AuditFilter, page: PageArgs): Promise<Page<AuditEvent>> {
    const first = checkPageSize(page.first);
    const qb = this.dataSource.getRepository(AuditEvent).createQueryBuilder('e').where('e.project_id = :projectId', { projectId });
    if (filter.action) qb.andWhere('e.action = :action', { action: filter.action });
    if (filter.entityType) qb.andWhere('e.entity_type = :entityType', { entityType: filter.entityType });
    if (filter.entityId) qb.andWhere('e.entity_id = :entityId', { entityId: filter.entityId });
    if (filter.actorId) qb.andWhere('e.actor_id = :actorId', { actorId: filter.actorId });
    const totalCount = await qb.clone().getCount();
    if (page.after) {
      const [seq] = decodeCursor(page.after, ['integer']);
      qb.andWhere('e.seq < :seq', { seq });
    }
    const rows = await qb.orderBy('e.seq', 'DESC').take(first + 1).getMany();
    const items = rows.slice(0, first);
    return {
      items,
      hasNextPage: rows.length > first,
      endCursor: items.length ? encodeCursor([items[items.length - 1].seq]) : null,
      totalCount,
    };
  }
}

function redact(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !SECRET_KEYS.test(key)));
}
