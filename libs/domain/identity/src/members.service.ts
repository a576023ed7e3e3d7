import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Actor, checkPageSize, decodeCursor, encodeCursor, Page, PageArgs, ProjectRole } from '@quire/core';
import { ProjectAccess } from '@quire/domain/projects';
import { User } from './user.entity';

export interface Member {
  user: User;
  roles: ProjectRole[];
  since: Date;
}

@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ProjectAccess,
  ) {}

  /** Members by name. Any participant sees who takes part; the caller decides who sees e-mail. */
  async list(actor: Actor, projectId: string, page: PageArgs, role?: ProjectRole | null): Promise<Page<Member> & { viewerRoles: ProjectRole[] }> {
    const viewerRoles = await this.access.requireParticipant(actor, projectId);
    const first = checkPageSize(page.first);
    const params: unknown[] = [projectId, role ?? null];
    const where = `m.project_id = $1 AND ($2::text IS NULL OR $2 = ANY(m.roles))`;
    const total: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM project_memberships m WHERE ${where}`, params);
    let after = '';
    if (page.after) {
      const [name, id] = decodeCursor(page.after, ['text', 'uuid']);
      params.push(name, id);
      after = ` AND (lower(u.display_name), u.id) > ($3, $4::uuid)`;
    }
    params.push(first + 1);
    const rows: { user_id: string; roles: ProjectRole[]; created_at: Date }[] = await this.dataSource.query(
      `SELECT m.user_id, m.roles, m.created_at FROM project_memberships m JOIN users u ON u.id = m.user_id
        WHERE ${where}${after} ORDER BY lower(u.display_name), u.id LIMIT $${params.length}`,
      params,
    );
    const users = await this.dataSource.getRepository(User).findBy({ id: In(rows.map((r) => r.user_id)) });
    const byId = new Map(users.map((u) => [u.id, u]));
    const items = rows.slice(0, first).map((r) => ({ user: byId.get(r.user_id) as User, roles: r.roles, since: r.created_at }));
    const last = items[items.length - 1];
    return {
      items,
      hasNextPage: rows.length > first,
      endCursor: last ? encodeCursor([last.user.displayName.toLowerCase(), last.user.id]) : null,
      totalCount: total[0].n,
      viewerRoles,
    };
  }
}
