import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Access, Actor, CurrentActor, CurrentContext, GraphQLContext, IdPipe, loader, toConnection } from '@quire/core';
import { newestFirstCursor } from '@quire/db';
import { UsersService } from '@quire/domain/identity';
import { CandidateSort, CandidatesService } from './candidates.service';
import { CandidateStatus, NominationStatus, RoundAction, RoundPhase } from './entities';
import { EngagementService } from './engagement.service';
import { MergeService } from './merge.service';
import { ModerationDecision, ModerationService } from './moderation.service';
import {
  BlockedMemberModel, CandidateConnection, CandidateFilterInput, CandidateInputModel, CandidateMergeModel, CandidateModel, CandidateSortEnum, CandidateStatusEnum,
  CommentModel, ExportFormatEnum, ImportResultModel, ModerationDecisionEnum, ModerationItemModel, NominateInputModel, NominationConnection, NominationModel,
  NominationSourceModel, NominationStatusEnum, PersonModel, ReportTargetEnum, RoundActionEnum, RoundInput, RoundModel, RoundPhaseEnum, RoundSettingsModel, SimilarCandidateModel,
} from './nominations.model';
import { NominationsService } from './nominations.service';
import { allowedActions } from './round-rules';
import { newRoundSettings, RoundChangedMessage, RoundsService } from './rounds.service';
import { ExportFormat, TransferService } from './transfer.service';
import { Participation } from './participation';

const PEOPLE = Symbol('people');
const SOURCES = Symbol('sources');
const CANDIDATE_STATE = Symbol('candidateState');
const STORED_CANDIDATES = Symbol('storedCandidates');

/** Display names of people, batched per request. */
function person(ctx: GraphQLContext, users: UsersService, id: string): Promise<PersonModel> {
  return loader<string, PersonModel>(ctx, PEOPLE, async (ids) =>
    (await users.byIds(ids)).map((u, i) => ({ id: ids[i], displayName: u?.displayName ?? '—' })),
  ).load(id);
}

/** A candidate as stored (not followed to where it was merged), batched per request. */
async function storedCandidate(ctx: GraphQLContext, candidates: CandidatesService, id: string): Promise<CandidateModel> {
  return CandidateModel.from(await loader(ctx, STORED_CANDIDATES, (ids: readonly string[]) => candidates.byIdsUnchecked(ids)).load(id));
}

@Resolver(() => RoundModel)
export class RoundsResolver {
  constructor(
    private readonly rounds: RoundsService,
    private readonly participation: Participation,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Access('signedIn')
  @Query(() => [RoundModel], { name: 'rounds', description: "A project's rounds, newest first" })
  async listRounds(@CurrentActor() actor: Actor, @Args('projectId', { type: () => ID }, IdPipe) projectId: string): Promise<RoundModel[]> {
    return (await this.rounds.list(actor, projectId)).map(RoundModel.from);
  }

  @Access('signedIn')
  @Query(() => RoundSettingsModel, { description: 'What a new round starts with where its editor sets nothing' })
  roundDefaults(): RoundSettingsModel {
    return Object.assign(new RoundSettingsModel(), newRoundSettings());
  }

  @Access('signedIn')
  @Query(() => RoundModel)
  async round(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, IdPipe) id: string): Promise<RoundModel> {
    return RoundModel.from(await this.rounds.get(actor, id));
  }

  @Access('signedIn')
  @Mutation(() => RoundModel, { description: 'Editors open a new round (in DRAFT)' })
  async createRound(@CurrentActor() actor: Actor, @Args('projectId', { type: () => ID }, IdPipe) projectId: string, @Args('input') input: RoundInput): Promise<RoundModel> {
    return RoundModel.from(await this.rounds.create(actor, projectId, { ...input, title: input.title ?? '' }));
  }

