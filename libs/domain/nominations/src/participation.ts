import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor, DomainError, ErrorCode, ProjectRole } from '@quire/core';
import { ProjectAccess } from '@quire/domain/projects';
import { ProjectBlock } from './entities';

export const MODERATOR_ROLES: readonly ProjectRole[] = [ProjectRole.EDITOR, ProjectRole.ADMIN];

/** Who takes part: a project role, and not blocked by a moderator. */
@Injectable()
export class Participation {
  constructor(private readonly access: ProjectAccess) {}

  /** The actor's roles in the project; throws when they take no part or are blocked. */
  async activeRoles(em: EntityManager, actor: Actor, projectId: string): Promise<ProjectRole[]> {
    const roles = await this.access.requireParticipant(actor, projectId, em);
    if (actor.kind === 'user' && (await em.exists(ProjectBlock, { where: { projectId, userId: actor.userId } }))) {
      throw new DomainError(ErrorCode.BLOCKED, 'A moderator has blocked you from taking part in this project');
    }
    return roles;
  }

  requireModerator(em: EntityManager, actor: Actor, projectId: string): Promise<ProjectRole[]> {
    return this.access.require(actor, projectId, MODERATOR_ROLES, em);
  }

  /** Read access: any role in the project (blocked people may still read). */
  requireReader(em: EntityManager, actor: Actor, projectId: string): Promise<ProjectRole[]> {
    return this.access.requireParticipant(actor, projectId, em);
  }

  isModerator(roles: readonly ProjectRole[]): boolean {
    return roles.some((r) => MODERATOR_ROLES.includes(r));
  }
}

export function userIdOf(actor: Actor): string {
  if (actor.kind !== 'user') throw DomainError.unauthenticated();
  return actor.userId;
}
