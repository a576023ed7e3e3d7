import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { Access, Actor, CurrentActor, GraphQLContext, IdPipe } from '@quire/core';
import { PortraitStatus } from './portrait.entity';
import { PortraitAction } from './portrait-workflow';
import { CollabTicketsService } from './collab-tickets.service';
import {
  CollabTicketModel, PortraitActionEnum, PortraitModel, PortraitStatusEnum, PortraitTeamInputModel, PortraitVersionInput, PortraitVersionModel,
} from './manuscripts.model';
import { PortraitChangedMessage, PortraitsService } from './portraits.service';

@Resolver(() => PortraitModel)
export class PortraitsResolver {
  constructor(
    private readonly portraits: PortraitsService,
    private readonly tickets: CollabTicketsService,
  ) {}

  @Access('signedIn')
  @Query(() => [PortraitModel], { name: 'portraits', description: "A project's portraits, by candidate name" })
  async listPortraits(
    @CurrentActor() actor: Actor,
    @Args('projectId', { type: () => ID }, IdPipe) projectId: string,
    @Args('status', { type: () => PortraitStatusEnum, nullable: true }) status?: PortraitStatus,
  ): Promise<PortraitModel[]> {
    return (await this.portraits.list(actor, projectId, status)).map(PortraitModel.from);
  }

  @Access('signedIn')
  @Query(() => PortraitModel)
  async portrait(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, IdPipe) id: string): Promise<PortraitModel> {
    return PortraitModel.from(await this.portraits.get(actor, id));
  }

  @Access('signedIn')
  @Mutation(() => PortraitModel, { description: 'Editors make the portrait of a selected candidate' })
  async createPortrait(@CurrentActor() actor: Actor, @Args('candidateId', { type: () => ID }, IdPipe) candidateId: string): Promise<PortraitModel> {
    return PortraitModel.from(await this.portraits.create(actor, candidateId));
  }

  @Access('signedIn')
  @Mutation(() => PortraitModel, { description: "Editors set a portrait's whole team: lead author, co-authors and editor" })
  async setPortraitTeam(
    @CurrentActor() actor: Actor,
    @Args('portraitId', { type: () => ID }, IdPipe) portraitId: string,
    @Args('team') team: PortraitTeamInputModel,
  ): Promise<PortraitModel> {
    const details = await this.portraits.setTeam(actor, portraitId, { leadAuthorId: team.leadAuthorId ?? null, coAuthorIds: team.coAuthorIds, editorId: team.editorId ?? null });
    return PortraitModel.from(details);
  }

  @Access('signedIn')
  @Mutation(() => PortraitModel, { description: 'One step of the portrait workflow (see myActions)' })
  async transitionPortrait(
    @CurrentActor() actor: Actor,
    @Args('portraitId', { type: () => ID }, IdPipe) portraitId: string,
    @Args('action', { type: () => PortraitActionEnum }) action: PortraitAction,
  ): Promise<PortraitModel> {
    return PortraitModel.from(await this.portraits.transition(actor, portraitId, action));
  }

  @Access('signedIn')
  @Query(() => [PortraitVersionModel], { description: "A portrait's named versions, newest first" })
  async portraitVersions(@CurrentActor() actor: Actor, @Args('portraitId', { type: () => ID }, IdPipe) portraitId: string): Promise<PortraitVersionModel[]> {
    return (await this.portraits.versions(actor, portraitId)).map(PortraitVersionModel.from);
  }

  @Access('signedIn')
  @Query(() => String, { description: 'The plain text of a version' })
  async portraitVersionText(
    @CurrentActor() actor: Actor,
    @Args('portraitId', { type: () => ID }, IdPipe) portraitId: string,
    @Args('versionId', { type: () => ID }, IdPipe) versionId: string,
  ): Promise<string> {
    return this.portraits.versionText(actor, portraitId, versionId);
  }

  @Access('signedIn')
  @Mutation(() => PortraitVersionModel, { description: 'Saves the text as it is now as a named version' })
  async createPortraitVersion(
    @CurrentActor() actor: Actor,
    @Args('portraitId', { type: () => ID }, IdPipe) portraitId: string,
    @Args('input') input: PortraitVersionInput,
  ): Promise<PortraitVersionModel> {
    return PortraitVersionModel.from(await this.portraits.createVersion(actor, portraitId, input.label));
  }

  @Access('signedIn')
  @Mutation(() => PortraitModel, { description: 'Makes the text what it was in a version, as a new edit that everyone connected sees' })
  async restorePortraitVersion(
    @CurrentActor() actor: Actor,
    @Args('portraitId', { type: () => ID }, IdPipe) portraitId: string,
    @Args('versionId', { type: () => ID }, IdPipe) versionId: string,
  ): Promise<PortraitModel> {
    return PortraitModel.from(await this.portraits.restoreVersion(actor, portraitId, versionId));
  }

  @Access('signedIn')
  @Mutation(() => CollabTicketModel, { description: "A short-lived ticket that opens a connection to the portrait's text" })
  async collabTicket(@CurrentActor() actor: Actor, @Args('portraitId', { type: () => ID }, IdPipe) portraitId: string): Promise<CollabTicketModel> {
    return CollabTicketModel.from(await this.tickets.forPortrait(actor, portraitId));
  }

  @Access('signedIn')
  @Subscription(() => PortraitModel, {
    description: "The portrait again after each change of its workflow state, team or versions, as the subscriber may see it (myActions, myAccess)",
    async resolve(this: PortraitsResolver, _message: PortraitChangedMessage, args: { portraitId: string }, ctx: GraphQLContext): Promise<PortraitModel> {
      return PortraitModel.from(await this.portraits.get(ctx.actor, args.portraitId));
    },
  })
  async portraitChanged(@CurrentActor() actor: Actor, @Args('portraitId', { type: () => ID }, IdPipe) portraitId: string): Promise<AsyncIterator<PortraitChangedMessage>> {
    return this.portraits.changes(actor, portraitId);
  }

  @ResolveField(() => [PortraitVersionModel], { description: 'Named versions, newest first' })
  async versions(@Parent() portrait: PortraitModel, @CurrentActor() actor: Actor): Promise<PortraitVersionModel[]> {
    return (await this.portraits.versions(actor, portrait.id)).map(PortraitVersionModel.from);
  }
}
