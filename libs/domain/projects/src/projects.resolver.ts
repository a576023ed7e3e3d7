import { Inject } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { QUIRE_CONFIG, QuireConfig } from '@quire/config';
import { Access, Actor, CurrentActor, CurrentContext, GraphQLContext, IdPipe, loader, ProjectRole, PUB_SUB, toConnection } from '@quire/core';
import { Topics } from '@quire/queue';
import { AuditService } from '@quire/domain/audit';
import { ProjectsService } from './projects.service';
import { ProjectAccess } from './project-access.service';
import { AuditEventConnection, AuditEventModel, AuditFilterInput, CreateProjectInput, ProjectModel, UpdateProjectInput } from './project.model';

const MY_ROLES = Symbol('myRoles');

@Resolver(() => ProjectModel)
export class ProjectsResolver {
  constructor(
    private readonly projectService: ProjectsService,
    private readonly access: ProjectAccess,
    private readonly audit: AuditService,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    @Inject(QUIRE_CONFIG) private readonly config: QuireConfig,
  ) {}

  @Access('signedIn')
  @Query(() => [ProjectModel], { description: 'The projects I take part in' })
  async projects(@CurrentActor() actor: Actor): Promise<ProjectModel[]> {
    return (await this.projectService.listForActor(actor)).map(ProjectModel.from);
  }

  @Access('signedIn')
  @Query(() => ProjectModel)
  async project(@CurrentActor() actor: Actor, @Args('slug') slug: string): Promise<ProjectModel> {
    return ProjectModel.from(await this.projectService.bySlug(actor, slug));
  }

  @Access('installationAdmin')
  @Mutation(() => ProjectModel)
  async createProject(@CurrentActor() actor: Actor, @Args('input') input: CreateProjectInput): Promise<ProjectModel> {
    return ProjectModel.from(await this.projectService.create(actor, input));
  }

  @Access('signedIn')
  @Mutation(() => ProjectModel)
  async updateProject(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, IdPipe) id: string,
    @Args('input') input: UpdateProjectInput,
  ): Promise<ProjectModel> {
    const project = ProjectModel.from(await this.projectService.update(actor, id, input));
    await this.pubSub.publish(Topics.projectUpdated(this.config.redisPrefix, id), { projectUpdated: project });
    return project;
  }

  @Access('signedIn')
  @Subscription(() => ProjectModel, { description: "A project's settings as they change" })
  async projectUpdated(@CurrentActor() actor: Actor, @Args('projectId', { type: () => ID }, IdPipe) projectId: string): Promise<AsyncIterator<unknown>> {
    await this.access.requireParticipant(actor, projectId);
    return this.pubSub.asyncIterator(Topics.projectUpdated(this.config.redisPrefix, projectId));
  }

  @Access('signedIn')
  @Query(() => AuditEventConnection, { description: 'The audit log of a project, newest first (admins)' })
  async auditEvents(
    @CurrentActor() actor: Actor,
    @Args('projectId', { type: () => ID }, IdPipe) projectId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    // Typed without `| null`: a union's design type is Object, and the ValidationPipe would skip it.
    @Args('filter', { type: () => AuditFilterInput, nullable: true }) filter?: AuditFilterInput,
  ): Promise<AuditEventConnection> {
    await this.access.require(actor, projectId, [ProjectRole.ADMIN]);
    const page = await this.audit.list(projectId, filter ?? {}, { first, after });
    return toConnection(page, AuditEventModel.from, (e) => [e.seq]);
  }

  @ResolveField(() => [ProjectRole], { description: 'My roles in this project' })
  myRoles(@Parent() project: ProjectModel, @CurrentContext() ctx: GraphQLContext): Promise<ProjectRole[]> {
    return loader<string, ProjectRole[]>(ctx, MY_ROLES, (ids) => this.access.rolesOfMany(ctx.actor, ids)).load(project.id);
  }
}