  @Access('signedIn')
  @Mutation(() => RoundModel, { description: "Editors change a round's schedule, rules and limits" })
  async updateRound(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, IdPipe) id: string, @Args('input') input: RoundInput): Promise<RoundModel> {
    return RoundModel.from(await this.rounds.update(actor, id, input));
  }

  @Access('signedIn')
  @Mutation(() => RoundModel, { description: 'Editors move a round one phase forward now' })
  async advanceRound(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, IdPipe) id: string, @Args('to', { type: () => RoundPhaseEnum }) to: RoundPhase): Promise<RoundModel> {
    return RoundModel.from(await this.rounds.advance(actor, id, to));
  }

  @Access('signedIn')
  @Subscription(() => RoundModel, {
    description: 'The round again after each change of its phase or settings, as the subscriber may see it (myActions)',
    async resolve(this: RoundsResolver, _message: RoundChangedMessage, args: { roundId: string }, ctx: GraphQLContext): Promise<RoundModel> {
      return RoundModel.from(await this.rounds.get(ctx.actor, args.roundId));
    },
  })
  async roundChanged(@CurrentActor() actor: Actor, @Args('roundId', { type: () => ID }, IdPipe) roundId: string): Promise<AsyncIterator<RoundChangedMessage>> {
    return this.rounds.changes(actor, roundId);
  }

  @ResolveField(() => [RoundActionEnum], { description: 'What I may do in this round now' })
  async myActions(@Parent() round: RoundModel, @CurrentActor() actor: Actor): Promise<RoundAction[]> {
    const entity = await this.rounds.findUnchecked(round.id);
    if (!entity || actor.kind !== 'user') return [];
    const roles = await this.participation.activeRoles(this.dataSource.manager, actor, round.projectId).catch(() => null);
    if (!roles) return [];
    return allowedActions(entity, roles);
  }

  @ResolveField(() => Int, { description: 'How many live nominations I made in this round' })
  async myNominationCount(@Parent() round: RoundModel, @CurrentActor() actor: Actor): Promise<number> {
    if (actor.kind !== 'user') return 0;
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM nominations WHERE round_id = $1 AND nominator_id = $2 AND status IN ('SUBMITTED', 'PUBLISHED', 'HIDDEN')`, [round.id, actor.userId]);
    return n;
  }
}

@Resolver(() => CandidateModel)
export class CandidatesResolver {
  constructor(
    private readonly candidates: CandidatesService,
    private readonly nominations: NominationsService,
    private readonly engagement: EngagementService,
    private readonly merges: MergeService,
  ) {}

  @Access('signedIn')
  @Query(() => CandidateModel, { description: 'A candidate; a merged one answers with the candidate it was merged into' })
  async candidate(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, IdPipe) id: string): Promise<CandidateModel> {
    return CandidateModel.from(await this.candidates.get(actor, id));
  }

  @Access('signedIn')
  @Query(() => CandidateConnection, { name: 'candidates', description: 'Candidates with filters; sorted by endorsements, recency, name or a stable shuffle' })
  async listCandidates(
    @CurrentActor() actor: Actor,
    @Args('projectId', { type: () => ID }, IdPipe) projectId: string,
    @Args('filter', { type: () => CandidateFilterInput, nullable: true }) filter: CandidateFilterInput | null,
    @Args('sort', { type: () => CandidateSortEnum, defaultValue: 'MOST_RECENT' }) sort: CandidateSort,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<CandidateConnection> {
    const page = await this.candidates.list(actor, projectId, filter ?? {}, sort, { first, after });
    return toConnection(page, (i) => ({ candidate: CandidateModel.from(i.candidate), endorsementCount: i.endorsementCount, nominationCount: i.nominationCount }), (i) => i.cursor);
  }

  @Access('signedIn')
  @Query(() => [SimilarCandidateModel], { description: 'Existing candidates like this name (and life years): endorse instead of duplicating' })
  async similarCandidates(
    @CurrentActor() actor: Actor,
    @Args('projectId', { type: () => ID }, IdPipe) projectId: string,
    @Args('name') name: string,
    @Args('birthYear', { type: () => Int, nullable: true }) birthYear: number | null,
    @Args('deathYear', { type: () => Int, nullable: true }) deathYear: number | null,
  ): Promise<SimilarCandidateModel[]> {
    const similar = await this.candidates.similar(actor, projectId, { name, birthYear, deathYear });
    return similar.map((s) => ({ candidate: CandidateModel.from(s.candidate), score: s.score }));
  }

  @Access('signedIn')
  @Mutation(() => CandidateModel, { description: 'Editors correct a candidate' })
  async updateCandidate(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, IdPipe) id: string, @Args('input') input: CandidateInputModel): Promise<CandidateModel> {
    return CandidateModel.from(await this.candidates.update(actor, id, input));
  }

  @Access('signedIn')
  @Mutation(() => CandidateModel, { description: 'Editors shortlist (and un-shortlist) candidates' })
  async setCandidateStatus(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, IdPipe) id: string, @Args('status', { type: () => CandidateStatusEnum }) status: CandidateStatus): Promise<CandidateModel> {
    return CandidateModel.from(await this.candidates.setStatus(actor, id, status));
  }

  @Access('signedIn')
  @Mutation(() => Boolean)
  async endorseCandidate(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, IdPipe) id: string): Promise<boolean> {
    await this.engagement.endorse(actor, id);
    return true;
  }

  @Access('signedIn')
  @Mutation(() => Boolean)
  async withdrawEndorsement(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, IdPipe) id: string): Promise<boolean> {
    await this.engagement.withdrawEndorsement(actor, id);
    return true;
  }

  @Access('signedIn')
  @Mutation(() => Boolean)
  async followCandidate(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, IdPipe) id: string): Promise<boolean> {
    await this.engagement.follow(actor, id);
    return true;
  }

  @Access('signedIn')
  @Mutation(() => Boolean)
  async unfollowCandidate(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, IdPipe) id: string): Promise<boolean> {
    await this.engagement.unfollow(actor, id);
    return true;
  }

  @Access('signedIn')
  @Mutation(() => CommentModel)
  async addComment(
    @CurrentActor() actor: Actor,
    @Args('candidateId', { type: () => ID }, IdPipe) candidateId: string,
    @Args('body') body: string,
    @Args('parentId', { type: () => ID, nullable: true }, IdPipe) parentId: string | null,
  ): Promise<CommentModel> {
    return CommentModel.from(await this.engagement.comment(actor, candidateId, body, parentId));
  }

  @Access('signedIn')
  @Mutation(() => CandidateMergeModel, { description: 'Editors merge a duplicate (source) into another candidate (target)' })
  async mergeCandidates(
    @CurrentActor() actor: Actor,
    @Args('sourceId', { type: () => ID }, IdPipe) sourceId: string,
    @Args('targetId', { type: () => ID }, IdPipe) targetId: string,
  ): Promise<CandidateMergeModel> {
    return CandidateMergeModel.from(await this.merges.merge(actor, sourceId, targetId));
  }

  @Access('signedIn')
  @Mutation(() => CandidateMergeModel)
  async undoMerge(@CurrentActor() actor: Actor, @Args('mergeId', { type: () => ID }, IdPipe) mergeId: string): Promise<CandidateMergeModel> {
    return CandidateMergeModel.from(await this.merges.undo(actor, mergeId));
  }

  @ResolveField('nominations', () => [NominationModel])
  async nominationsOf(@Parent() candidate: CandidateModel, @CurrentActor() actor: Actor): Promise<NominationModel[]> {
    return (await this.nominations.forCandidate(actor, candidate.id)).map(NominationModel.from);
  }

  @ResolveField(() => [CommentModel])
  async comments(@Parent() candidate: CandidateModel, @CurrentActor() actor: Actor): Promise<CommentModel[]> {
    return (await this.engagement.comments(actor, candidate.id)).map(CommentModel.from);
  }

  @ResolveField('merges', () => [CandidateMergeModel], { description: 'Merges into or out of this candidate that can be undone' })
  async mergesOf(@Parent() candidate: CandidateModel, @CurrentActor() actor: Actor): Promise<CandidateMergeModel[]> {
    return (await this.merges.mergesOf(actor, candidate.id)).map(CandidateMergeModel.from);
  }

  @ResolveField(() => Int)
  async endorsementCount(@Parent() candidate: CandidateModel, @CurrentContext() ctx: GraphQLContext): Promise<number> {
    return (await this.state(ctx, candidate.id)).endorsements;
  }

  @ResolveField(() => Boolean)
  async endorsedByMe(@Parent() candidate: CandidateModel, @CurrentContext() ctx: GraphQLContext): Promise<boolean> {
    return (await this.state(ctx, candidate.id)).endorsedByMe;
  }

  @ResolveField(() => Boolean)
  async followedByMe(@Parent() candidate: CandidateModel, @CurrentContext() ctx: GraphQLContext): Promise<boolean> {
    return (await this.state(ctx, candidate.id)).followedByMe;
  }

  @ResolveField(() => Int)
  async commentCount(@Parent() candidate: CandidateModel, @CurrentContext() ctx: GraphQLContext): Promise<number> {
    return (await this.state(ctx, candidate.id)).comments;
  }

  private state(ctx: GraphQLContext, id: string) {
    return loader<string, Awaited<ReturnType<EngagementService['stateOf']>>[number]>(ctx, CANDIDATE_STATE, (ids) => this.engagement.stateOf(ctx.actor, ids)).load(id);
  }
}

@Resolver(() => NominationModel)
export class NominationsResolver {
  constructor(
    private readonly nominations: NominationsService,
    private readonly candidates: CandidatesService,
    private readonly moderation: ModerationService,
    private readonly transfer: TransferService,
    private readonly users: UsersService,
  ) {}

  @Access('signedIn')
  @Mutation(() => NominationModel, { description: "A member's case for a candidate in a round" })
  async nominate(@CurrentActor() actor: Actor, @Args('roundId', { type: () => ID }, IdPipe) roundId: string, @Args('input') input: NominateInputModel): Promise<NominationModel> {
    return NominationModel.from(await this.nominations.nominate(actor, roundId, input));
  }

  @Access('signedIn')
  @Mutation(() => NominationModel)
  async withdrawNomination(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, IdPipe) id: string): Promise<NominationModel> {
    return NominationModel.from(await this.nominations.withdraw(actor, id));
  }

  @Access('signedIn')
  @Mutation(() => NominationModel, { description: 'Moderators publish a nomination held for pre-moderation' })
  async publishNomination(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, IdPipe) id: string): Promise<NominationModel> {
    return NominationModel.from(await this.nominations.publish(actor, id));
  }

  @Access('signedIn')
  @Query(() => NominationModel)
  async nomination(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, IdPipe) id: string): Promise<NominationModel> {
    return NominationModel.from(await this.nominations.get(actor, id));
  }

  @Access('signedIn')
  @Query(() => NominationConnection, { name: 'nominations', description: "A round's nominations, newest first" })
  async listNominations(
    @CurrentActor() actor: Actor,
    @Args('roundId', { type: () => ID }, IdPipe) roundId: string,
    @Args('status', { type: () => NominationStatusEnum, nullable: true }) status: NominationStatus | null,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<NominationConnection> {
    return toConnection(await this.nominations.forRound(actor, roundId, status, { first, after }), NominationModel.from, newestFirstCursor);
  }

  @Access('signedIn')
  @Mutation(() => Boolean, { description: 'Report a nomination or comment to the moderators' })
  async report(
    @CurrentActor() actor: Actor,
    @Args('targetType', { type: () => ReportTargetEnum }) targetType: 'NOMINATION' | 'COMMENT',
    @Args('targetId', { type: () => ID }, IdPipe) targetId: string,
    @Args('reason') reason: string,
  ): Promise<boolean> {
    await this.moderation.report(actor, targetType, targetId, reason);
    return true;
  }

  @Access('signedIn')
  @Mutation(() => Boolean, { description: 'Moderators hide or keep a nomination or comment' })
  async moderate(
    @CurrentActor() actor: Actor,
    @Args('targetType', { type: () => ReportTargetEnum }) targetType: 'NOMINATION' | 'COMMENT',
    @Args('targetId', { type: () => ID }, IdPipe) targetId: string,
    @Args('decision', { type: () => ModerationDecisionEnum }) decision: ModerationDecision,
    @Args('reason', { type: () => String, nullable: true }) reason: string | null,
  ): Promise<boolean> {
    await this.moderation.decide(actor, targetType, targetId, decision, reason);
    return true;
  }

  @Access('signedIn')
  @Query(() => [ModerationItemModel])
  moderationQueue(@CurrentActor() actor: Actor, @Args('projectId', { type: () => ID }, IdPipe) projectId: string): Promise<ModerationItemModel[]> {
    return this.moderation.queue(actor, projectId);
  }

  @Access('signedIn')
  @Mutation(() => Boolean)
  async blockMember(
    @CurrentActor() actor: Actor,
    @Args('projectId', { type: () => ID }, IdPipe) projectId: string,
    @Args('userId', { type: () => ID }, IdPipe) userId: string,
    @Args('reason') reason: string,
  ): Promise<boolean> {
    await this.moderation.block(actor, projectId, userId, reason);
    return true;
  }

  @Access('signedIn')
  @Mutation(() => Boolean)
  async unblockMember(@CurrentActor() actor: Actor, @Args('projectId', { type: () => ID }, IdPipe) projectId: string, @Args('userId', { type: () => ID }, IdPipe) userId: string): Promise<boolean> {
    await this.moderation.unblock(actor, projectId, userId);
    return true;
  }

  @Access('signedIn')
  @Query(() => [BlockedMemberModel])
  async blockedMembers(@CurrentActor() actor: Actor, @Args('projectId', { type: () => ID }, IdPipe) projectId: string): Promise<BlockedMemberModel[]> {
    return (await this.moderation.blocked(actor, projectId)).map((b) => ({ userId: b.userId, reason: b.reason, createdAt: b.createdAt }));
  }

  @Access('signedIn')
  @Mutation(() => ImportResultModel, { description: 'Editors import nominations from CSV; a file with any bad row imports nothing' })
  importNominations(@CurrentActor() actor: Actor, @Args('roundId', { type: () => ID }, IdPipe) roundId: string, @Args('csv') csv: string): Promise<ImportResultModel> {
    return this.transfer.importCsv(actor, roundId, csv);
  }

  @Access('signedIn')
  @Query(() => String, { description: "A round's published nominations as open data (CSV or JSON)" })
  exportNominations(@CurrentActor() actor: Actor, @Args('roundId', { type: () => ID }, IdPipe) roundId: string, @Args('format', { type: () => ExportFormatEnum }) format: ExportFormat): Promise<string> {
    return this.transfer.export(actor, roundId, format);
  }

  @ResolveField(() => PersonModel)
  nominator(@Parent() nomination: NominationModel, @CurrentContext() ctx: GraphQLContext): Promise<PersonModel> {
    return person(ctx, this.users, nomination.nominatorId);
  }

  @ResolveField(() => CandidateModel)
  async candidate(@Parent() nomination: NominationModel, @CurrentActor() actor: Actor): Promise<CandidateModel> {
    return CandidateModel.from(await this.candidates.get(actor, nomination.candidateId));
  }

  @ResolveField(() => [NominationSourceModel])
  async sources(@Parent() nomination: NominationModel, @CurrentContext() ctx: GraphQLContext): Promise<NominationSourceModel[]> {
    const sources = await loader(ctx, SOURCES, (ids: readonly string[]) => this.nominations.sourcesOf(ids)).load(nomination.id);
    return sources.map(NominationSourceModel.from);
  }
}

@Resolver(() => CommentModel)
export class CommentsResolver {
  constructor(private readonly users: UsersService) {}

  @ResolveField(() => PersonModel)
  author(@Parent() comment: CommentModel, @CurrentContext() ctx: GraphQLContext): Promise<PersonModel> {
    return person(ctx, this.users, comment.authorId);
  }
}

// The records below reach a client only through queries and mutations that checked access to
// their project (mergesOf, mergeCandidates, moderationQueue, blockedMembers); these fields name
// the people and candidates they point at, so a screen can show names instead of ids.

@Resolver(() => CandidateMergeModel)
export class CandidateMergesResolver {
  constructor(private readonly candidates: CandidatesService) {}

  @ResolveField(() => CandidateModel, { description: 'The duplicate as it was before the merge' })
  source(@Parent() merge: CandidateMergeModel, @CurrentContext() ctx: GraphQLContext): Promise<CandidateModel> {
    return storedCandidate(ctx, this.candidates, merge.sourceId);
  }

  @ResolveField(() => CandidateModel)
  target(@Parent() merge: CandidateMergeModel, @CurrentContext() ctx: GraphQLContext): Promise<CandidateModel> {
    return storedCandidate(ctx, this.candidates, merge.targetId);
  }
}

@Resolver(() => ModerationItemModel)
export class ModerationItemsResolver {
  constructor(
    private readonly candidates: CandidatesService,
    private readonly users: UsersService,
  ) {}

  @ResolveField(() => PersonModel, { description: 'Who wrote the reported nomination or comment' })
  author(@Parent() item: ModerationItemModel, @CurrentContext() ctx: GraphQLContext): Promise<PersonModel> {
    return person(ctx, this.users, item.authorId);
  }

  @ResolveField(() => CandidateModel)
  candidate(@Parent() item: ModerationItemModel, @CurrentContext() ctx: GraphQLContext): Promise<CandidateModel> {
    return storedCandidate(ctx, this.candidates, item.candidateId);
  }
}

@Resolver(() => BlockedMemberModel)
export class BlockedMembersResolver {
  constructor(private readonly users: UsersService) {}

  @ResolveField(() => PersonModel)
  member(@Parent() blocked: BlockedMemberModel, @CurrentContext() ctx: GraphQLContext): Promise<PersonModel> {
    return person(ctx, this.users, blocked.userId);
  }
}
