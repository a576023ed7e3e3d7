import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor, ALL_PROJECT_ROLES, DomainError, ProjectRole } from '@quire/core';
import { ProjectMembership } from './project-membership.entity';

/**
 * Per-project permission checks, used by every context. Installation admins hold every role in
 * every project (they create projects and invite the first people).
 */
@Injectable()
export class ProjectAccess {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async rolesOf(actor: Actor, projectId: string, em: EntityManager = this.dataSource.manager): Promise<ProjectRole[]> {
    if (actor.kind === 'system') return [...ALL_PROJECT_ROLES];
    if (actor.kind !== 'user') return [];
    if (actor.installationAdmin) return [...ALL_PROJECT_ROLES];
    const membership = await em.findOne(ProjectMembership, { where: { projectId, userId: actor.userId } });
    return membership?.roles ?? [];
  }

  /** The actor's roles in each of `projectIds`, in one query (for lists of projects). */
  async rolesOfMany(actor: Actor, projectIds: readonly string[]): Promise<ProjectRole[][]> {
    if (actor.kind !== 'user' || actor.installationAdmin) return Promise.all(projectIds.map((id) => this.rolesOf(actor, id)));
    const memberships = await this.dataSource.getRepository(ProjectMembership).find({ where: { userId: actor.userId, projectId: In([...projectIds]) } });
    return projectIds.map((id) => memberships.find((m) => m.projectId === id)?.roles ?? []);
  }

  /** Throws unless the actor holds one of `anyOf` in the project; returns the actor's roles. */
  async require(actor: Actor, projectId: string, anyOf: readonly ProjectRole[], em?: EntityManager): Promise<ProjectRole[]> {
    if (actor.kind === 'anonymous') throw DomainError.unauthenticated();
    const roles = await this.rolesOf(actor, projectId, em);
    if (!roles.some((r) => anyOf.includes(r))) {
      throw DomainError.forbidden(`This needs the role ${anyOf.join(' or ')} in this project`);
    }
    return roles;
  }

  /** Any role at all: the actor takes part in the project and may read its open records. */
  requireParticipant(actor: Actor, projectId: string, em?: EntityManager): Promise<ProjectRole[]> {
    return this.require(actor, projectId, ALL_PROJECT_ROLES, em);
  }
}
