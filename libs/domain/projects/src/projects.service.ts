import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor, DomainError, ErrorCode, FieldProblem, ProjectRole, stripUndefined } from '@quire/core';
import { inTransaction } from '@quire/db';
import { AuditService } from '@quire/domain/audit';
import { BookLanguage, Project } from './project.entity';
import { ProjectMembership } from './project-membership.entity';
import { ProjectAccess } from './project-access.service';

export interface ProjectSettings {
  title: string;
  description: string;
  language: BookLanguage;
  targetPortraitCount: number;
  wordLimitMin: number;
  wordLimitMax: number;
  selfSignUp: boolean;
  allowedEmailDomains: string[];
  reportThreshold: number;
}

export type NewProject = Partial<ProjectSettings> & { slug: string; title: string };

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

@Injectable()
export class ProjectsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ProjectAccess,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, input: NewProject, em?: EntityManager): Promise<Project> {
    if (actor.kind === 'anonymous') throw DomainError.unauthenticated();
    if (!(actor.kind === 'system' || (actor.kind === 'user' && actor.installationAdmin))) {
      throw DomainError.forbidden('Only an installation admin creates book projects');
    }
    const settings = normalise({ ...DEFAULTS, ...stripUndefined(input) });
    const problems = [...validateSlug(input.slug), ...validateSettings(settings)];
    if (problems.length) throw DomainError.badInput(problems);
    return inTransaction(this.dataSource, em, async (tx) => {
      if (await tx.exists(Project, { where: { slug: input.slug } })) {
        throw new DomainError(ErrorCode.CONFLICT, `A project with the address ${input.slug} exists already`, { fields: [{ field: 'slug', message: 'Taken' }] });
      }
      const project = await tx.save(tx.create(Project, { ...settings, slug: input.slug }));
      if (actor.kind === 'user') {
        await tx.insert(ProjectMembership, { projectId: project.id, userId: actor.userId, roles: [ProjectRole.ADMIN] });
      }
      await this.audit.record(tx, actor, { projectId: project.id, action: 'project.created', entityType: 'project', entityId: project.id, data: { slug: project.slug, title: project.title } });
      return project;
    });
  }

  async update(actor: Actor, projectId: string, changes: Partial<ProjectSettings>): Promise<Project> {
    return this.dataSource.transaction(async (tx) => {
      const project = await this.lockedProject(tx, projectId);
      await this.access.require(actor, projectId, [ProjectRole.ADMIN], tx);
      const settings = normalise({ ...project, ...stripUndefined(changes) });
      const problems = validateSettings(settings);
      if (problems.length) throw DomainError.badInput(problems);
      Object.assign(project, settings);
      const saved = await tx.save(project);
      await this.audit.record(tx, actor, { projectId, action: 'project.updated', entityType: 'project', entityId: projectId, data: { changed: Object.keys(stripUndefined(changes)) } });
      return saved;
    });
  }

  /** A project the actor takes part in; others are reported as not found, so none leaks. */
  async bySlug(actor: Actor, slug: string): Promise<Project> {
    const project = await this.dataSource.getRepository(Project).findOne({ where: { slug } });
    if (!project || (await this.access.rolesOf(actor, project.id)).length === 0) throw DomainError.notFound('Project', slug);
    return project;
  }

  async byId(actor: Actor, projectId: string): Promise<Project> {
    const project = await this.dataSource.getRepository(Project).findOne({ where: { id: projectId } });
    if (!project || (await this.access.rolesOf(actor, project.id)).length === 0) throw DomainError.notFound('Project', projectId);
    return project;
  }

  /** Without permission checks: for sign-up and invitation flows that show a project's title. */
  findBySlugUnchecked(slug: string, em: EntityManager = this.dataSource.manager): Promise<Project | null> {
    return em.findOne(Project, { where: { slug } });
  }

  findByIdUnchecked(projectId: string, em: EntityManager = this.dataSource.manager): Promise<Project | null> {
    return em.findOne(Project, { where: { id: projectId } });
  }

  async listForActor(actor: Actor): Promise<Project[]> {
    const repo = this.dataSource.getRepository(Project);
    if (actor.kind === 'user' && actor.installationAdmin) return repo.find({ order: { title: 'ASC' } });
    if (actor.kind !== 'user') return [];
    const memberships = await this.dataSource.getRepository(ProjectMembership).find({ where: { userId: actor.userId } });
    if (!memberships.length) return [];
    return repo.find({ where: { id: In(memberships.map((m) => m.projectId)) }, order: { title: 'ASC' } });
  }

  /** Adds roles (keeping those held); used when an invitation is accepted or a member signs up. */
  async grantRoles(tx: EntityManager, actor: Actor, projectId: string, userId: string, roles: ProjectRole[]): Promise<ProjectMembership> {
    const existing = await tx.findOne(ProjectMembership, { where: { projectId, userId }, lock: { mode: 'pessimistic_write' } });
    const merged = sortRoles([...new Set([...(existing?.roles ?? []), ...roles])]);
    const membership = existing ? Object.assign(existing, { roles: merged }) : tx.create(ProjectMembership, { projectId, userId, roles: merged });
    const saved = await tx.save(membership);
    await this.audit.record(tx, actor, { projectId, action: 'member.roles_granted', entityType: 'user', entityId: userId, data: { roles, now: merged } });
    return saved;
  }

  /** Replaces a member's roles; an empty list removes the member. The last admin stays. */
  async setMemberRoles(actor: Actor, projectId: string, userId: string, roles: ProjectRole[]): Promise<ProjectMembership | null> {
    return this.dataSource.transaction(async (tx) => {
      await this.lockedProject(tx, projectId);
      await this.access.require(actor, projectId, [ProjectRole.ADMIN], tx);
      const membership = await tx.findOne(ProjectMembership, { where: { projectId, userId } });
      if (!membership) throw DomainError.notFound('Member', userId);
      const next = sortRoles([...new Set(roles)]);
      if (membership.roles.includes(ProjectRole.ADMIN) && !next.includes(ProjectRole.ADMIN)) {
        const admins = await tx.query(`SELECT count(*)::int AS n FROM project_memberships WHERE project_id = $1 AND 'ADMIN' = ANY(roles)`, [projectId]);
        if (admins[0].n <= 1) throw new DomainError(ErrorCode.CONFLICT, 'A project keeps at least one admin');
      }
      await this.audit.record(tx, actor, { projectId, action: next.length ? 'member.roles_set' : 'member.removed', entityType: 'user', entityId: userId, data: { from: membership.roles, to: next } });
      if (!next.length) {
        await tx.delete(ProjectMembership, { id: membership.id });
        return null;
      }
      membership.roles = next;
      return tx.save(membership);
    });
  }

  private async lockedProject(tx: EntityManager, projectId: string): Promise<Project> {
    const project = await tx.findOne(Project, { where: { id: projectId }, lock: { mode: 'pessimistic_write' } });
    if (!project) throw DomainError.notFound('Project', projectId);
    return project;
  }
}

