import { Inject } from '@nestjs/common';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { QUIRE_CONFIG, QuireConfig } from '@quire/config';
import { newestFirstCursor } from '@quire/db';
import { Access, Actor, CurrentActor, CurrentContext, GraphQLContext, IdPipe, ProjectRole, toConnection } from '@quire/core';
import { ProjectsService } from '@quire/domain/projects';
import {
  AcceptInvitationInput, AuthConfig, AuthPayload, CreatedInvitation, InvitationConnection, InvitationModel, InvitationPreviewModel,
  InviteInput, ProjectMemberConnection, ProjectMemberModel, SignInInput, SignUpInput, UpdateProfileInput, UserModel,
} from './identity.model';
import { InvitationsService } from './invitations.service';
import { MembersService } from './members.service';
import { PasswordResetsService } from './password-resets.service';
import { clearSessionCookie, setSessionCookie, tokenFromRequest } from './session-cookie';
import { SessionsService, SignedIn } from './sessions.service';
import { UsersService } from './users.service';

@Resolver()
export class IdentityResolver {
  constructor(
    @Inject(QUIRE_CONFIG) private readonly config: QuireConfig,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly invitationService: InvitationsService,
    private readonly resets: PasswordResetsService,
    private readonly memberService: MembersService,
    private readonly projects: ProjectsService,
  ) {}

  @Access('public')
  @Query(() => UserModel, { nullable: true, description: 'The signed-in person, or null' })
  async me(@CurrentActor() actor: Actor): Promise<UserModel | null> {
    const user = await this.users.me(actor);
    return user && UserModel.from(user, true);
  }

  @Access('public')
  @Query(() => AuthConfig)
  authConfig(): AuthConfig {
    return { oidcEnabled: !!this.config.oidc, oidcLabel: this.config.oidc?.label ?? '' };
  }

  @Access('public')
  @Mutation(() => AuthPayload)
  async signIn(@CurrentContext() ctx: GraphQLContext, @Args('input') input: SignInInput): Promise<AuthPayload> {
    return this.signedIn(ctx, await this.sessions.signIn(input.email, input.password, ctx.res ? 'WEB' : 'API', ctx.req.ip));
  }

  @Access('public')
  @Mutation(() => Boolean)
  async signOut(@CurrentContext() ctx: GraphQLContext): Promise<boolean> {
    const token = tokenFromRequest(ctx.req);
    if (token) await this.sessions.signOut(token);
    clearSessionCookie(ctx.res, this.config);
    return true;
  }

  @Access('public')
  @Mutation(() => AuthPayload, { description: "Self sign-up into a project, for addresses in its allow-listed domains" })
  async signUp(@CurrentContext() ctx: GraphQLContext, @Args('input') input: SignUpInput): Promise<AuthPayload> {
    await this.sessionsRateLimit(ctx, `signup:${input.email}`);
    const user = await this.users.signUp(input);
    return this.signedIn(ctx, await this.sessions.open(user, 'WEB'));
  }

  @Access('public')
  @Mutation(() => Boolean, { description: 'Sends a reset link if the address has an account; answers true either way' })
  async requestPasswordReset(@CurrentContext() ctx: GraphQLContext, @Args('email') email: string): Promise<boolean> {
    await this.resets.request(email, ctx.req.ip);
    return true;
  }

  @Access('public')
  @Mutation(() => AuthPayload)
  async resetPassword(@CurrentContext() ctx: GraphQLContext, @Args('token') token: string, @Args('password') password: string): Promise<AuthPayload> {
    const user = await this.resets.reset(token, password);
    return this.signedIn(ctx, await this.sessions.open(user, 'WEB'));
  }

  @Access('signedIn')
  @Mutation(() => UserModel)
  async updateMyProfile(@CurrentActor() actor: Actor, @Args('input') input: UpdateProfileInput): Promise<UserModel> {
    return UserModel.from(await this.users.updateProfile(actor, input), true);
  }

  @Access('public')
  @Query(() => InvitationPreviewModel, { description: 'What an invitation link offers, before accepting it' })
  invitation(@Args('token') token: string): Promise<InvitationPreviewModel> {
    return this.invitationService.preview(token);
  }

  @Access('signedIn')
  @Mutation(() => CreatedInvitation)
  async inviteMember(
    @CurrentActor() actor: Actor,
    @Args('projectId', { type: () => ID }, IdPipe) projectId: string,
    @Args('input') input: InviteInput,
  ): Promise<CreatedInvitation> {
    const { invitation, token } = await this.invitationService.invite(actor, projectId, input);
    return { invitation: InvitationModel.from(invitation), acceptUrl: `${this.config.publicUrl}/invitation/${token}` };
  }

  @Access('public')
  @Mutation(() => AuthPayload, { description: 'Accepts an invitation: signed in, or by choosing a name and password' })
  async acceptInvitation(@CurrentContext() ctx: GraphQLContext, @Args('input') input: AcceptInvitationInput): Promise<AuthPayload> {
    const newAccount = input.displayName !== undefined && input.password !== undefined
      ? { displayName: input.displayName, password: input.password, locale: input.locale ?? 'nl' }
      : undefined;
    const user = await this.invitationService.accept(ctx.actor, input.token, newAccount);
    return this.signedIn(ctx, await this.sessions.open(user, 'WEB'));
  }

  @Access('signedIn')
  @Query(() => InvitationConnection)
  async invitations(
    @CurrentActor() actor: Actor,
    @Args('projectId', { type: () => ID }, IdPipe) projectId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<InvitationConnection> {
    const page = await this.invitationService.list(actor, projectId, { first, after });
    return toConnection(page, InvitationModel.from, newestFirstCursor);
  }

  @Access('signedIn')
  @Query(() => ProjectMemberConnection)
  async members(
    @CurrentActor() actor: Actor,
    @Args('projectId', { type: () => ID }, IdPipe) projectId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('role', { type: () => ProjectRole, nullable: true }) role: ProjectRole | null,
  ): Promise<ProjectMemberConnection> {
    const page = await this.memberService.list(actor, projectId, { first, after }, role);
    const showEmail = page.viewerRoles.includes(ProjectRole.ADMIN);
    return toConnection(
      page,
      (m) => Object.assign(new ProjectMemberModel(), { user: UserModel.from(m.user, showEmail || actorIs(actor, m.user.id)), roles: m.roles, since: m.since }),
      (m) => [m.user.displayName.toLowerCase(), m.user.id],
    );
  }

  @Access('signedIn')
  @Mutation(() => [ProjectRole], { description: "Replaces a member's roles (admins); an empty list removes the member" })
  async setMemberRoles(
    @CurrentActor() actor: Actor,
    @Args('projectId', { type: () => ID }, IdPipe) projectId: string,
    @Args('userId', { type: () => ID }, IdPipe) userId: string,
    @Args('roles', { type: () => [ProjectRole] }) roles: ProjectRole[],
  ): Promise<ProjectRole[]> {
    const membership = await this.projects.setMemberRoles(actor, projectId, userId, roles);
    return membership?.roles ?? [];
  }

  private signedIn(ctx: GraphQLContext, session: SignedIn): AuthPayload {
    setSessionCookie(ctx.res, this.config, session.token, session.expiresAt);
    return { user: UserModel.from(session.user, true), token: session.token, expiresAt: session.expiresAt };
  }

  private async sessionsRateLimit(ctx: GraphQLContext, key: string): Promise<void> {
    await this.sessions.limit(key, ctx.req.ip);
  }
}

function actorIs(actor: Actor, userId: string): boolean {
  return actor.kind === 'user' && actor.userId === userId;
}
