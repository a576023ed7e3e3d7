import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor, DomainError, ErrorCode, FieldProblem, ProjectRole } from '@quire/core';
import { AuditService } from '@quire/domain/audit';
import { ProjectsService } from '@quire/domain/projects';
import { emailProblems, hashPassword, normaliseEmail } from './secrets';
import { Locale, User } from './user.entity';

export interface NewUser {
  email: string;
  displayName: string;
  locale: Locale;
  password?: string;
  installationAdmin?: boolean;
  oidc?: { issuer: string; subject: string };
}

export function displayNameProblems(name: string): FieldProblem[] {
  const trimmed = name.trim();
  return trimmed.length >= 1 && trimmed.length <= 120 ? [] : [{ field: 'displayName', message: 'Give a name of 1-120 characters' }];
}

function localeProblems(locale: string): FieldProblem[] {
  return locale === 'nl' || locale === 'en' ? [] : [{ field: 'locale', message: 'nl or en' }];
}

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projects: ProjectsService,
    private readonly audit: AuditService,
  ) {}

  async create(tx: EntityManager, actor: Actor, input: NewUser): Promise<User> {
    const email = normaliseEmail(input.email);
    const problems = [...emailProblems(email), ...displayNameProblems(input.displayName), ...localeProblems(input.locale)];
    if (problems.length) throw DomainError.badInput(problems);
    const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
    if (await this.findByEmail(email, tx)) {
      throw new DomainError(ErrorCode.CONFLICT, 'There is an account with this e-mail address already; sign in instead', { fields: [{ field: 'email', message: 'In use' }] });
    }
    const user = await tx.save(
      tx.create(User, {
        email,
        displayName: input.displayName.trim(),
        locale: input.locale,
        passwordHash,
        installationAdmin: input.installationAdmin ?? false,
        oidcIssuer: input.oidc?.issuer ?? null,
        oidcSubject: input.oidc?.subject ?? null,
      }),
    );
    await this.audit.record(tx, actor, { projectId: null, action: 'user.created', entityType: 'user', entityId: user.id, data: { via: input.oidc ? 'oidc' : 'password' } });
    delete (user as Partial<User>).passwordHash;
    return user;
  }

  findByEmail(email: string, em: EntityManager = this.dataSource.manager): Promise<User | null> {
    return em.getRepository(User).createQueryBuilder('u').where('lower(u.email) = :email', { email: normaliseEmail(email) }).getOne();
  }

  async byId(id: string): Promise<User> {
    const user = await this.dataSource.getRepository(User).findOne({ where: { id } });
    if (!user) throw DomainError.notFound('User', id);
    return user;
  }

  async byIds(ids: readonly string[]): Promise<(User | null)[]> {
    const users = await this.dataSource.getRepository(User).find({ where: { id: In([...ids]) } });
    const byId = new Map(users.map((u) => [u.id, u]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  async me(actor: Actor): Promise<User | null> {
    return actor.kind === 'user' ? this.byId(actor.userId) : null;
  }

  async updateProfile(actor: Actor, changes: { displayName?: string; locale?: Locale }): Promise<User> {
    if (actor.kind !== 'user') throw DomainError.unauthenticated();
    const problems = [
      ...(changes.displayName !== undefined ? displayNameProblems(changes.displayName) : []),
      ...(changes.locale !== undefined ? localeProblems(changes.locale) : []),
    ];
    if (problems.length) throw DomainError.badInput(problems);
    return this.dataSource.transaction(async (tx) => {
      const user = await tx.findOneOrFail(User, { where: { id: actor.userId } });
      if (changes.displayName !== undefined) user.displayName = changes.displayName.trim();
      if (changes.locale !== undefined) user.locale = changes.locale;
      await this.audit.record(tx, actor, { projectId: null, action: 'user.profile_updated', entityType: 'user', entityId: user.id, data: { changed: Object.keys(changes) } });
      return tx.save(user);
    });
  }

  /**
   * Self sign-up into a project that allows it, for an e-mail address in one of its allow-listed
   * domains; the new account becomes a MEMBER.
   */
  async signUp(input: NewUser & { password: string; projectSlug: string }): Promise<User> {
    return this.dataSource.transaction(async (tx) => {
      const project = await this.projects.findBySlugUnchecked(input.projectSlug, tx);
      const domain = normaliseEmail(input.email).split('@')[1] ?? '';
      if (!project || !project.selfSignUp || !project.allowedEmailDomains.includes(domain)) {
        throw new DomainError(ErrorCode.SIGN_UP_NOT_ALLOWED, 'Signing up with this e-mail address is not open for this project; ask for an invitation');
      }
      const actor: Actor = { kind: 'anonymous' };
      const user = await this.create(tx, actor, input);
      const asUser: Actor = { kind: 'user', userId: user.id, installationAdmin: false };
      await this.projects.grantRoles(tx, asUser, project.id, user.id, [ProjectRole.MEMBER]);
      return user;
    });
  }
}