const DEFAULTS: ProjectSettings = {
  title: '',
  description: '',
  language: 'nl',
  targetPortraitCount: 100,
  wordLimitMin: 600,
  wordLimitMax: 1200,
  selfSignUp: false,
  allowedEmailDomains: [],
  reportThreshold: 3,
};

const ROLE_ORDER = [ProjectRole.MEMBER, ProjectRole.AUTHOR, ProjectRole.EDITOR, ProjectRole.ADMIN];
function sortRoles(roles: ProjectRole[]): ProjectRole[] {
  return [...roles].sort((a, b) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b));
}

function normalise(s: ProjectSettings): ProjectSettings {
  return {
    title: s.title.trim(),
    description: s.description.trim(),
    language: s.language,
    targetPortraitCount: s.targetPortraitCount,
    wordLimitMin: s.wordLimitMin,
    wordLimitMax: s.wordLimitMax,
    selfSignUp: s.selfSignUp,
    allowedEmailDomains: [...new Set(s.allowedEmailDomains.map((d) => d.trim().toLowerCase().replace(/^@/, '')))],
    reportThreshold: s.reportThreshold,
  };
}

function validateSlug(slug: string): FieldProblem[] {
  return SLUG.test(slug) && slug.length <= 60 ? [] : [{ field: 'slug', message: 'Use 1-60 lowercase letters, digits and single hyphens' }];
}

function validateSettings(s: ProjectSettings): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!s.title || s.title.length > 200) problems.push({ field: 'title', message: 'Give a title of 1-200 characters' });
  if (s.description.length > 5000) problems.push({ field: 'description', message: 'At most 5000 characters' });
  if (!['nl', 'en'].includes(s.language)) problems.push({ field: 'language', message: 'nl or en' });
  if (!Number.isInteger(s.targetPortraitCount) || s.targetPortraitCount < 1 || s.targetPortraitCount > 10000) {
    problems.push({ field: 'targetPortraitCount', message: 'Between 1 and 10000' });
  }
  if (!Number.isInteger(s.wordLimitMin) || s.wordLimitMin < 0) problems.push({ field: 'wordLimitMin', message: 'A whole number of 0 or more' });
  if (!Number.isInteger(s.wordLimitMax) || s.wordLimitMax < s.wordLimitMin || s.wordLimitMax > 100000) {
    problems.push({ field: 'wordLimitMax', message: 'At least the minimum and at most 100000' });
  }
  if (!Number.isInteger(s.reportThreshold) || s.reportThreshold < 1 || s.reportThreshold > 1000) problems.push({ field: 'reportThreshold', message: 'Between 1 and 1000' });
  if (s.allowedEmailDomains.length > 50) problems.push({ field: 'allowedEmailDomains', message: 'At most 50 domains' });
  for (const d of s.allowedEmailDomains) if (!DOMAIN.test(d)) problems.push({ field: 'allowedEmailDomains', message: `${d} is not a domain name` });
  return problems;
}
