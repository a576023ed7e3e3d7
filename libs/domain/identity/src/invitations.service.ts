import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { QUIRE_CONFIG, QuireConfig } from '@quire/config';
import { Actor, DomainError, ErrorCode, Page, PageArgs, ProjectRole } from '@quire/core';
import { newestFirstPage } from '@quire/db';
import { AuditService } from '@quire/domain/audit';
import { ProjectAccess, ProjectsService } from '@quire/domain/projects';
import { enqueue } from '@quire/queue';
import { Invitation } from './invitation.entity';
import { emailProblems, hashToken, newToken, normaliseEmail } from './secrets';
import { Locale, User } from './user.entity';
import { UsersService } from './users.service';

export interface InvitationPreview {
  email: string;
  projectTitle: string;
  projectSlug: string;
  roles: ProjectRole[];
  expiresAt: Date;
  accountExists: boolean;
}

@Injectable()
export class InvitationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(QUIRE_CONFIG) private readonly config: QuireConfig,
    private readonly access: ProjectAccess,
    private readonly projects: ProjectsService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Invites `email` into a project with roles. Only admins grant EDITOR or ADMIN; editors may
   * invite members and authors. The e-mail goes out through the outbox with the commit.
   * Returns the invitation and its token (shown once; stored only as a hash).
   */
  async invite(actor: Actor, projectId: string, input: { email: string; roles: ProjectRole[]; locale: Locale }): Promise<{ invitation: Invitation; token: string }> {
    const email = normaliseEmail(input.email);
    const roles = [...new Set(input.roles)];
    const problems = [...emailProblems(email), ...(roles.length ? [] : [{ field: 'roles', message: 'Give at least one role' }])];
    if (problems.length) throw DomainError.badInput(problems);
    return this.dataSource.transaction(async (tx) => {
      const project = await this.projects.findByIdUnchecked(projectId, tx);
      if (!project) throw DomainError.notFound('Project', projectId);
      const needsAdmin = roles.some((r) => r === ProjectRole.ADMIN || r === ProjectRole.EDITOR);
      await this.access.require(actor, projectId, needsAdmin ? [ProjectRole.ADMIN] : [ProjectRole.ADMIN, ProjectRole.EDITOR], tx);
      const token = newToken();
      const expiresAt = new Date(Date.now() + this.config.invitationTtlHours * 3600_000);
      const invitation = await tx.save(
        tx.create(Invitation, {
          projectId, email, roles, locale: input.locale, tokenHash: hashToken(token), expiresAt,
          invitedById: actor.kind === 'user' ? actor.userId : null, acceptedAt: null, acceptedById: null,
        }),
      );
      const inviter = actor.kind === 'user' ? await tx.findOne(User, { where: { id: actor.userId } }) : null;
      await enqueue(tx, 'email', 'send', {
        template: 'invitation', to: email, locale: input.locale, projectTitle: project.title,
        inviterName: inviter?.displayName ?? 'Quire', acceptUrl: `${this.config.publicUrl}/invitation/${token}`, expiresAt: expiresAt.toISOString(),
      });
      await this.audit.record(tx, actor, { projectId, action: 'invitation.created', entityType: 'invitation', entityId: invitation.id, data: { email, roles } });
      return { invitation, token };
    });
  }

  async preview(token: string): Promise<InvitationPreview> {
    const invitation = await this.usable(this.dataSource.manager, token);
    const project = await this.projects.findByIdUnchecked(invitation.projectId);
    if (!project) throw DomainError.notFound('Invitation');
    return {
      email: invitation.email, projectTitle: project.title, projectSlug: project.slug, roles: invitation.roles,
      expiresAt: invitation.expiresAt, accountExists: !!(await this.users.findByEmail(invitation.email)),
    };
  }

  /**
   * Accepts an invitation: a signed-in person joins with the invitation's roles; otherwise a new
   * account is made for the invited address. The token works once.
   */
  async accept(actor: Actor, token: string, newAccount?: { displayName: string; password: string; locale: Locale }): Promise<User> {
    return this.dataSource.transaction(async (tx) => {
      const invitation = await this.usable(tx, token, true);
      let user: User;
      if (actor.kind === 'user') {
        user = await tx.findOneOrFail(User, { where: { id: actor.userId } });
      } else {
        if (!newAccount) throw DomainError.badInput([{ field: 'password', message: 'Choose a name and password, or sign in first' }]);
        if (await this.users.findByEmail(invitation.email, tx)) {
          throw new DomainError(ErrorCode.CONFLICT, 'There is an account for this address already; sign in to accept');
        }
        user = await this.users.create(tx, actor, { email: invitation.email, ...newAccount });
      }
      const asUser: Actor = { kind: 'user', userId: user.id, installationAdmin: user.installationAdmin, requestId: actor.requestId };
      invitation.acceptedAt = new Date();
      invitation.acceptedById = user.id;
      await tx.save(invitation);
      await this.projects.grantRoles(tx, asUser, invitation.projectId, user.id, invitation.roles);
      await this.audit.record(tx, asUser, { projectId: invitation.projectId, action: 'invitation.accepted', entityType: 'invitation', entityId: invitation.id });
      return user;
    });
  }

  async list(actor: Actor, projectId: string, page: PageArgs): Promise<Page<Invitation>> {
    await this.access.require(actor, projectId, [ProjectRole.ADMIN, ProjectRole.EDITOR]);
    const qb = this.dataSource.getRepository(Invitation).createQueryBuilder('i').where('i.project_id = :projectId', { projectId });
    return newestFirstPage(qb, 'i', page);
  }

  private async usable(em: EntityManager, token: string, lock = false): Promise<Invitation> {
    const invitation = await em.findOne(Invitation, { where: { tokenHash: hashToken(token) }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!invitation) throw new DomainError(ErrorCode.TOKEN_INVALID, 'This invitation link is not valid');
    if (invitation.acceptedAt) throw new DomainError(ErrorCode.INVITATION_USED, 'This invitation has been used already');
    if (invitation.expiresAt.getTime() <= Date.now()) throw new DomainError(ErrorCode.INVITATION_EXPIRED, 'This invitation has expired; ask for a new one');
    return invitation;
  }
}
